// SPDX-License-Identifier: Apache-2.0
package io.migov.core.storage;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InterferencePidTest {

    private static final double MIB = 1024.0 * 1024.0;
    private static final double MIN = PidSettings.DEFAULTS.minBytesPerSecond();
    private static final double MAX = PidSettings.DEFAULTS.maxBytesPerSecond();

    private static PidSettings gains(double kp, double ki, double kd) {
        return new PidSettings(kp, ki, kd, 0.5, MIN, MAX);
    }

    /**
     * A fake host: interference rises with the copy speed around {@code midpointBytesPerSecond}
     * (p = 0.5 there), and the probability measured over a second reflects the speed of that second.
     */
    private record Host(double midpointBytesPerSecond, double widthBytesPerSecond) {
        double probability(double copyBytesPerSecond) {
            return InterferenceModel.sigmoid((copyBytesPerSecond - midpointBytesPerSecond) / widthBytesPerSecond);
        }
    }

    @Test
    void update_atTheThreshold_keepsTheInitialSpeed() {
        InterferencePid pid = new InterferencePid(PidSettings.DEFAULTS, 20 * MIB);
        assertEquals(20 * MIB, pid.update(0.5, 1), 0);
        assertEquals(20 * MIB, pid.update(0.5, 1), 0);
    }

    @Test
    void update_proportionalOnly_addsKpTimesTheError() {
        // the error is in percentage points: p 0.45 → +5, p 0.6 → −10
        InterferencePid pid = new InterferencePid(gains(2e6, 0, 0), 40 * MIB);
        assertEquals(40 * MIB + 2e6 * 5, pid.update(0.45, 1), 1e-6);
        assertEquals(40 * MIB - 2e6 * 10, pid.update(0.6, 1), 1e-6);
    }

    @Test
    void update_integralOnly_rampsByKiTimesErrorTimesStep() {
        InterferencePid pid = new InterferencePid(gains(0, 5e5, 0), 20 * MIB);
        for (int second = 1; second <= 10; second++) {
            assertEquals(20 * MIB + second * 5e5 * 2, pid.update(0.48, 1), 1e-3, "second " + second);
        }
    }

    @Test
    void update_halfSecondSteps_integrateTheSameAsWholeSeconds() {
        InterferencePid whole = new InterferencePid(gains(0, 5e5, 0), 20 * MIB);
        InterferencePid halves = new InterferencePid(gains(0, 5e5, 0), 20 * MIB);
        whole.update(0.2, 1);
        halves.update(0.2, 0.5);
        assertEquals(whole.outputBytesPerSecond(), halves.update(0.2, 0.5), 1e-6);
    }

    @Test
    void update_derivativeOnMeasurement_opposesARiseAndIgnoresTheFirstStep() {
        InterferencePid pid = new InterferencePid(gains(0, 0, 6e4), 20 * MIB);
        assertEquals(20 * MIB, pid.update(0.2, 1), 0); // no previous measurement: no derivative kick
        assertEquals(20 * MIB - 6e4 * 50, pid.update(0.7, 1), 1e-6);
        assertEquals(20 * MIB, pid.update(0.7, 1), 0);
    }

    @Test
    void update_derivative_dividesByTheStepLength() {
        InterferencePid pid = new InterferencePid(gains(0, 0, 6e4), 20 * MIB);
        pid.update(0.2, 1);
        assertEquals(20 * MIB - 6e4 * 50 / 0.5, pid.update(0.7, 0.5), 1e-6);
    }

    @Test
    void update_output_isClampedToTheSpeedRange() {
        InterferencePid pid = new InterferencePid(PidSettings.DEFAULTS, MIN);
        for (int second = 0; second < 3000; second++) {
            double out = pid.update(second < 1500 ? 0.0 : 1.0, 1);
            assertTrue(out >= MIN && out <= MAX, "second " + second + ": " + out);
        }
        assertEquals(MIN, pid.outputBytesPerSecond(), 0);
    }

    @Test
    void update_afterLongSaturationAtMax_respondsAtOnceWithoutWindup() {
        InterferencePid pid = new InterferencePid(PidSettings.DEFAULTS, MIN);
        for (int second = 0; second < 10_000; second++) {
            pid.update(0.0, 1);
        }
        assertEquals(MAX, pid.outputBytesPerSecond(), 0);
        assertTrue(pid.integralBytesPerSecond() <= MAX);
        // interference: the very first step leaves the limit, and the speed falls by ≥ ki·50 points every second
        // after, down to the floor
        assertTrue(pid.update(1.0, 1) < MAX, "still saturated");
        double previous = pid.update(1.0, 1); // from here the derivative term is 0
        for (int second = 0; second < 50; second++) {
            double out = pid.update(1.0, 1);
            assertTrue(out == MIN || out <= previous - 5e5 * 50 + 1e-6, "second " + second + ": " + out + " after " + previous);
            previous = out;
        }
        assertEquals(MIN, previous, 0);
    }

    @Test
    void update_afterLongSaturationAtMin_recoversAtOnce() {
        InterferencePid pid = new InterferencePid(PidSettings.DEFAULTS, MAX);
        for (int second = 0; second < 10_000; second++) {
            pid.update(1.0, 1);
        }
        assertEquals(MIN, pid.outputBytesPerSecond(), 0);
        assertTrue(pid.update(0.0, 1) > MIN);
    }

    @Test
    void stepResponse_fromTheFloor_settlesWhereInterferenceMeetsTheThreshold() {
        // a host whose interference grows gently with the copy speed (p 0.27 → 0.73 over ±64 MiB/s): the
        // research gains settle without a limit cycle; steeper hosts make them switch between the limits
        Host host = new Host(40 * MIB, 64 * MIB);
        InterferencePid pid = new InterferencePid(PidSettings.DEFAULTS, MIN);
        double speed = MIN;
        double peak = 0;
        for (int second = 0; second < 1500; second++) {
            speed = pid.update(host.probability(speed), 1);
            peak = Math.max(peak, speed);
        }
        assertEquals(0.5, host.probability(speed), 0.01);
        assertEquals(40 * MIB, speed, 0.02 * 40 * MIB);
        assertTrue(peak < 60 * MIB, "overshoot to " + peak / MIB + " MiB/s");
    }

    @Test
    void stepResponse_neighbourStartsIo_slowsTheCopyToTheNewBalance() {
        InterferencePid pid = new InterferencePid(PidSettings.DEFAULTS, MIN);
        Host quiet = new Host(40 * MIB, 64 * MIB);
        Host busy = new Host(15 * MIB, 64 * MIB);
        double speed = MIN;
        for (int second = 0; second < 1500; second++) {
            speed = pid.update(quiet.probability(speed), 1);
        }
        double firstSecond = pid.update(busy.probability(speed), 1);
        assertTrue(firstSecond < speed, "did not slow down at once");
        speed = firstSecond;
        for (int second = 0; second < 1500; second++) {
            speed = pid.update(busy.probability(speed), 1);
        }
        assertEquals(15 * MIB, speed, 0.02 * 15 * MIB);
    }

    @Test
    void stepResponse_neighbourSaturatesTheDisk_reachesTheFloorWithinFiveSeconds() {
        // co-located I/O heavy enough that the host classifies as interfering at any copy speed
        InterferencePid pid = new InterferencePid(PidSettings.DEFAULTS, MAX);
        double speed = MAX;
        for (int second = 1; second <= 5; second++) {
            speed = pid.update(0.9, 1);
        }
        assertEquals(MIN, speed, 0);
    }

    @Test
    void stepResponse_neighbourStops_reachesFullSpeedWithinFiveSeconds() {
        InterferencePid pid = new InterferencePid(PidSettings.DEFAULTS, MIN);
        double speed = MIN;
        for (int second = 1; second <= 5; second++) {
            speed = pid.update(0.05, 1);
        }
        assertEquals(MAX, speed, 0);
    }

    @Test
    void update_underACeiling_neverExceedsIt_andLeavesNoWoundUpIntegral() {
        InterferencePid pid = new InterferencePid(PidSettings.DEFAULTS, 10 * MIB);
        for (int second = 0; second < 30; second++) {
            assertEquals(10 * MIB, pid.update(0.2, 1, 10 * MIB), 0, "second " + second);
        }
        assertTrue(pid.integralBytesPerSecond() <= 10 * MIB);
        // the ceiling lifted: one step of the same error moves from the ceiling, not from a wound-up integral
        double free = pid.update(0.2, 1);
        assertEquals(Math.min(MAX, 2e6 * 30 + 10 * MIB + 5e5 * 30), free, 1e-3);
    }

    @Test
    void update_ceilingBelowTheMinimum_holdsTheMinimum() {
        InterferencePid pid = new InterferencePid(PidSettings.DEFAULTS, 10 * MIB);
        assertEquals(MIN, pid.update(0.2, 1, 1), 0);
    }

    @Test
    void constructor_andUpdate_rejectBadValues() {
        assertEquals("initialBytesPerSecond: expected [1048576.0, 1.048576E8], got 0.0",
                assertThrows(IllegalArgumentException.class, () -> new InterferencePid(PidSettings.DEFAULTS, 0)).getMessage());
        InterferencePid pid = new InterferencePid(PidSettings.DEFAULTS, MIN);
        assertEquals("stepSeconds: expected a finite value > 0, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> pid.update(0.5, 0)).getMessage());
        assertEquals("probability: expected [0, 1], got -0.5",
                assertThrows(IllegalArgumentException.class, () -> pid.update(-0.5, 1)).getMessage());
    }

    @Test
    void settings_invalid_nameTheFieldAndValue() {
        assertEquals("kpBytesPerSecond: expected a finite value ≥ 0, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> new PidSettings(-1, 0, 0, 0.5, MIN, MAX)).getMessage());
        assertEquals("thresholdProbability: expected (0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> new PidSettings(1, 0, 0, 1.0, MIN, MAX)).getMessage());
        assertEquals("maxBytesPerSecond: expected a finite value ≥ minBytesPerSecond (1048576.0), got 1000.0",
                assertThrows(IllegalArgumentException.class, () -> new PidSettings(1, 0, 0, 0.5, MIN, 1000)).getMessage());
        assertEquals("minBytesPerSecond: expected a finite value > 0, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> new PidSettings(1, 0, 0, 0.5, 0, MAX)).getMessage());
    }

    @Test
    void settings_defaults_areTheResearchGains() {
        assertEquals(2e6, PidSettings.DEFAULTS.kpBytesPerSecond(), 0);
        assertEquals(5e5, PidSettings.DEFAULTS.kiBytesPerSecondSquared(), 0);
        assertEquals(6e4, PidSettings.DEFAULTS.kdBytes(), 0);
        assertEquals(0.5, PidSettings.DEFAULTS.thresholdProbability(), 0);
    }
}
