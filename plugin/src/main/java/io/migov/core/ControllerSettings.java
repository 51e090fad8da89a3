// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

/**
 * Tunables of Algorithm 1.
 *
 * @param maxIterations              m: switch at this pre-copy pass at the latest (default 4, the
 *                                   research's best hybrid(m))
 * @param memoryIntensiveShare       the look-ahead counts as memory-intensive when at least this share
 *                                   of the predicted steps is memory-intensive (default 0.5)
 * @param fallbackMaxDowntimeMillis  cap on the downtime raised when post-copy is not permitted
 *                                   (default 5000)
 */
public record ControllerSettings(int maxIterations, double memoryIntensiveShare, long fallbackMaxDowntimeMillis) {

    public static final int DEFAULT_MAX_ITERATIONS = 4;
    public static final ControllerSettings DEFAULTS =
            new ControllerSettings(DEFAULT_MAX_ITERATIONS, Behaviour.DEFAULT_MEMORY_INTENSIVE_SHARE, 5000);

    public ControllerSettings {
        if (maxIterations < 1 || maxIterations > 1000) {
            throw new IllegalArgumentException("maxIterations: expected 1..1000, got " + maxIterations);
        }
        if (!(memoryIntensiveShare > 0 && memoryIntensiveShare <= 1)) {
            throw new IllegalArgumentException("memoryIntensiveShare: expected (0, 1], got " + memoryIntensiveShare);
        }
        if (fallbackMaxDowntimeMillis < 1 || fallbackMaxDowntimeMillis > 2_000_000) {
            throw new IllegalArgumentException("fallbackMaxDowntimeMillis: expected 1..2000000 (QEMU's limit), got "
                    + fallbackMaxDowntimeMillis);
        }
    }
}
