// SPDX-License-Identifier: Apache-2.0
package io.migov.core.storage;

/**
 * Tunables of the {@link InterferencePid}. The error is {@code thresholdProbability − probability}
 * in percentage points (0.5 − 0.9 → −40); the output a copy speed in bytes/s. Hence the units:
 *
 * @param kpBytesPerSecond        proportional gain: bytes/s of output per percentage point of error (research 2·10⁶)
 * @param kiBytesPerSecondSquared integral gain: bytes/s of output per percentage point of error sustained
 *                                for one second (research 5·10⁵)
 * @param kdBytes                 derivative gain: bytes/s of output per percentage point per second of
 *                                change, i.e. bytes per point (research 6·10⁴, the one unit the text names)
 * @param thresholdProbability    the interference probability to hold (research 0.5; 0.75 trades
 *                                more interference for a faster copy)
 * @param minBytesPerSecond       the copy never goes slower, so it always finishes (default 1 MiB/s)
 * @param maxBytesPerSecond       the copy never goes faster (default 100 MiB/s, the lab's link cap; at
 *                                the research gains the integral moves up to 25 MB/s per second at an
 *                                error of ±50 points)
 */
public record PidSettings(double kpBytesPerSecond, double kiBytesPerSecondSquared, double kdBytes,
                          double thresholdProbability, double minBytesPerSecond, double maxBytesPerSecond) {

    private static final double MIB = 1024.0 * 1024.0;

    public static final PidSettings DEFAULTS = new PidSettings(2e6, 5e5, 6e4, 0.5, MIB, 100 * MIB);

    public PidSettings {
        requireGain("kpBytesPerSecond", kpBytesPerSecond);
        requireGain("kiBytesPerSecondSquared", kiBytesPerSecondSquared);
        requireGain("kdBytes", kdBytes);
        if (!(thresholdProbability > 0 && thresholdProbability < 1)) {
            throw new IllegalArgumentException("thresholdProbability: expected (0, 1), got " + thresholdProbability);
        }
        if (!(minBytesPerSecond > 0) || minBytesPerSecond == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("minBytesPerSecond: expected a finite value > 0, got " + minBytesPerSecond);
        }
        if (!(maxBytesPerSecond >= minBytesPerSecond) || maxBytesPerSecond == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("maxBytesPerSecond: expected a finite value ≥ minBytesPerSecond ("
                    + minBytesPerSecond + "), got " + maxBytesPerSecond);
        }
    }

    private static void requireGain(String field, double value) {
        if (!(value >= 0) || value == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(field + ": expected a finite value ≥ 0, got " + value);
        }
    }
}
