// SPDX-License-Identifier: Apache-2.0
package io.migov.core.storage;

import java.util.Optional;

/**
 * Which part of the source image to read into the page cache next, so that a later burst of
 * co-located I/O finds the copy's data already in memory (the copy then reads memory, not the
 * shared disk). The copy is sequential, so the next range always starts where the copy plus the
 * earlier prefetches have reached.
 *
 * <p>Nothing is read while interference is on: prefetching is extra I/O on the contended device.
 * Otherwise the step reads {@code prefetchFactor × allowed copy speed × step} bytes, bounded by
 * the memory cap on bytes read ahead and by the end of the disk. Stateless; immutable.
 */
public final class PrefetchPlanner {

    private final PrefetchSettings settings;

    public PrefetchPlanner(PrefetchSettings settings) {
        this.settings = settings;
    }

    /**
     * @param allowedBytesPerSecond the interference-PID's copy speed for this step
     * @param interferenceOn        the hysteresis state
     * @param stepSeconds           how long this step lasts (normally 1)
     * @return the range to read this step, or empty when there is nothing to read
     */
    public Optional<ByteRange> next(CopyProgress progress, double allowedBytesPerSecond, boolean interferenceOn, double stepSeconds) {
        if (!(allowedBytesPerSecond >= 0) || allowedBytesPerSecond == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("allowedBytesPerSecond: expected a finite value ≥ 0, got " + allowedBytesPerSecond);
        }
        if (!(stepSeconds > 0) || stepSeconds == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("stepSeconds: expected a finite value > 0, got " + stepSeconds);
        }
        if (interferenceOn) {
            return Optional.empty();
        }
        long length = Math.min(rateBudgetBytes(allowedBytesPerSecond, stepSeconds),
                Math.min(memoryHeadroomBytes(progress), notYetReadBytes(progress)));
        return length < 1 ? Optional.empty() : Optional.of(new ByteRange(progress.prefetchFrontierBytes(), length));
    }

    /**
     * The copy's speed for a step: the PID's, or faster while the bytes it copies next are already
     * in the page cache. Reading them costs the shared disk nothing, so slowing the copy over them
     * would lengthen the migration without sparing the neighbours (the research: "maintaining
     * migration speed while sourcing from the buffer is similarly effective"). This is what makes
     * the prefetch pay off when co-located I/O starts mid-migration.
     *
     * @param pidBytesPerSecond    the interference-PID's speed
     * @param prefetchedAheadBytes bytes read into the page cache ahead of the copy and not yet copied
     * @param maxBytesPerSecond    the copy never goes faster
     */
    public static double copySpeedBytesPerSecond(double pidBytesPerSecond, long prefetchedAheadBytes, double stepSeconds,
                                                 double maxBytesPerSecond) {
        if (!(stepSeconds > 0) || stepSeconds == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("stepSeconds: expected a finite value > 0, got " + stepSeconds);
        }
        if (prefetchedAheadBytes < 0) {
            throw new IllegalArgumentException("prefetchedAheadBytes: expected ≥ 0, got " + prefetchedAheadBytes);
        }
        double buffered = Math.min(maxBytesPerSecond, prefetchedAheadBytes / stepSeconds);
        return Math.max(pidBytesPerSecond, buffered);
    }

    private long rateBudgetBytes(double allowedBytesPerSecond, double stepSeconds) {
        double bytes = settings.prefetchFactor() * allowedBytesPerSecond * stepSeconds;
        return bytes >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) Math.floor(bytes);
    }

    private long memoryHeadroomBytes(CopyProgress progress) {
        return Math.max(0, settings.memoryCapBytes() - progress.prefetchedAheadBytes());
    }

    private static long notYetReadBytes(CopyProgress progress) {
        return progress.diskSizeBytes() - progress.prefetchFrontierBytes();
    }
}
