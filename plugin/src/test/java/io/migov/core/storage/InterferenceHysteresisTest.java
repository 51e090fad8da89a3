// SPDX-License-Identifier: Apache-2.0
package io.migov.core.storage;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InterferenceHysteresisTest {

    /** The state after each second of the given probabilities, from a fresh default hysteresis. */
    private static List<Boolean> states(double... probabilities) {
        InterferenceHysteresis h = new InterferenceHysteresis(HysteresisSettings.DEFAULTS);
        List<Boolean> out = new ArrayList<>();
        for (double p : probabilities) {
            out.add(h.observe(p));
        }
        return out;
    }

    @Test
    void observe_fresh_isOff() {
        assertFalse(new InterferenceHysteresis(HysteresisSettings.DEFAULTS).isOn());
    }

    @Test
    void observe_twoSecondsAtOrAboveOnProbability_switchesOnAtTheSecond() {
        assertEquals(List.of(false, true), states(0.5, 0.9));
    }

    @Test
    void observe_oneHighSecondThenAMiddleOne_staysOff() {
        assertEquals(List.of(false, false, false, true), states(0.9, 0.49, 0.9, 0.9));
    }

    @Test
    void observe_threeSecondsAtOrBelowOffProbability_switchesOffAtTheThird() {
        assertEquals(List.of(false, true, true, true, false), states(0.6, 0.6, 0.15, 0.0, 0.1));
    }

    @Test
    void observe_lowRunBrokenBySecondAboveOff_staysOnAndCountsAfresh() {
        assertEquals(List.of(false, true, true, true, true, true, true, false),
                states(0.6, 0.6, 0.1, 0.1, 0.16, 0.1, 0.1, 0.1));
    }

    @Test
    void observe_middleProbabilities_neverChangeTheState() {
        assertEquals(List.of(false, false, false, false), states(0.3, 0.49, 0.16, 0.3));
        assertEquals(List.of(false, true, true, true, true), states(0.7, 0.7, 0.3, 0.49, 0.16));
    }

    @Test
    void observe_afterSwitchingOff_needsAFullOnRunAgain() {
        assertEquals(List.of(false, true, true, true, false, false, true),
                states(0.6, 0.6, 0.1, 0.1, 0.1, 0.6, 0.6));
    }

    @Test
    void observe_highSecondsWhileOn_doNotCountTowardsOff() {
        // the high second before switching on must not be left over in the off count
        assertEquals(List.of(false, true, true, true, false), states(0.9, 0.9, 0.1, 0.1, 0.1));
    }

    @Test
    void observe_tunedSettings_areObeyed() {
        InterferenceHysteresis h = new InterferenceHysteresis(new HysteresisSettings(0.8, 1, 0.5, 1));
        assertEquals(List.of(false, true, true, false), List.of(h.observe(0.79), h.observe(0.8), h.observe(0.51), h.observe(0.5)));
    }

    @Test
    void observe_probabilityOutsideUnitInterval_isRejected() {
        InterferenceHysteresis h = new InterferenceHysteresis(HysteresisSettings.DEFAULTS);
        assertEquals("probability: expected [0, 1], got 1.5", assertThrows(IllegalArgumentException.class, () -> h.observe(1.5)).getMessage());
        assertEquals("probability: expected [0, 1], got NaN", assertThrows(IllegalArgumentException.class, () -> h.observe(Double.NaN)).getMessage());
    }

    @Test
    void settings_invalid_nameTheFieldAndValue() {
        assertEquals("onProbability: expected (0, 1], got 1.5",
                assertThrows(IllegalArgumentException.class, () -> new HysteresisSettings(1.5, 2, 0.15, 3)).getMessage());
        assertEquals("offProbability: expected [0, 1), got -0.1",
                assertThrows(IllegalArgumentException.class, () -> new HysteresisSettings(0.5, 2, -0.1, 3)).getMessage());
        assertEquals("offProbability: expected < onProbability (0.5), got 0.5",
                assertThrows(IllegalArgumentException.class, () -> new HysteresisSettings(0.5, 2, 0.5, 3)).getMessage());
        assertEquals("onSeconds: expected 1..3600, got 0",
                assertThrows(IllegalArgumentException.class, () -> new HysteresisSettings(0.5, 0, 0.15, 3)).getMessage());
        assertEquals("offSeconds: expected 1..3600, got 3601",
                assertThrows(IllegalArgumentException.class, () -> new HysteresisSettings(0.5, 2, 0.15, 3601)).getMessage());
    }

    @Test
    void settings_defaults_areTheIssues() {
        assertEquals(new HysteresisSettings(0.5, 2, 0.15, 3), HysteresisSettings.DEFAULTS);
    }
}
