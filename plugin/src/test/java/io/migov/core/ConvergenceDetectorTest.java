// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConvergenceDetectorTest {

    private static final long MIB = 1024 * 1024;
    /** 100 MiB/s, the lab's 1 GbE-like cap. */
    private static final double BW = 100.0 * MIB;

    private static ConvergenceDetector detector() {
        return new ConvergenceDetector(ConvergenceSettings.DEFAULTS, 300);
    }

    /** A pass where remaining bytes are large enough never to fit the downtime by projection. */
    private static IterationRecord pass(int iteration, double dirtyPagesPerSecond) {
        // 1 GiB remaining, dirtying ≥ what is sent: never projected to complete, never stalls by itself
        return new IterationRecord(iteration, dirtyPagesPerSecond, (1024 - iteration * 100L) * MIB, 0);
    }

    @Test
    void observe_ratesFalling1000_800_600_isDecaying() {
        ConvergenceDetector d = detector();
        d.observe(pass(1, 1000));
        d.observe(pass(2, 800));
        Assessment a = d.observe(pass(3, 600));
        assertEquals(Verdict.DECAYING, a.trend());
        assertEquals(Verdict.DECAYING, a.verdict(), a.reason());
        assertTrue(a.reason().contains("1000, 800, 600"), a.reason());
    }

    @Test
    void observe_rates1000_800_900_isNotDecaying() {
        ConvergenceDetector d = detector();
        d.observe(pass(1, 1000));
        d.observe(pass(2, 800));
        assertEquals(Verdict.NOT_DECAYING, d.observe(pass(3, 900)).verdict());
    }

    @Test
    void observe_ratesRising_isGrowing() {
        ConvergenceDetector d = detector();
        d.observe(pass(1, 1000));
        d.observe(pass(2, 1300));
        assertEquals(Verdict.GROWING, d.observe(pass(3, 1700)).verdict());
    }

    @Test
    void observe_changeWithinNoiseMargin_isNotDecaying() {
        ConvergenceDetector d = detector();
        d.observe(pass(1, 1000));
        d.observe(pass(2, 980)); // 2 % below: noise at the default 4 % margin
        assertEquals(Verdict.NOT_DECAYING, d.observe(pass(3, 960)).verdict());
    }

    @Test
    void observe_unknownDirtyRate_isNotDecayingForLackOfData() {
        Assessment a = detector().observe(new IterationRecord(1, Double.NaN, 512 * MIB, BW));
        assertEquals(Verdict.NOT_DECAYING, a.verdict());
        assertTrue(a.reason().contains("fewer than 2 passes"), a.reason());
    }

    @Test
    void observe_remainingFitsDowntimeNow_willComplete() {
        // 20 MiB at 100 MiB/s = 200 ms ≤ 300 ms
        Assessment a = detector().observe(new IterationRecord(2, 50_000, 20 * MIB, BW));
        assertEquals(Verdict.WILL_COMPLETE, a.verdict(), a.reason());
    }

    @Test
    void observe_remainingShrinksIntoDowntimeWithinTwoPasses_willComplete() {
        // 128 MiB, dirtying 8k pages/s = 31 MiB/s vs 100 MiB/s: 128 → 40 → 12.5 MiB (≤ 30 MiB)
        Assessment a = detector().observe(new IterationRecord(2, 8000, 128 * MIB, BW));
        assertEquals(Verdict.WILL_COMPLETE, a.verdict(), a.reason());
        assertTrue(a.reason().contains("within 2 pass"), a.reason());
    }

    @Test
    void observe_dirtyingFasterThanSending_isNotWillComplete() {
        // 250 MiB, dirtying 25k pages/s ≈ 98 MiB/s vs 100 MiB/s: never fits 30 MiB in two passes
        Assessment a = detector().observe(new IterationRecord(2, 25_000, 250 * MIB, BW));
        assertFalse(a.willComplete(), a.reason());
    }

    @Test
    void observe_flatRemainingBytes_isStalledAtTheConvergencePoint() {
        ConvergenceDetector d = detector();
        // the lab's never-converging writer: ~250 MiB remaining every pass
        d.observe(new IterationRecord(1, Double.NaN, 512 * MIB, BW));
        Assessment second = d.observe(new IterationRecord(2, 24_000, 250 * MIB, BW));
        assertFalse(second.stalled(), second.reason());
        Assessment third = d.observe(new IterationRecord(3, 24_500, 251 * MIB, BW));
        assertEquals(Verdict.STALLED, third.verdict(), third.reason());
        assertEquals(3, third.convergencePoint().getAsInt());
        assertTrue(third.reason().startsWith("stalled:"), third.reason());
    }

    @Test
    void observe_shrinkingRemainingBytes_isNotStalled() {
        ConvergenceDetector d = detector();
        d.observe(new IterationRecord(1, Double.NaN, 512 * MIB, BW));
        d.observe(new IterationRecord(2, 20_000, 400 * MIB, BW));
        Assessment a = d.observe(new IterationRecord(3, 20_000, 300 * MIB, BW));
        assertFalse(a.stalled(), a.reason());
        assertTrue(a.convergencePoint().isEmpty());
    }

    @Test
    void observe_stalledAtALocalMaximum_waitsForTheMinimumThenDeclaresAnyway() {
        ConvergenceDetector d = detector();
        d.observe(new IterationRecord(1, Double.NaN, 512 * MIB, BW));
        d.observe(new IterationRecord(2, 20_000, 200 * MIB, BW));
        Assessment peak = d.observe(new IterationRecord(3, 20_000, 260 * MIB, BW)); // no progress, but a peak
        assertFalse(peak.stalled(), peak.reason());
        assertTrue(peak.reason().contains("waiting for remaining bytes"), peak.reason());
        Assessment back = d.observe(new IterationRecord(4, 20_000, 203 * MIB, BW)); // back within 4 % of 200
        assertTrue(back.stalled(), back.reason());
        assertEquals(4, back.convergencePoint().getAsInt());
    }

    @Test
    void observe_stalledWithoutReturningToTheMinimum_declaresAfterPatience() {
        ConvergenceDetector d = detector();
        d.observe(new IterationRecord(1, Double.NaN, 512 * MIB, BW));
        d.observe(new IterationRecord(2, 20_000, 200 * MIB, BW));
        assertFalse(d.observe(new IterationRecord(3, 20_000, 260 * MIB, BW)).stalled());
        Assessment a = d.observe(new IterationRecord(4, 20_000, 255 * MIB, BW));
        assertTrue(a.stalled(), a.reason());
        assertTrue(a.reason().contains("no local minimum within 1 pass"), a.reason());
    }

    @Test
    void observe_dirtyingAsFastAsSending_isTheConvergencePointAtTheFirstKnownRate() {
        ConvergenceDetector d = detector();
        d.observe(new IterationRecord(1, Double.NaN, 512 * MIB, BW));
        // 30k pages/s ≈ 117 MiB/s dirtied vs 100 MiB/s sent: remaining can never shrink
        Assessment a = d.observe(new IterationRecord(2, 30_000, 400 * MIB, BW));
        assertEquals(Verdict.STALLED, a.verdict(), a.reason());
        assertEquals(2, a.convergencePoint().getAsInt());
        assertTrue(a.reason().startsWith("stalled: pre-copy cannot catch up at pass 2: dirtying 117.2 MiB/s vs sending 100.0 MiB/s"),
                a.reason());
    }

    @Test
    void observe_stallWaitingForItsLocalMinimum_isNotCutShortByTheCatchUpRule() {
        ConvergenceDetector d = detector();
        d.observe(new IterationRecord(1, Double.NaN, 512 * MIB, BW));
        d.observe(new IterationRecord(2, 20_000, 200 * MIB, BW));
        // a peak (no progress, waiting for the minimum) while the dirty rate has grown past the bandwidth
        Assessment peak = d.observe(new IterationRecord(3, 30_000, 260 * MIB, BW));
        assertFalse(peak.stalled(), peak.reason());
        assertTrue(peak.reason().contains("waiting for remaining bytes"), peak.reason());
        Assessment back = d.observe(new IterationRecord(4, 30_000, 203 * MIB, BW));
        assertTrue(back.stalled(), back.reason());
        assertTrue(back.reason().contains("at a local minimum"), back.reason());
    }

    @Test
    void observe_dirtyingJustBelowSending_withinTheMargin_isStalled_butClearlyBelow_isNot() {
        // 96 % of the bandwidth leaves 4 % shrinkage per pass: no progress at the default 4 % margin
        assertTrue(detector().observe(new IterationRecord(2, 24_576, 300 * MIB, BW)).stalled());
        // 90 %: each pass shrinks the rest by 10 %, the stall rule decides later
        assertFalse(detector().observe(new IterationRecord(2, 23_040, 300 * MIB, BW)).stalled());
    }

    @Test
    void observe_withPassBudget_projectedNotToFitByMPlusCompletionPasses_isTheConvergencePoint() {
        // m = 4, completionPasses 2: Algorithm 1 lets pre-copy run until pass 6 at most
        ConvergenceDetector d = new ConvergenceDetector(ConvergenceSettings.DEFAULTS, 300, 4);
        d.observe(new IterationRecord(1, Double.NaN, 512 * MIB, BW));
        // 90 % of the bandwidth: 300 MiB needs 22 passes to shrink to the 30 MiB 300 ms hold
        Assessment a = d.observe(new IterationRecord(2, 23_040, 300 * MIB, BW));
        assertEquals(Verdict.STALLED, a.verdict(), a.reason());
        assertEquals(2, a.convergencePoint().getAsInt());
        assertTrue(a.reason().startsWith("stalled: pre-copy cannot fit the 300 ms downtime by pass 6: 300.0 MiB remaining at pass 2 "
                + "needs 22 more pass(es)"), a.reason());
    }

    @Test
    void observe_withPassBudget_projectedToFitInTime_isLeftToTheOtherRules() {
        ConvergenceDetector d = new ConvergenceDetector(ConvergenceSettings.DEFAULTS, 300, 4);
        d.observe(new IterationRecord(1, Double.NaN, 512 * MIB, BW));
        // 40 % of the bandwidth: 250 MiB fits after 3 more passes, by pass 5 ≤ 6
        Assessment a = d.observe(new IterationRecord(2, 10_240, 250 * MIB, BW));
        assertFalse(a.stalled(), a.reason());
        assertFalse(a.willComplete(), "3 passes is beyond completionPasses: " + a.reason());
        // without a budget (the observational detector every policy gets) the rule is off
        ConvergenceDetector free = detector();
        free.observe(new IterationRecord(1, Double.NaN, 512 * MIB, BW));
        assertFalse(free.observe(new IterationRecord(2, 23_040, 300 * MIB, BW)).stalled());
    }

    @Test
    void passesToFit_geometricProjection() {
        ConvergenceDetector d = detector();
        assertEquals(0.0, d.passesToFit(new IterationRecord(2, 60_000, 20 * MIB, BW)), "fits now");
        assertEquals(Double.POSITIVE_INFINITY, d.passesToFit(new IterationRecord(2, 30_000, 400 * MIB, BW)));
        assertTrue(Double.isNaN(d.passesToFit(new IterationRecord(2, Double.NaN, 400 * MIB, BW))));
        // 50 %: 240 → 120 → 60 → 30 MiB
        assertEquals(3.0, d.passesToFit(new IterationRecord(2, 12_800, 240 * MIB, BW)));
        assertThrows(IllegalArgumentException.class, () -> new ConvergenceDetector(ConvergenceSettings.DEFAULTS, 300, 0));
    }

    @Test
    void observe_smallWorkingSetThatFitsTheDowntime_willCompleteDespiteAFastDirtyRate() {
        // 20 MiB left, 300 ms at 100 MiB/s = 30 MiB: pre-copy finishes now whatever the dirty rate
        Assessment a = detector().observe(new IterationRecord(2, 60_000, 20 * MIB, BW));
        assertEquals(Verdict.WILL_COMPLETE, a.verdict(), a.reason());
    }

    @Test
    void observe_willCompleteWinsOverStall() {
        ConvergenceDetector d = detector();
        d.observe(new IterationRecord(1, Double.NaN, 20 * MIB, BW));
        Assessment a = d.observe(new IterationRecord(2, 100, 20 * MIB, BW));
        assertEquals(Verdict.WILL_COMPLETE, a.verdict());
        assertTrue(a.convergencePoint().isEmpty());
    }

    @Test
    void observe_samePassTwice_returnsTheFirstAssessment() {
        ConvergenceDetector d = detector();
        Assessment first = d.observe(new IterationRecord(1, Double.NaN, 512 * MIB, BW));
        assertSame(first, d.observe(new IterationRecord(1, Double.NaN, 100 * MIB, BW)));
        assertEquals(1, d.history().size());
    }

    @Test
    void observe_passGoingBackwards_isRejected() {
        ConvergenceDetector d = detector();
        d.observe(new IterationRecord(3, 10, MIB, BW));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.observe(new IterationRecord(2, 10, MIB, BW)));
        assertTrue(e.getMessage().startsWith("iteration:"), e.getMessage());
    }

    @Test
    void iterationRecord_badValues_areRejectedNamingTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new IterationRecord(0, 1, 1, 1))
                .getMessage().startsWith("iteration:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new IterationRecord(1, -1, 1, 1))
                .getMessage().startsWith("dirtyRatePagesPerSecond:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new IterationRecord(1, 1, -1, 1))
                .getMessage().startsWith("remainingBytes:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new IterationRecord(1, 1, 1, Double.NaN))
                .getMessage().startsWith("transferRateBytesPerSecond:"));
    }

    @Test
    void settings_badValues_areRejectedNamingTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ConvergenceSettings(100, 1, 1, 2, 4096))
                .getMessage().startsWith("noiseMarginPercent:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ConvergenceSettings(4, 0, 1, 2, 4096))
                .getMessage().startsWith("stallWindowIterations:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ConvergenceSettings(4, 1, 1, 2, 3000))
                .getMessage().startsWith("pageSizeBytes:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ConvergenceDetector(ConvergenceSettings.DEFAULTS, 0))
                .getMessage().startsWith("allowedDowntimeMillis:"));
    }
}
