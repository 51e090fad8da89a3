// SPDX-License-Identifier: Apache-2.0
package io.migov.core.storage;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReboundCeilingTest {

    private static final double MIB = 1048576;
    private static final double MAX = 100 * MIB;

    @Test
    void next_beforeAnyInterference_noCeiling() {
        ReboundCeiling c = new ReboundCeiling();
        assertEquals(Double.POSITIVE_INFINITY, c.next(false, 50 * MIB, 1, MAX));
    }

    @Test
    void next_interferenceOn_holdsTheLastSpeed_andOnlyEverLowersIt() {
        ReboundCeiling c = new ReboundCeiling();
        assertEquals(40 * MIB, c.next(true, 40 * MIB, 1, MAX));
        assertEquals(MIB, c.next(true, MIB, 1, MAX));
        assertEquals(MIB, c.next(true, 30 * MIB, 1, MAX), "a higher last speed does not lift it while on");
    }

    @Test
    void next_interferenceOffAgain_doublesEverySecondUntilPastTheMaximum() {
        ReboundCeiling c = new ReboundCeiling();
        c.next(true, MIB, 1, MAX);
        double[] expected = {2, 4, 8, 16, 32, 64};
        for (double e : expected) {
            assertEquals(e * MIB, c.next(false, MIB, 1, MAX), 1e-6);
        }
        assertEquals(Double.POSITIVE_INFINITY, c.next(false, 64 * MIB, 1, MAX), "128 MiB/s is past the maximum: no ceiling");
        assertEquals(Double.POSITIVE_INFINITY, c.next(false, 64 * MIB, 1, MAX));
    }

    @Test
    void next_halfSecondSteps_growByTheSameRatePerSecond() {
        ReboundCeiling c = new ReboundCeiling();
        c.next(true, 4 * MIB, 1, MAX);
        c.next(false, 4 * MIB, 0.5, MAX);
        assertEquals(8 * MIB, c.next(false, 4 * MIB, 0.5, MAX), 1e-6);
    }

    @Test
    void next_backOnWhileRebounding_holdsWhereTheSpeedGot() {
        ReboundCeiling c = new ReboundCeiling();
        c.next(true, MIB, 1, MAX);
        c.next(false, MIB, 1, MAX);
        c.next(false, 2 * MIB, 1, MAX);
        assertEquals(3 * MIB, c.next(true, 3 * MIB, 1, MAX));
    }

    @Test
    void next_badInput_namesTheField() {
        ReboundCeiling c = new ReboundCeiling();
        assertEquals("lastBytesPerSecond: expected a value > 0, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> c.next(true, 0, 1, MAX)).getMessage());
        assertEquals("stepSeconds: expected a finite value > 0, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> c.next(true, MIB, 0, MAX)).getMessage());
    }
}
