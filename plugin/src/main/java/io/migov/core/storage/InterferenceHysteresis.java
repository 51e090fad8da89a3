// SPDX-License-Identifier: Apache-2.0
package io.migov.core.storage;

/**
 * The "interference" state of a host, fed one probability per second. It starts off; it switches
 * on after {@code onSeconds} consecutive probabilities ≥ {@code onProbability} and off after
 * {@code offSeconds} consecutive probabilities ≤ {@code offProbability}. A probability in between
 * (or on the wrong side) breaks the current run, so the state never flaps on one noisy second.
 * Not thread-safe.
 */
public final class InterferenceHysteresis {

    private final HysteresisSettings settings;
    private boolean on;
    /** Consecutive seconds pointing at the other state. */
    private int run;

    public InterferenceHysteresis(HysteresisSettings settings) {
        this.settings = settings;
    }

    /** Records one second; returns whether interference is on after it. */
    public boolean observe(double probability) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability: expected [0, 1], got " + probability);
        }
        boolean towardsOther = on ? probability <= settings.offProbability() : probability >= settings.onProbability();
        run = towardsOther ? run + 1 : 0;
        if (run >= (on ? settings.offSeconds() : settings.onSeconds())) {
            on = !on;
            run = 0;
        }
        return on;
    }

    public boolean isOn() {
        return on;
    }
}
