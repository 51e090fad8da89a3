// SPDX-License-Identifier: Apache-2.0
package io.migov.core.storage;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReboundCeilingTest {

    private static final double MIB = 1048576;
    private static final double MAX = 100 * MIB;
    private static final HysteresisSettings H = HysteresisSettings.DEFAULTS; // on 0.5, off 0.15
    private static final double HIGH = 0.9;
    private static final double MIDDLE = 0.3;
    private static final double QUIET = 0.05;

    @Test
    void next_beforeAnyInterference_noCeiling_evenInMiddlingSeconds() {
        ReboundCeiling c = new ReboundCeiling();
        assertEquals(Double.POSITIVE_INFINITY, c.next(QUIET, false, H, 50 * MIB, 1, MIB, MAX));
        assertEquals(Double.POSITIVE_INFINITY, c.next(MIDDLE, false, H, 50 * MIB, 1, MIB, MAX));
    }

    @Test
    void next_highSecond_holdsTheLastSpeed_andOnlyEverLowersIt_alsoBeforeTheHysteresisSwitches() {
        ReboundCeiling c = new ReboundCeiling();
        assertEquals(40 * MIB, c.next(HIGH, false, H, 40 * MIB, 1, MIB, MAX));
        assertEquals(MIB, c.next(HIGH, false, H, MIB, 1, MIB, MAX));
        assertEquals(MIB, c.next(HIGH, true, H, 30 * MIB, 1, MIB, MAX), "a higher last speed does not lift it");
    }

    @Test
    void next_middlingSecond_holds_quietSecondWhileOn_holds() {
        ReboundCeiling c = new ReboundCeiling();
        c.next(HIGH, false, H, MIB, 1, MIB, MAX);
        assertEquals(MIB, c.next(MIDDLE, false, H, MIB, 1, MIB, MAX));
        assertEquals(MIB, c.next(QUIET, true, H, MIB, 1, MIB, MAX), "no rebound while the hysteresis is on");
    }

    @Test
    void next_runOfMiddlingSecondsAfterInterference_halvesFromTheOnCountsSecondOn_notBelowTheMinimum() {
        ReboundCeiling c = new ReboundCeiling();
        assertEquals(32 * MIB, c.next(HIGH, false, H, 32 * MIB, 1, MIB, MAX), "the first not-quiet second holds");
        double[] expected = {16, 8, 4, 2, 1, 1};
        for (double e : expected) {
            assertEquals(e * MIB, c.next(MIDDLE, false, H, e * 2 * MIB, 1, MIB, MAX), 1e-6);
        }
    }

    @Test
    void next_middlingRunWhileTheHysteresisIsOn_halvesToo() {
        ReboundCeiling c = new ReboundCeiling();
        c.next(HIGH, true, H, 20 * MIB, 1, MIB, MAX);
        assertEquals(10 * MIB, c.next(MIDDLE, true, H, 20 * MIB, 1, MIB, MAX), 1e-6);
    }

    @Test
    void next_runOfMarginallyHighSeconds_halves_theCutDoesNotWaitForThePid() {
        ReboundCeiling c = new ReboundCeiling();
        double marginal = 0.54; // just above the 0.5 on-probability: the PID alone cuts a few MiB/s
        assertEquals(90 * MIB, c.next(marginal, false, H, 90 * MIB, 1, MIB, MAX), 1e-6);
        assertEquals(27 * MIB, c.next(marginal, true, H, 54 * MIB, 1, MIB, MAX), 1e-6, "min(90, 54) halved");
        assertEquals(13.5 * MIB, c.next(marginal, true, H, 43 * MIB, 1, MIB, MAX), 1e-6, "a faster PID output does not lift it");
    }

    @Test
    void next_highAndMiddlingSecondsMixed_countAsOneRun_aQuietSecondEndsIt() {
        ReboundCeiling c = new ReboundCeiling();
        c.next(MIDDLE, false, H, 64 * MIB, 1, MIB, MAX);
        assertEquals(32 * MIB, c.next(HIGH, false, H, 64 * MIB, 1, MIB, MAX), 1e-6, "second not-quiet second in a row");
        assertEquals(16 * MIB, c.next(MIDDLE, false, H, 64 * MIB, 1, MIB, MAX), 1e-6);
        assertEquals(32 * MIB, c.next(QUIET, false, H, 16 * MIB, 1, MIB, MAX), 1e-6);
        assertEquals(32 * MIB, c.next(HIGH, false, H, 32 * MIB, 1, MIB, MAX), 1e-6, "a run of one after the quiet second holds");
    }

    @Test
    void next_middlingSecondsBetweenQuietOnes_neverShrink() {
        ReboundCeiling c = new ReboundCeiling();
        c.next(HIGH, false, H, 4 * MIB, 1, MIB, MAX);
        assertEquals(8 * MIB, c.next(QUIET, false, H, 4 * MIB, 1, MIB, MAX), 1e-6);
        assertEquals(8 * MIB, c.next(MIDDLE, false, H, 8 * MIB, 1, MIB, MAX), 1e-6);
        assertEquals(16 * MIB, c.next(QUIET, false, H, 8 * MIB, 1, MIB, MAX), 1e-6);
        assertEquals(16 * MIB, c.next(MIDDLE, false, H, 16 * MIB, 1, MIB, MAX), 1e-6, "a run of one: the on-count is 2");
    }

    @Test
    void next_middlingRunBeforeAnyInterference_noCeiling() {
        ReboundCeiling c = new ReboundCeiling();
        for (int i = 0; i < 5; i++) {
            assertEquals(Double.POSITIVE_INFINITY, c.next(MIDDLE, false, H, MAX, 1, MIB, MAX));
        }
        assertFalse(c.interferenceSeen());
    }

    @Test
    void next_quietSecondsWithTheHysteresisOff_doubleUntilPastTheMaximum() {
        ReboundCeiling c = new ReboundCeiling();
        c.next(HIGH, true, H, MIB, 1, MIB, MAX);
        double[] expected = {2, 4, 8, 16, 32, 64};
        for (double e : expected) {
            assertEquals(e * MIB, c.next(QUIET, false, H, MIB, 1, MIB, MAX), 1e-6);
        }
        assertEquals(Double.POSITIVE_INFINITY, c.next(QUIET, false, H, 64 * MIB, 1, MIB, MAX), "128 MiB/s is past the maximum");
        assertEquals(100 * MIB, c.next(MIDDLE, false, H, 100 * MIB, 1, MIB, MAX),
                "once a neighbour has been seen an undecided second holds the copy where it is, even after a full rebound");
    }

    @Test
    void interferenceSeen_fromTheFirstHighSecond_andStillAfterTheCeilingIsDropped() {
        ReboundCeiling c = new ReboundCeiling();
        c.next(MIDDLE, false, H, MAX, 1, MIB, MAX);
        assertFalse(c.interferenceSeen(), "a middling second is no evidence");
        c.next(QUIET, false, H, MAX, 1, MIB, MAX);
        c.next(HIGH, false, H, 64 * MIB, 1, MIB, MAX);
        assertTrue(c.interferenceSeen(), "one second at or above the on-probability, hysteresis still off");
        assertEquals(Double.POSITIVE_INFINITY, c.next(QUIET, false, H, 64 * MIB, 1, MIB, MAX), "128 MiB/s: past the maximum, dropped");
        assertTrue(c.interferenceSeen());
    }

    @Test
    void next_halfSecondSteps_growByTheSameRatePerSecond() {
        ReboundCeiling c = new ReboundCeiling();
        c.next(HIGH, true, H, 4 * MIB, 1, MIB, MAX);
        c.next(QUIET, false, H, 4 * MIB, 0.5, MIB, MAX);
        assertEquals(8 * MIB, c.next(QUIET, false, H, 4 * MIB, 0.5, MIB, MAX), 1e-6);
    }

    @Test
    void next_badInput_namesTheField() {
        ReboundCeiling c = new ReboundCeiling();
        assertEquals("probability: expected [0, 1], got 1.5",
                assertThrows(IllegalArgumentException.class, () -> c.next(1.5, true, H, MIB, 1, MIB, MAX)).getMessage());
        assertEquals("lastBytesPerSecond: expected a value > 0, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> c.next(HIGH, true, H, 0, 1, MIB, MAX)).getMessage());
        assertEquals("stepSeconds: expected a finite value > 0, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> c.next(HIGH, true, H, MIB, 0, MIB, MAX)).getMessage());
    }
}
