// SPDX-License-Identifier: Apache-2.0
package io.migov.core.guard;

/**
 * One job-statistics reading of an outgoing migration, as the guard needs it.
 *
 * @param elapsedMillis           the migration's {@code time_elapsed}, ms
 * @param iteration               the pre-copy pass under way ({@code memory_iteration}), 0 before the first
 * @param processedBytes          bytes sent so far ({@code data_processed}, else {@code memory_processed}); -1 unknown
 * @param remainingBytes          bytes still to send ({@code data_remaining}, else {@code memory_remaining}); -1 unknown
 * @param totalBytes              bytes to move ({@code data_total}, else {@code memory_total}); -1 unknown
 * @param rateBytesPerSecond      QEMU's transfer rate ({@code memory_bps}); -1 when absent
 */
public record GuardReading(long elapsedMillis, int iteration, long processedBytes, long remainingBytes, long totalBytes,
                           long rateBytesPerSecond) {

    public GuardReading {
        if (elapsedMillis < 0) {
            throw new IllegalArgumentException("elapsedMillis: expected ≥ 0, got " + elapsedMillis);
        }
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration: expected ≥ 0, got " + iteration);
        }
    }
}
