// SPDX-License-Identifier: Apache-2.0
package io.migov.core.storage;

/**
 * When the interference probability switches the "interference" state (the research's lock and
 * unlock counts).
 *
 * @param onProbability  a second counts towards "on" when the probability is ≥ this (default 0.5)
 * @param onSeconds      consecutive such seconds that switch "on" (default 2)
 * @param offProbability a second counts towards "off" when the probability is ≤ this (default 0.15)
 * @param offSeconds     consecutive such seconds that switch "off" (default 3)
 */
public record HysteresisSettings(double onProbability, int onSeconds, double offProbability, int offSeconds) {

    public static final HysteresisSettings DEFAULTS = new HysteresisSettings(0.5, 2, 0.15, 3);
    static final int MAX_SECONDS = 3600;

    public HysteresisSettings {
        if (!(onProbability > 0 && onProbability <= 1)) {
            throw new IllegalArgumentException("onProbability: expected (0, 1], got " + onProbability);
        }
        if (!(offProbability >= 0 && offProbability < 1)) {
            throw new IllegalArgumentException("offProbability: expected [0, 1), got " + offProbability);
        }
        // with off ≥ on one probability could count towards both states and the state would flap
        if (!(offProbability < onProbability)) {
            throw new IllegalArgumentException("offProbability: expected < onProbability (" + onProbability + "), got " + offProbability);
        }
        if (onSeconds < 1 || onSeconds > MAX_SECONDS) {
            throw new IllegalArgumentException("onSeconds: expected 1.." + MAX_SECONDS + ", got " + onSeconds);
        }
        if (offSeconds < 1 || offSeconds > MAX_SECONDS) {
            throw new IllegalArgumentException("offSeconds: expected 1.." + MAX_SECONDS + ", got " + offSeconds);
        }
    }
}
