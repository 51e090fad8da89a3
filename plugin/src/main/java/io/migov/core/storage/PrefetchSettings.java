// SPDX-License-Identifier: Apache-2.0
package io.migov.core.storage;

/**
 * Tunables of the {@link PrefetchPlanner}.
 *
 * @param prefetchFactor prefetch rate = this × the PID's copy speed (research 50): prefetching is
 *                       sequential reading into the page cache, much cheaper per byte than the copy
 *                       it serves, and only runs while interference is off
 * @param memoryCapBytes at most this many bytes read ahead of the copy and not yet copied, so the
 *                       page cache the copy will need does not push out the guests' (default 1 GiB)
 */
public record PrefetchSettings(double prefetchFactor, long memoryCapBytes) {

    public static final PrefetchSettings DEFAULTS = new PrefetchSettings(50, 1L << 30);
    static final double MAX_FACTOR = 10_000;

    public PrefetchSettings {
        if (!(prefetchFactor >= 0 && prefetchFactor <= MAX_FACTOR)) {
            throw new IllegalArgumentException("prefetchFactor: expected [0, " + (int) MAX_FACTOR + "], got " + prefetchFactor);
        }
        if (memoryCapBytes < 0) {
            throw new IllegalArgumentException("memoryCapBytes: expected ≥ 0, got " + memoryCapBytes);
        }
    }
}
