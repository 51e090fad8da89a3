// SPDX-License-Identifier: Apache-2.0
package io.migov.core.guard;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The guard's link check over any readings of a migration, about once a second as the daemon reads them. */
class SwitchGuardProperties {

    private static final long MIB = 1024 * 1024;
    private static final long MEMORY = 512 * MIB;

    /**
     * Readings {@code gapsMillis} apart, the rate of each interval a factor of {@code baseMiB} MiB/s: bytes processed
     * at those rates, QEMU's rate reported as the same.
     */
    private static GuardHistory history(long baseMiB, List<Double> factors, List<Integer> gapsMillis) {
        GuardHistory h = new GuardHistory();
        long t = 1000;
        long sent = 0;
        h.add(new GuardReading(t, 1, sent, MEMORY, MEMORY, baseMiB * MIB));
        for (int i = 0; i < factors.size(); i++) {
            long gap = gapsMillis.get(i % gapsMillis.size());
            long rate = Math.round(baseMiB * MIB * factors.get(i));
            t += gap;
            sent += rate * gap / 1000;
            h.add(new GuardReading(t, 1 + (int) (t / 3000), sent, MEMORY - sent % MEMORY, MEMORY, rate));
        }
        return h;
    }

    @Property(tries = 300)
    void linkHealth_bytesFlowingAtRatesWithinAThirdOfEachOther_neverHeld(@ForAll @LongRange(min = 1, max = 1000) long baseMiB,
            @ForAll @Size(min = 1, max = 80) List<@DoubleRange(min = 0.5, max = 1.5) Double> factors,
            @ForAll @Size(min = 1, max = 5) List<@IntRange(min = 300, max = 2500) Integer> gapsMillis) {
        GuardVerdict v = SwitchGuard.linkHealth(history(baseMiB, factors, gapsMillis).readings(), GuardSettings.DEFAULTS);

        assertTrue(v.allowed(), v.reason());
    }

    @Property(tries = 300)
    void judge_nothingSentForTheStallWindow_heldWhateverCameBefore(@ForAll @LongRange(min = 1, max = 1000) long baseMiB,
            @ForAll @Size(min = 1, max = 40) List<@DoubleRange(min = 0.0, max = 2.0) Double> factors,
            @ForAll @Size(min = 1, max = 5) List<@IntRange(min = 300, max = 2500) Integer> gapsMillis,
            @ForAll @IntRange(min = 3, max = 20) int stalledReadings, @ForAll @LongRange(min = 1000, max = 10_000) long stallMillis) {
        GuardHistory h = history(baseMiB, factors, gapsMillis);
        GuardReading last = h.readings().get(h.readings().size() - 1);
        long step = (stallMillis + stalledReadings - 1) / stalledReadings; // the flat readings span the window
        for (int i = 1; i <= stalledReadings; i++) {
            h.add(new GuardReading(last.elapsedMillis() + i * step, last.iteration(), last.processedBytes(), last.remainingBytes(),
                    MEMORY, last.rateBytesPerSecond())); // QEMU's rate stale, as on the lab
        }
        GuardSettings s = new GuardSettings(true, 150, 2, stallMillis, 0.1);

        GuardVerdict v = SwitchGuard.judge(h, s);

        assertFalse(v.allowed(), v.reason());
        assertTrue(v.reason().startsWith("link looks unhealthy: no byte sent for "), v.reason());
        assertTrue(SwitchGuard.judge(h, s.withEnabled(false)).allowed());
    }

    @Property(tries = 200)
    void judge_repeatedOrOlderReadings_changeNothing(@ForAll @LongRange(min = 1, max = 1000) long baseMiB,
            @ForAll @Size(min = 1, max = 40) List<@DoubleRange(min = 0.0, max = 2.0) Double> factors,
            @ForAll @Size(min = 1, max = 5) List<@IntRange(min = 300, max = 2500) Integer> gapsMillis,
            @ForAll @IntRange(min = 0, max = 40) int replayedIndex) {
        GuardHistory h = history(baseMiB, factors, gapsMillis);
        GuardVerdict before = SwitchGuard.judge(h, GuardSettings.DEFAULTS);
        double ewma = h.ewmaBytesPerSecond();
        List<GuardReading> rs = h.readings();

        h.add(rs.get(Math.min(replayedIndex, rs.size() - 1))); // an event and a tick reading the same moment, or a late one

        assertEquals(before, SwitchGuard.judge(h, GuardSettings.DEFAULTS));
        assertEquals(ewma, h.ewmaBytesPerSecond());
        assertEquals(rs, h.readings());
    }
}
