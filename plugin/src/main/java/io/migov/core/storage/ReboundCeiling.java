// SPDX-License-Identifier: Apache-2.0
package io.migov.core.storage;

/**
 * The highest copy speed the interference-PID may set next, from the hysteresis state: none before
 * interference is first seen; while interference is on, the last speed (the copy may slow down but
 * not rebound — the research's lock and unlock counts); once it is off again, a ceiling that
 * doubles every second from the speed held, until it passes the maximum and is dropped.
 *
 * <p>Why a gradual rebound: a copy held at the floor leaves the device quiet, so the neighbour that
 * caused the interference is still there when the hysteresis switches off. At the PID's gains the
 * rebound would be immediate (full speed, and a prefetch of 50× that), hurting the neighbour at
 * once; doubling lets the classifier catch interference at a speed near the balance, after a
 * prefetch of bounded size. Not thread-safe.
 */
public final class ReboundCeiling {

    /** The ceiling's growth per second once interference is off. */
    public static final double GROWTH_PER_SECOND = 2.0;

    private double ceilingBytesPerSecond = Double.POSITIVE_INFINITY;

    /**
     * @param interferenceOn        the hysteresis state this step
     * @param lastBytesPerSecond    the speed the PID set last step
     * @param stepSeconds           time since the last step
     * @param maxBytesPerSecond     the configured maximum speed
     * @return the ceiling for this step's PID update (infinite: none)
     */
    public double next(boolean interferenceOn, double lastBytesPerSecond, double stepSeconds, double maxBytesPerSecond) {
        if (!(lastBytesPerSecond > 0)) {
            throw new IllegalArgumentException("lastBytesPerSecond: expected a value > 0, got " + lastBytesPerSecond);
        }
        if (!(stepSeconds > 0) || stepSeconds == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("stepSeconds: expected a finite value > 0, got " + stepSeconds);
        }
        if (interferenceOn) {
            ceilingBytesPerSecond = Math.min(ceilingBytesPerSecond, lastBytesPerSecond);
        } else if (ceilingBytesPerSecond != Double.POSITIVE_INFINITY) {
            ceilingBytesPerSecond *= Math.pow(GROWTH_PER_SECOND, stepSeconds);
            if (ceilingBytesPerSecond >= maxBytesPerSecond) {
                ceilingBytesPerSecond = Double.POSITIVE_INFINITY;
            }
        }
        return ceilingBytesPerSecond;
    }

    public double ceilingBytesPerSecond() {
        return ceilingBytesPerSecond;
    }
}
