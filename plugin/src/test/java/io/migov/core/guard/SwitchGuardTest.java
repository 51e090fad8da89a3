// SPDX-License-Identifier: Apache-2.0
package io.migov.core.guard;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SwitchGuardTest {

    private static final long MIB = 1024 * 1024;
    private static final long RATE = 100 * MIB;
    private static final long MEMORY = 512 * MIB;

    /** A healthy 100 MiB/s migration of 512 MiB read once a second for {@code seconds}: pass p every 3 s. */
    private static GuardHistory healthy(int seconds) {
        GuardHistory h = new GuardHistory();
        for (int s = 0; s <= seconds; s++) {
            h.add(reading(s * 1000L, s * RATE, RATE));
        }
        return h;
    }

    private static GuardReading reading(long elapsedMillis, long processedBytes, long rateBytesPerSecond) {
        return new GuardReading(elapsedMillis, 1 + (int) (elapsedMillis / 3000), processedBytes, 200 * MIB, MEMORY, rateBytesPerSecond);
    }

    @Test
    void judge_healthyLinkWithinBudget_allows() {
        GuardVerdict v = SwitchGuard.judge(healthy(10), GuardSettings.DEFAULTS);

        assertTrue(v.allowed(), v.reason());
        assertTrue(v.reason().contains("link healthy"), v.reason());
        assertTrue(v.reason().contains("within"), v.reason());
    }

    @Test
    void judge_noByteSentForThreeSeconds_holdsAndSaysHowLong() {
        GuardHistory h = healthy(10);
        long sent = 10 * RATE;
        for (int s = 11; s <= 13; s++) {
            h.add(reading(s * 1000L, sent, RATE)); // QEMU's rate stays at its last value; the byte count does not grow
        }

        GuardVerdict v = SwitchGuard.judge(h, GuardSettings.DEFAULTS);

        assertFalse(v.allowed());
        assertEquals("link looks unhealthy: no byte sent for 3.0 s", v.reason());
    }

    @Test
    void judge_noByteSentForTwoSeconds_stillAllows() {
        GuardHistory h = healthy(10);
        h.add(reading(11_000, 10 * RATE, RATE));
        h.add(reading(12_000, 10 * RATE, RATE));

        assertTrue(SwitchGuard.judge(h, GuardSettings.DEFAULTS).allowed());
    }

    @Test
    void judge_rateCollapsedInTwoReadingsInARow_holds() {
        GuardHistory h = healthy(20);
        long sent = 20 * RATE;
        for (int s = 21; s <= 24; s++) {
            sent += MIB; // 1 MiB/s: a hundredth of the last 30 s's median
            h.add(reading(s * 1000L, sent, RATE));
        }

        GuardVerdict v = SwitchGuard.judge(h, GuardSettings.DEFAULTS);

        assertFalse(v.allowed());
        assertTrue(v.reason().startsWith("link looks unhealthy: 1.0 MiB/s over the last 3.0 s, below 0.10 of the last 30 s's median 100.0"),
                v.reason());
    }

    @Test
    void judge_rateCollapsedInOneReadingOnly_allows() {
        GuardHistory h = healthy(20);
        // one slow second: the 3 s window ending at the newest reading stays above a tenth of the median
        h.add(reading(21_000, 20 * RATE + MIB, RATE));
        h.add(reading(22_000, 20 * RATE + MIB + 40 * MIB, RATE));

        assertTrue(SwitchGuard.judge(h, GuardSettings.DEFAULTS).allowed());
    }

    @Test
    void judge_rateHalved_allows() {
        GuardHistory h = healthy(20);
        long sent = 20 * RATE;
        for (int s = 21; s <= 30; s++) {
            sent += RATE / 2;
            h.add(reading(s * 1000L, sent, RATE / 2));
        }

        assertTrue(SwitchGuard.judge(h, GuardSettings.DEFAULTS).allowed());
    }

    @Test
    void judge_oneReadingOrLessThanASecond_notJudgedAllows() {
        GuardHistory one = new GuardHistory();
        one.add(reading(5000, 0, RATE));
        GuardHistory close = new GuardHistory();
        close.add(reading(5000, 0, RATE));
        close.add(reading(5400, 0, RATE));

        assertTrue(SwitchGuard.judge(one, GuardSettings.DEFAULTS).allowed());
        assertTrue(SwitchGuard.judge(close, GuardSettings.DEFAULTS).reason().contains("link not judged"));
        assertTrue(SwitchGuard.judge(new GuardHistory(), GuardSettings.DEFAULTS).allowed());
    }

    @Test
    void judge_processedBytesNotReported_linkNotJudged() {
        GuardHistory h = new GuardHistory();
        for (int s = 0; s <= 10; s++) {
            h.add(reading(s * 1000L, -1, RATE));
        }

        GuardVerdict v = SwitchGuard.judge(h, GuardSettings.DEFAULTS);

        assertTrue(v.allowed());
        assertTrue(v.reason().contains("link not judged"), v.reason());
    }

    @Test
    void judge_remainingCannotFinishWithinTwoBudgets_holdsWithKubevirtsArithmetic() {
        // 512 MiB → 1 GiB rounded up → 2 × 150 s = 300 s; at 290 s, 200 MiB at ≈ 10 MiB/s take ≈ 20 s > 10 s left
        GuardHistory h = new GuardHistory();
        for (int s = 280; s <= 290; s++) {
            h.add(new GuardReading(s * 1000L, 1 + s / 3, s * 10 * MIB, 200 * MIB, MEMORY, 10 * MIB));
        }

        GuardVerdict v = SwitchGuard.judge(h, GuardSettings.DEFAULTS);

        assertFalse(v.allowed());
        assertEquals("the remaining 200 MiB at 10.0 MiB/s take 20000 ms, more than the 10000 ms left of 300 s (2 × 150 s/GiB × 1 GiB)",
                v.reason());
    }

    @Test
    void judge_sameMigrationEarlier_withinBudget_allows() {
        GuardHistory h = new GuardHistory();
        for (int s = 100; s <= 110; s++) {
            h.add(new GuardReading(s * 1000L, 1 + s / 3, s * 10 * MIB, 200 * MIB, MEMORY, 10 * MIB));
        }

        assertTrue(SwitchGuard.judge(h, GuardSettings.DEFAULTS).allowed());
    }

    @Test
    void judge_budgetUsesTheRemainingAtThePassStart_notTheShrinkingCount() {
        GuardHistory h = new GuardHistory();
        h.add(new GuardReading(289_000, 5, 0, 400 * MIB, MEMORY, 10 * MIB)); // pass 5 starts with 400 MiB
        h.add(new GuardReading(290_000, 5, 10 * MIB, 10 * MIB, MEMORY, 10 * MIB)); // later in pass 5: 10 MiB left

        GuardVerdict v = SwitchGuard.judge(h, GuardSettings.DEFAULTS);

        assertFalse(v.allowed());
        assertTrue(v.reason().startsWith("the remaining 400 MiB"), v.reason());
    }

    @Test
    void judge_noRateMeasuredYet_budgetNotJudged_butADeadLinkStillHolds() {
        GuardHistory start = new GuardHistory();
        start.add(new GuardReading(100, 0, 0, MEMORY, MEMORY, 0)); // QEMU reports 0 until it has measured a rate
        start.add(new GuardReading(1100, 1, 50 * MIB, MEMORY, MEMORY, 0));
        GuardVerdict v = SwitchGuard.judge(start, GuardSettings.DEFAULTS);
        assertTrue(v.allowed(), v.reason());
        assertTrue(v.reason().contains("budget not judged (no transfer rate measured yet)"), v.reason());

        GuardHistory dead = new GuardHistory();
        for (int s = 0; s <= 4; s++) {
            dead.add(new GuardReading(s * 1000L, 1, 0, MEMORY, MEMORY, 0));
        }
        assertFalse(SwitchGuard.judge(dead, GuardSettings.DEFAULTS).allowed());
    }

    @Test
    void judge_totalOrRateNotReported_budgetNotJudged() {
        GuardHistory noTotal = new GuardHistory();
        noTotal.add(new GuardReading(290_000, 5, -1, 400 * MIB, -1, MIB));
        GuardHistory noRate = new GuardHistory();
        noRate.add(new GuardReading(290_000, 5, -1, 400 * MIB, MEMORY, -1));

        assertTrue(SwitchGuard.judge(noTotal, GuardSettings.DEFAULTS).reason().contains("budget not judged"));
        assertTrue(SwitchGuard.judge(noRate, GuardSettings.DEFAULTS).reason().contains("budget not judged"));
    }

    @Test
    void judge_guardOff_allowsADeadLink() {
        GuardHistory h = healthy(10);
        for (int s = 11; s <= 20; s++) {
            h.add(reading(s * 1000L, 10 * RATE, 0));
        }

        assertFalse(SwitchGuard.judge(h, GuardSettings.DEFAULTS).allowed());
        assertEquals(new GuardVerdict(true, "guard off"), SwitchGuard.judge(h, GuardSettings.DEFAULTS.withEnabled(false)));
    }

    @Test
    void ewma_kubevirtsWeights_zeroSamplesCount() {
        GuardHistory h = new GuardHistory();
        h.add(reading(0, 0, 100));
        h.add(reading(1000, 0, 0));
        h.add(reading(2000, 0, -1)); // absent: skipped

        assertEquals(60.0, h.ewmaBytesPerSecond(), 1e-9);
    }

    @Test
    void add_aReadingNotNewer_isIgnored_andTheWindowKeepsAMinute() {
        GuardHistory h = new GuardHistory();
        h.add(reading(1000, 0, RATE));
        h.add(reading(1000, 5, RATE));
        h.add(reading(500, 5, RATE));
        assertEquals(1, h.readings().size());

        for (int s = 2; s <= 100; s++) {
            h.add(reading(s * 1000L, s, RATE));
        }
        assertEquals(40_000, h.readings().get(0).elapsedMillis());
    }

    @Test
    void settings_outOfRange_namesTheKeyAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GuardSettings(true, 0, 2, 3000, 0.1));
        assertEquals("postcopyGuardSecondsPerGiB: expected 1..86400, got 0", e.getMessage());
        assertEquals("postcopyGuardBudgetFactor: expected 1..100, got NaN",
                assertThrows(IllegalArgumentException.class, () -> new GuardSettings(true, 150, Double.NaN, 3000, 0.1)).getMessage());
        assertEquals("postcopyGuardStallMillis: expected 1000..600000, got 999",
                assertThrows(IllegalArgumentException.class, () -> new GuardSettings(true, 150, 2, 999, 0.1)).getMessage());
        assertEquals("postcopyGuardCollapseShare: expected a fraction in (0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> new GuardSettings(true, 150, 2, 3000, 1)).getMessage());
    }
}
