// SPDX-License-Identifier: Apache-2.0
package io.migov.core.storage;

/**
 * The interference-PID: a discrete PID that sets the storage copy speed so that the host's
 * interference probability settles at the threshold. Below the threshold the copy speeds up, above
 * it slows down.
 *
 * <p>The error is in <b>percentage points</b> of probability (threshold 0.5, p 0.9 → e = −40): the
 * research's gains (kp 2·10⁶, ki 5·10⁵, kd 6·10⁴ bytes) only move a copy of tens of MB/s within
 * seconds in that unit; per unit of probability the same gains need about seven minutes to cross
 * 1..100 MiB/s, longer than the lab's whole disk copies (docs/storage/README.md).
 *
 * <pre>
 *   e = 100·(threshold − p)
 *   I ← clamp(I + ki·e·Δt, min, high)           only while it does not push a saturated output further
 *   u = clamp(kp·e + I − kd·100·(p − p_prev)/Δt, min, high)     high = max, or a ceiling (see update)
 * </pre>
 * The derivative acts on the measurement, not the error, so a change of threshold is no kick.
 * The integral starts at the initial speed, so the first output is that speed when p sits at the
 * threshold (bumpless start). Not thread-safe.
 */
public final class InterferencePid {

    /** Percentage points per unit of probability: the unit of the error the gains multiply. */
    static final double PERCENTAGE_POINTS = 100;

    private final PidSettings settings;
    /** The integral term itself, in bytes/s. */
    private double integralBytesPerSecond;
    private double previousProbability = Double.NaN;
    private double outputBytesPerSecond;

    public InterferencePid(PidSettings settings, double initialBytesPerSecond) {
        if (!(initialBytesPerSecond >= settings.minBytesPerSecond() && initialBytesPerSecond <= settings.maxBytesPerSecond())) {
            throw new IllegalArgumentException("initialBytesPerSecond: expected [" + settings.minBytesPerSecond() + ", "
                    + settings.maxBytesPerSecond() + "], got " + initialBytesPerSecond);
        }
        this.settings = settings;
        this.integralBytesPerSecond = initialBytesPerSecond;
        this.outputBytesPerSecond = initialBytesPerSecond;
    }

    /**
     * One control step.
     *
     * @param probability the interference probability measured over the last step
     * @param stepSeconds time since the previous step (the collector's period, normally 1)
     * @return the copy speed for the next step, bytes/s
     */
    public double update(double probability, double stepSeconds) {
        return update(probability, stepSeconds, Double.POSITIVE_INFINITY);
    }

    /**
     * One control step under a ceiling: the output and the integral stay at or below it (and at or
     * above the minimum speed), so a ceiling held for a while leaves no wound-up integral behind.
     * The controller passes the last speed as the ceiling while interference is "on": the copy may
     * slow down but not rebound until the hysteresis has switched off (the research's lock and
     * unlock counts). Without it, the seconds in which a slowed copy leaves the device quiet read as
     * "no interference" and the PID swings back to full speed, hurting the neighbour again.
     *
     * @param ceilingBytesPerSecond the highest speed allowed this step (infinite: the configured maximum)
     */
    public double update(double probability, double stepSeconds, double ceilingBytesPerSecond) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability: expected [0, 1], got " + probability);
        }
        if (!(stepSeconds > 0) || stepSeconds == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("stepSeconds: expected a finite value > 0, got " + stepSeconds);
        }
        if (!(ceilingBytesPerSecond > 0)) {
            throw new IllegalArgumentException("ceilingBytesPerSecond: expected a value > 0, got " + ceilingBytesPerSecond);
        }
        double high = Math.max(settings.minBytesPerSecond(), Math.min(settings.maxBytesPerSecond(), ceilingBytesPerSecond));
        double error = PERCENTAGE_POINTS * (settings.thresholdProbability() - probability);
        double proportional = settings.kpBytesPerSecond() * error;
        double derivative = Double.isNaN(previousProbability) ? 0
                : -settings.kdBytes() * PERCENTAGE_POINTS * (probability - previousProbability) / stepSeconds;
        previousProbability = probability;

        double unclamped = proportional + integralBytesPerSecond + derivative;
        if (!drivesFurtherIntoSaturation(unclamped, error, high)) {
            integralBytesPerSecond = clamp(integralBytesPerSecond + settings.kiBytesPerSecondSquared() * error * stepSeconds, high);
        }
        integralBytesPerSecond = Math.min(integralBytesPerSecond, high);
        outputBytesPerSecond = clamp(proportional + integralBytesPerSecond + derivative, high);
        return outputBytesPerSecond;
    }

    /** The speed the last step set (the initial speed before the first step). */
    public double outputBytesPerSecond() {
        return outputBytesPerSecond;
    }

    public double integralBytesPerSecond() {
        return integralBytesPerSecond;
    }

    // An integrator that keeps growing while the output is pinned at a limit must later unwind for
    // as long as it grew; the copy would stay at full speed long after interference appears.
    private boolean drivesFurtherIntoSaturation(double unclampedBytesPerSecond, double error, double high) {
        return (unclampedBytesPerSecond >= high && error > 0)
                || (unclampedBytesPerSecond <= settings.minBytesPerSecond() && error < 0);
    }

    private double clamp(double bytesPerSecond, double high) {
        return Math.max(settings.minBytesPerSecond(), Math.min(high, bytesPerSecond));
    }
}
