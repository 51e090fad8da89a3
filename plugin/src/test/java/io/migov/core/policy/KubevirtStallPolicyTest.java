// SPDX-License-Identifier: Apache-2.0
package io.migov.core.policy;

import io.migov.core.Action;
import io.migov.core.ActionKind;
import io.migov.core.Behaviour;
import io.migov.core.Decision;
import io.migov.core.Strategy;
import org.junit.jupiter.api.Test;

import java.util.function.LongToDoubleFunction;
import java.util.function.LongUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KubevirtStallPolicyTest {

    private static final long MIB = 1024L * 1024;
    private static final long GIB = 1024 * MIB;
    private static final double RATE_100_MIB = 100.0 * MIB;

    private static MigrationContext context(long memoryBytes, boolean postCopyPermitted) {
        return new MigrationContext(new Decision(72, Strategy.HYBRID, "test"), new Behaviour(5, 0, 0, 0), postCopyPermitted,
                memoryBytes, 0, 300);
    }

    private static KubevirtStallPolicy started(long memoryBytes, boolean postCopyPermitted) {
        KubevirtStallPolicy p = new KubevirtStallPolicy(KubevirtStallPolicy.DEFAULT_WINDOW_MILLIS);
        p.start(context(memoryBytes, postCopyPermitted));
        return p;
    }

    /** The first non-none action of a run and the second it came at. */
    private record Hit(long second, Action action, Observation observation) {
    }

    /**
     * The daemon's view of a migration whose passes take 2 s: a pass boundary at every even second
     * (pass = second/2 + 1) with the given remaining bytes, a poll at every odd second whose remaining
     * bytes are mid-pass (a tenth: libvirt counts down through a pass), each with the given rate.
     * Runs until the first action or {@code untilSecond}.
     */
    private static Hit run(KubevirtStallPolicy p, long fromSecond, long untilSecond, LongUnaryOperator remainingMibAt,
                           LongToDoubleFunction rateAt) {
        for (long s = fromSecond; s <= untilSecond; s++) {
            boolean boundary = s % 2 == 0;
            long remaining = remainingMibAt.applyAsLong(boundary ? s : s - 1) * MIB;
            Observation o = new Observation(s * 1000, (int) (s / 2 + 1), 20_000, boundary ? remaining : remaining / 10,
                    rateAt.applyAsDouble(s), boundary);
            Action a = p.observe(o);
            if (!a.isNone()) {
                return new Hit(s, a, o);
            }
        }
        return null;
    }

    private static Hit run(KubevirtStallPolicy p, long untilSecond, LongUnaryOperator remainingMibAt) {
        return run(p, 0, untilSecond, remainingMibAt, s -> RATE_100_MIB);
    }

    @Test
    void budgetSeconds_countsDecimalGbRoundedUp() {
        // getVMIMigrationDataSize: Quantity.ScaledValue(resource.Giga) = ceil(bytes / 10⁹)
        assertEquals(150, KubevirtStallPolicy.budgetSeconds(512 * MIB, 150));
        assertEquals(150, KubevirtStallPolicy.budgetSeconds(1_000_000_000L, 150));
        assertEquals(300, KubevirtStallPolicy.budgetSeconds(1_000_000_001L, 150));
        assertEquals(750, KubevirtStallPolicy.budgetSeconds(4 * GIB, 150));
        assertEquals(0, KubevirtStallPolicy.budgetSeconds(0, 150));
    }

    @Test
    void observe_flatRemainingBytes_switchesAtTheFirstBoundaryAWindowAfterTheFirstRecord() {
        KubevirtStallPolicy p = started(4 * GIB, true);
        // pass 1 at 0 s has no bandwidth sample yet and is skipped (as KubeVirt); the first record is 2 s
        Hit h = run(p, 200, s -> 200);
        assertNotNull(h);
        assertEquals(42, h.second());
        assertEquals(ActionKind.SWITCH_TO_POSTCOPY, h.action().kind());
        assertEquals(22, h.action().iteration());
        String r = h.action().reason();
        assertTrue(r.startsWith("kubevirt-stall: stall detected: remaining 200.0 MiB at 42 s not below 96% of 200.0 MiB"), r);
        assertTrue(r.contains("at a local minimum"), r);
        assertTrue(r.contains("estimated transfer 2000 ms at 100.0 MiB/s"), r);
        assertTrue(r.contains("fits before 1500 s"), r);
    }

    @Test
    void observe_flatRemainingBytesWith10sWindow_switchesAt12s() {
        KubevirtStallPolicy p = new KubevirtStallPolicy(10_000);
        p.start(context(4 * GIB, true));
        Hit h = run(p, 200, s -> 200);
        assertNotNull(h);
        assertEquals(12, h.second());
    }

    @Test
    void observe_remainingFalling1PercentPerPass_neverStalls() {
        KubevirtStallPolicy p = started(4 * GIB, true);
        // 20 passes per 40 s window: 0.99²⁰ ≈ 0.82, always below 96 % of the best a window earlier
        Hit h = run(p, 700, s -> Math.round(2000 * Math.pow(0.99, s / 2.0)));
        assertNull(h, () -> "acted: " + h);
        assertFalse(p.stallDetected());
    }

    @Test
    void observe_remainingFalling0point1PercentPerPass_stallsAsLessThan4PercentPerWindow() {
        KubevirtStallPolicy p = started(4 * GIB, true);
        Hit h = run(p, 700, s -> Math.round(2000 * Math.pow(0.999, s / 2.0)));
        assertNotNull(h);
        assertEquals(42, h.second());
        assertEquals(ActionKind.SWITCH_TO_POSTCOPY, h.action().kind());
    }

    /** 1000 MiB falling 35 MiB/s to 300 MiB at 20 s, then passes cycling 300, 330, 360, 390, 360, 330 MiB. */
    private static long oscillating(long second) {
        if (second <= 20) {
            return 1000 - 35 * second;
        }
        long[] cycle = {300, 330, 360, 390, 360, 330};
        return cycle[(int) (((second - 20) / 2) % cycle.length)];
    }

    @Test
    void observe_stalledAtAPeak_waitsForTheNextLocalMinimum() {
        KubevirtStallPolicy p = started(4 * GIB, true);
        // 20 s is the best (300 MiB); it leaves the window at 60 s, where 360 MiB ≥ 96 % of 300: stalled
        assertNull(run(p, 0, 58, KubevirtStallPolicyTest::oscillating, s -> RATE_100_MIB));
        assertFalse(p.stallDetected());
        // 60 s (360), 62 s (390), 64 s (360), 66 s (330) are above 300 + 4 % = 312 MiB; 68 s is back at 300.
        // The polls in between report a tenth of a pass's bytes (31..39 MiB) and must not count as minima.
        Hit h = run(p, 59, 200, KubevirtStallPolicyTest::oscillating, s -> RATE_100_MIB);
        assertTrue(p.stallDetected());
        assertEquals(300 * MIB, p.bestRemainingBytes());
        assertNotNull(h);
        assertEquals(68, h.second());
        assertEquals(ActionKind.SWITCH_TO_POSTCOPY, h.action().kind());
        assertTrue(h.action().reason().contains("stalled since 60 s; pass 35 at a local minimum: remaining 300.0 MiB ≤ 312.0 MiB"),
                h.action().reason());
    }

    @Test
    void observe_stalledAboveTheMinimum_reasonNamesTheTarget() {
        KubevirtStallPolicy p = started(4 * GIB, true);
        run(p, 0, 59, KubevirtStallPolicyTest::oscillating, s -> RATE_100_MIB);
        Action a = p.observe(new Observation(60_000, 31, 20_000, 360 * MIB, RATE_100_MIB, true));
        assertTrue(a.isNone());
        assertTrue(a.reason().contains("remaining 360.0 MiB above the local-minimum target 312.0 MiB (best 300.0 MiB + 4%"), a.reason());
    }

    @Test
    void observe_minimumNeverComesBack_relaxesTheTargetAfterTheWindow() {
        KubevirtStallPolicy p = started(4 * GIB, true);
        // down to 300 MiB at 20 s, then 400/410 MiB for ever. Stalled at 58 s (410 MiB ≥ 96 % of 370 MiB, the 18 s
        // record), aiming at 300 + 4 % = 312 MiB (the 20 s record, still in the window), which never comes back.
        // After the 40 s patience, at 98 s, the target relaxes to 400 MiB, the smallest since the stall: 410 ≤ 416.
        LongUnaryOperator series = s -> s <= 20 ? 1000 - 35 * s : (s / 2) % 2 == 0 ? 400 : 410;
        Hit h = run(p, 0, 300, series, s -> RATE_100_MIB);
        assertNotNull(h);
        assertEquals(98, h.second());
        assertEquals(400 * MIB, p.bestRemainingBytes());
        assertEquals(ActionKind.SWITCH_TO_POSTCOPY, h.action().kind());
    }

    @Test
    void observe_transferRates_smoothedByEwmaWithAlpha0point4() {
        KubevirtStallPolicy p = started(4 * GIB, true);
        p.observe(new Observation(1_000, 1, Double.NaN, GIB, 100 * MIB, false)); // seeds: 100
        p.observe(new Observation(2_000, 1, Double.NaN, GIB, 200 * MIB, false)); // 0.4·200 + 0.6·100 = 140
        p.observe(new Observation(3_000, 1, Double.NaN, GIB, 0, false));         // unknown: skipped
        Action a = p.observe(new Observation(4_000, 1, Double.NaN, GIB, 50 * MIB, false)); // 0.4·50 + 0.6·140 = 104
        assertEquals(104.0 * MIB, p.ewmaBytesPerSecond(), 1e-6);
        assertTrue(a.reason().contains("bandwidth EWMA 104.0 MiB/s"), a.reason());
    }

    @Test
    void observe_boundaryRate_feedsTheEwmaAfterTheBoundarysDecision() {
        KubevirtStallPolicy p = started(4 * GIB, true);
        Action first = p.observe(new Observation(0, 1, Double.NaN, GIB, 100 * MIB, true));
        assertTrue(first.reason().contains("no bandwidth sample yet: pass 1 not recorded"), first.reason());
        assertEquals(100.0 * MIB, p.ewmaBytesPerSecond(), 1e-6);
    }

    @Test
    void observe_stalledButTransferBeyondTwiceTheBudget_refusesThenSwitchesWhenBandwidthRecovers() {
        KubevirtStallPolicy p = started(512 * MIB, true); // budget 150 s: must fit before 300 s
        // flat 400 MiB at 1 MiB/s: 400 000 ms > (300 − 42) s at the stall
        assertNull(run(p, 0, 41, s -> 400, s -> 1.0 * MIB));
        Action refused = p.observe(new Observation(42_000, 22, 20_000, 400 * MIB, 1.0 * MIB, true));
        assertTrue(refused.isNone());
        assertTrue(p.stallDetected());
        assertTrue(refused.reason().contains("not switching: estimated transfer time 400000 ms (at 1.0 MiB/s) exceeds the remaining budget"
                + " 258000 ms before 300 s (2 × 150 s budget)"), refused.reason());
        // 10 MiB/s from 43 s: EWMA 0.4·10 + 0.6·1 = 4.6 MiB/s at the 44 s boundary → 86 956 ms fits in 256 000 ms
        Hit h = run(p, 43, 100, s -> 400, s -> 10.0 * MIB);
        assertNotNull(h);
        assertEquals(44, h.second());
        assertEquals(ActionKind.SWITCH_TO_POSTCOPY, h.action().kind());
        assertTrue(h.action().reason().contains("estimated transfer 86956 ms at 4.6 MiB/s"), h.action().reason());
    }

    @Test
    void observe_afterSwitching_actsOnlyOnce() {
        KubevirtStallPolicy p = started(4 * GIB, true);
        Hit h = run(p, 200, s -> 200);
        assertNotNull(h);
        for (long s = h.second() + 1; s <= 2000; s++) { // past the completion timeout too
            Action a = p.observe(new Observation(s * 1000, (int) (s / 2 + 1), 20_000, 200 * MIB, RATE_100_MIB, s % 2 == 0));
            assertTrue(a.isNone(), "at " + s + " s: " + a);
            assertEquals("already acted: switch_to_postcopy at pass 22", a.reason());
        }
        assertEquals("done: switch_to_postcopy at pass 22", p.plan());
    }

    @Test
    void observe_pastTheCompletionTimeoutWithPostCopy_switches() {
        KubevirtStallPolicy p = started(512 * MIB, true); // budget 150 s
        // falling 1 % per pass never stalls; at 150 s the timeout is not yet passed (elapsed must exceed it)
        LongUnaryOperator falling = s -> Math.round(2000 * Math.pow(0.99, s / 2.0));
        Hit h = run(p, 0, 400, falling, s -> RATE_100_MIB);
        assertNotNull(h);
        assertEquals(151, h.second());
        assertEquals(ActionKind.SWITCH_TO_POSTCOPY, h.action().kind());
        assertTrue(h.action().reason().startsWith("kubevirt-stall: completion timeout: 151 s elapsed > 150 s (150 s × 1 GB)"),
                h.action().reason());
    }

    @Test
    void observe_completionTimeoutPerGiBConfigured_switchesPastThatBudget() {
        KubevirtStallPolicy p = new KubevirtStallPolicy(KubevirtStallPolicy.DEFAULT_WINDOW_MILLIS, 20); // 20 s × 1 GB
        p.start(context(512 * MIB, true));
        Hit h = run(p, 0, 400, s -> Math.round(2000 * Math.pow(0.99, s / 2.0)), s -> RATE_100_MIB);
        assertNotNull(h);
        assertEquals(21, h.second());
        assertEquals(ActionKind.SWITCH_TO_POSTCOPY, h.action().kind());
        assertTrue(h.action().reason().startsWith("kubevirt-stall: completion timeout: 21 s elapsed > 20 s (20 s × 1 GB)"),
                h.action().reason());
        assertThrows(IllegalArgumentException.class, () -> new KubevirtStallPolicy(KubevirtStallPolicy.DEFAULT_WINDOW_MILLIS, 0));
    }

    @Test
    void observe_pastTheCompletionTimeoutTooSlowToFinish_aborts() {
        KubevirtStallPolicy p = started(512 * MIB, true);
        // ~940 MiB left at 0.5 MiB/s: ~1880 s, far beyond 300 − 151 s
        Hit h = run(p, 0, 400, s -> Math.round(2000 * Math.pow(0.99, s / 2.0)), s -> 0.5 * MIB);
        assertNotNull(h);
        assertEquals(151, h.second());
        assertEquals(ActionKind.ABORT, h.action().kind());
        assertTrue(h.action().reason().contains("exceeds the remaining budget"), h.action().reason());
    }

    @Test
    void observe_pastTheCompletionTimeoutWithoutPostCopy_aborts() {
        KubevirtStallPolicy p = started(512 * MIB, false);
        Hit h = run(p, 0, 400, s -> Math.round(2000 * Math.pow(0.99, s / 2.0)), s -> RATE_100_MIB);
        assertNotNull(h);
        assertEquals(151, h.second());
        assertEquals(ActionKind.ABORT, h.action().kind());
        assertTrue(h.action().reason().endsWith("; no post-copy: abort"), h.action().reason());
    }

    @Test
    void postCopyRefused_atAStallTooLongForStopAndCopy_aborts() {
        KubevirtStallPolicy p = started(4 * GIB, true);
        Hit h = run(p, 200, s -> 200); // 200 MiB at 100 MiB/s: 2000 ms > 1.5 × 900 ms
        assertEquals(ActionKind.SWITCH_TO_POSTCOPY, h.action().kind());
        Action a = p.postCopyRefused(h.observation());
        assertEquals(ActionKind.ABORT, a.kind());
        assertEquals(22, a.iteration());
        assertTrue(a.reason().contains("libvirt refused post-copy at pass 22 at a local minimum"), a.reason());
        assertTrue(a.reason().contains("estimated downtime 2000 ms exceeds 1.5 × max downtime 900 ms: abort"), a.reason());
        assertTrue(p.observe(new Observation(43_000, 22, 20_000, 200 * MIB, RATE_100_MIB, false)).reason().startsWith("already acted: abort"));
    }

    @Test
    void postCopyRefused_atAStallWithin1point5TimesMaxDowntime_stopAndCopiesThenAbortsAfter60s() {
        KubevirtStallPolicy p = started(4 * GIB, true);
        Hit h = run(p, 200, s -> 100); // 100 MiB at 100 MiB/s: 1000 ms, within 1.5 × 900 ms
        Action a = p.postCopyRefused(h.observation());
        assertEquals(ActionKind.RAISE_DOWNTIME, a.kind());
        assertEquals(900, a.downtimeMillis());
        assertTrue(a.reason().contains("estimated downtime 1000 ms within 1.5 × max downtime 900 ms"), a.reason());
        // stop-and-copy must finish within KubeVirt's 60 s switchover timeout: 42 + 60 = 102 s
        Hit abort = run(p, 43, 200, s -> 100, s -> RATE_100_MIB);
        assertNotNull(abort);
        assertEquals(103, abort.second());
        assertEquals(ActionKind.ABORT, abort.action().kind());
        assertTrue(abort.action().reason().contains("has not finished by 102 s"), abort.action().reason());
    }

    @Test
    void postCopyRefused_atTheCompletionTimeout_aborts() {
        KubevirtStallPolicy p = started(512 * MIB, true);
        Hit h = run(p, 0, 400, s -> Math.round(2000 * Math.pow(0.99, s / 2.0)), s -> RATE_100_MIB);
        assertEquals(ActionKind.SWITCH_TO_POSTCOPY, h.action().kind());
        Action a = p.postCopyRefused(h.observation());
        assertEquals(ActionKind.ABORT, a.kind());
        assertTrue(a.reason().contains("after the completion timeout (150 s)"), a.reason());
    }

    @Test
    void observe_withoutPostCopyFromTheStart_stopAndCopiesWithinMaxDowntime() {
        KubevirtStallPolicy p = started(4 * GIB, false);
        Hit h = run(p, 200, s -> 80); // 80 MiB at 100 MiB/s = 800 ms ≤ 900 ms
        assertNotNull(h);
        assertEquals(42, h.second());
        assertEquals(ActionKind.RAISE_DOWNTIME, h.action().kind());
        assertEquals(900, h.action().downtimeMillis());
        assertTrue(h.action().reason().contains("estimated downtime 800 ms within max downtime 900 ms"), h.action().reason());
    }

    @Test
    void observe_memoryUnknown_actsWithoutBudgetCheckOrTimeout() {
        KubevirtStallPolicy p = started(0, true);
        assertEquals(0, p.budgetSeconds());
        Hit h = run(p, 200, s -> 200);
        assertNotNull(h);
        assertEquals(42, h.second());
        assertTrue(h.action().reason().contains("budget unknown (guest memory unknown): not checked"), h.action().reason());
    }

    @Test
    void plan_beforeAndDuringAStall_saysWhatComesNext() {
        KubevirtStallPolicy p = started(4 * GIB, true);
        assertTrue(p.plan().contains("watching for a stall (remaining bytes not below 96% of the best at least 40 s older); then "
                + "switch_to_postcopy at a local minimum; completion timeout after 750 s"), p.plan());
        run(p, 0, 60, KubevirtStallPolicyTest::oscillating, s -> RATE_100_MIB);
        assertTrue(p.plan().contains("stalled since 60 s; switch_to_postcopy at a boundary with remaining ≤ 312.0 MiB"), p.plan());
    }

    @Test
    void constructor_windowBelow1ms_isRejectedNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new KubevirtStallPolicy(0));
        assertEquals("windowMillis: expected ≥ 1, got 0", e.getMessage());
    }

    @Test
    void create_kubevirtStall_usesTheConfiguredWindow() {
        MigrationPolicy p = Policies.create("kubevirt-stall", PolicySettings.DEFAULTS);
        assertEquals("kubevirt-stall", p.name());
        assertTrue(p.plan().contains("not started"), p.plan());
    }
}
