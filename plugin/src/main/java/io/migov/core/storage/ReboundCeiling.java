// SPDX-License-Identifier: Apache-2.0
package io.migov.core.storage;

/**
 * The highest copy speed the interference-PID may set next: none before interference is first
 * seen; after that the copy may slow down (the PID), sinks while the classifier does not call the
 * device clearly quiet, and rises only in clearly quiet seconds, by a ceiling that doubles each
 * such second, until it passes the maximum and is dropped.
 *
 * <ul>
 *   <li>a second with p ≤ the off-probability: while the hysteresis is off the ceiling doubles,
 *       while it is on it holds;</li>
 *   <li>any other second (p above the off-probability: undecided, or at or above the
 *       on-probability): the ceiling holds at the last speed (no rebound — the research's lock and
 *       unlock counts; the PID itself cuts the speed); from the on-count's second such second in a
 *       row on, each one halves it (not below the minimum speed).</li>
 * </ul>
 *
 * <p>Why rise only in quiet seconds: on the lab the probability of a throttled copy beside a busy
 * neighbour alternates (a quiet second because the copy was slowed, a hurt one because the PID, at
 * the research gains in percentage points, sped it straight back up), so the hysteresis never saw
 * two high seconds in a row and the copy swung between floor and full speed, each rebound with a
 * prefetch of 50× the speed. Rising only in clearly quiet seconds, by doubling, makes the
 * classifier catch interference near the balance speed, after a prefetch of bounded size.
 *
 * <p>Why sink while undecided: a ceiling that only holds in middling seconds keeps whatever speed
 * one high second's cut left, and the PID, aiming at the threshold, never goes below it. Once a
 * neighbour has shown itself, a run of undecided seconds is more likely that neighbour hurt at
 * the margin than gone (a lab smoke: the copy held at 19–34 MiB/s for its whole length, p in the
 * band, the hysteresis never on, the neighbour at 0.86 of nominal where a copy at the floor left
 * it above 0.9; the owners' CI failed the storage IT at 0.73, most likely the same way). Halving
 * in a run of them (not in single ones between quiet seconds: each speed call wakes QEMU's mirror
 * for a burst, docs/storage/README.md) makes the copy seek the highest speed at which the
 * classifier is clearly quiet rather than merely not sure.
 *
 * <p>Why sink in high seconds too: the PID aims at the threshold, so a probability just above it
 * (a weakly calibrated model reads 0.54 for a neighbour it would call 0.8 on a better day) cuts
 * only a few MiB/s per second; a lab run of the storage IT copied its 256 MiB at 90 → 54 → 43
 * MiB/s in 5 s and the neighbour kept 0.785 of nominal. A run of seconds that are not clearly
 * quiet is the same evidence whichever side of the threshold they fall on. Not thread-safe.
 */
public final class ReboundCeiling {

    /** The ceiling's growth per clearly quiet second. */
    public static final double GROWTH_PER_SECOND = 2.0;
    /** The ceiling's shrinking per second of a run of not-quiet ones (see the class comment). */
    public static final double SHRINK_PER_SECOND = 0.5;

    private double ceilingBytesPerSecond = Double.POSITIVE_INFINITY;
    /** A second has held the ceiling: interference (a neighbour on the device) was seen during this copy. */
    private boolean interferenceSeen;
    /** Consecutive seconds with p above the off-probability so far. */
    private int notQuietRun;

    /**
     * @param probability        this step's interference probability
     * @param interferenceOn     the hysteresis state this step
     * @param hysteresis         its thresholds (on- and off-probability)
     * @param lastBytesPerSecond the speed the PID set last step
     * @param stepSeconds        time since the last step
     * @param minBytesPerSecond  the configured minimum speed (the ceiling does not sink below it)
     * @param maxBytesPerSecond  the configured maximum speed
     * @return the ceiling for this step's PID update (infinite: none)
     */
    public double next(double probability, boolean interferenceOn, HysteresisSettings hysteresis, double lastBytesPerSecond,
                       double stepSeconds, double minBytesPerSecond, double maxBytesPerSecond) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability: expected [0, 1], got " + probability);
        }
        if (!(lastBytesPerSecond > 0)) {
            throw new IllegalArgumentException("lastBytesPerSecond: expected a value > 0, got " + lastBytesPerSecond);
        }
        if (!(stepSeconds > 0) || stepSeconds == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("stepSeconds: expected a finite value > 0, got " + stepSeconds);
        }
        boolean high = probability >= hysteresis.onProbability();
        boolean quiet = probability <= hysteresis.offProbability();
        notQuietRun = quiet ? 0 : notQuietRun + 1;
        interferenceSeen |= high || interferenceOn;
        if (!interferenceSeen) {
            return ceilingBytesPerSecond;
        }
        if (quiet && !interferenceOn) {
            if (ceilingBytesPerSecond != Double.POSITIVE_INFINITY) {
                ceilingBytesPerSecond *= Math.pow(GROWTH_PER_SECOND, stepSeconds);
                if (ceilingBytesPerSecond >= maxBytesPerSecond) {
                    ceilingBytesPerSecond = Double.POSITIVE_INFINITY;
                }
            }
        } else {
            ceilingBytesPerSecond = Math.min(ceilingBytesPerSecond, lastBytesPerSecond);
            if (!quiet && notQuietRun >= hysteresis.onSeconds()) {
                ceilingBytesPerSecond = Math.max(minBytesPerSecond, ceilingBytesPerSecond * Math.pow(SHRINK_PER_SECOND, stepSeconds));
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
