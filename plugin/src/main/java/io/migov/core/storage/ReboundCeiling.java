// SPDX-License-Identifier: Apache-2.0
package io.migov.core.storage;

/**
 * The highest copy speed the interference-PID may set next: none before interference is first
 * seen; after that the copy may slow down (the PID) but rises only in clearly quiet seconds, by a
 * ceiling that doubles each such second, until it passes the maximum and is dropped.
 *
 * <ul>
 *   <li>a second with p ≥ the on-probability, or any second while the hysteresis is on: the
 *       ceiling holds at the last speed (no rebound — the research's lock and unlock counts);</li>
 *   <li>a second with p ≤ the off-probability while the hysteresis is off: the ceiling doubles;</li>
 *   <li>a second in between: it holds.</li>
 * </ul>
 *
 * <p>Why: on the lab the probability of a throttled copy beside a busy neighbour alternates
 * (a quiet second because the copy was slowed, a hurt one because the PID, at the research gains
 * in percentage points, sped it straight back up), so the hysteresis never saw two high seconds in
 * a row and the copy swung between floor and full speed, each rebound with a prefetch of 50× the
 * speed. Rising only in clearly quiet seconds, by doubling, makes the classifier catch
 * interference near the balance speed, after a prefetch of bounded size. Not thread-safe.
 */
public final class ReboundCeiling {

    /** The ceiling's growth per clearly quiet second. */
    public static final double GROWTH_PER_SECOND = 2.0;

    private double ceilingBytesPerSecond = Double.POSITIVE_INFINITY;
    /** A second has held the ceiling: interference (a neighbour on the device) was seen during this copy. */
    private boolean interferenceSeen;

    /**
     * @param probability        this step's interference probability
     * @param interferenceOn     the hysteresis state this step
     * @param hysteresis         its thresholds (on- and off-probability)
     * @param lastBytesPerSecond the speed the PID set last step
     * @param stepSeconds        time since the last step
     * @param maxBytesPerSecond  the configured maximum speed
     * @return the ceiling for this step's PID update (infinite: none)
     */
    public double next(double probability, boolean interferenceOn, HysteresisSettings hysteresis, double lastBytesPerSecond,
                       double stepSeconds, double maxBytesPerSecond) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability: expected [0, 1], got " + probability);
        }
        if (!(lastBytesPerSecond > 0)) {
            throw new IllegalArgumentException("lastBytesPerSecond: expected a value > 0, got " + lastBytesPerSecond);
        }
        if (!(stepSeconds > 0) || stepSeconds == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("stepSeconds: expected a finite value > 0, got " + stepSeconds);
        }
        if (interferenceOn || probability >= hysteresis.onProbability()) {
            interferenceSeen = true;
            ceilingBytesPerSecond = Math.min(ceilingBytesPerSecond, lastBytesPerSecond);
        } else if (ceilingBytesPerSecond != Double.POSITIVE_INFINITY) {
            if (probability <= hysteresis.offProbability()) {
                ceilingBytesPerSecond *= Math.pow(GROWTH_PER_SECOND, stepSeconds);
                if (ceilingBytesPerSecond >= maxBytesPerSecond) {
                    ceilingBytesPerSecond = Double.POSITIVE_INFINITY;
                }
            } else {
                ceilingBytesPerSecond = Math.min(ceilingBytesPerSecond, lastBytesPerSecond);
            }
        }
        return ceilingBytesPerSecond;
    }

    /**
     * Whether any second so far was evidence of interference (p at or above the on-probability, or
     * the hysteresis on), even once the ceiling has rebounded past the maximum and been dropped.
     */
    public boolean interferenceSeen() {
        return interferenceSeen;
    }
}
