// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

/**
 * What libvirt reports at the end of one pre-copy pass.
 *
 * @param iteration                   QEMU's pass counter ({@code memory_iteration}), ≥ 1
 * @param dirtyRatePagesPerSecond     {@code memory_dirty_rate}; NaN while unknown (libvirt reports 0
 *                                    until the second pass, and the adapter maps that to NaN)
 * @param remainingBytes              {@code memory_remaining}
 * @param transferRateBytesPerSecond  {@code memory_bps}; 0 when unknown
 */
public record IterationRecord(int iteration, double dirtyRatePagesPerSecond, long remainingBytes,
                              double transferRateBytesPerSecond) {

    public IterationRecord {
        if (iteration < 1) {
            throw new IllegalArgumentException("iteration: expected ≥ 1, got " + iteration);
        }
        requireValidNumbers(dirtyRatePagesPerSecond, remainingBytes, transferRateBytesPerSecond);
    }

    /** The checks every reading of a pass shares (also {@code policy.Observation}'s), each naming its field. */
    public static void requireValidNumbers(double dirtyRatePagesPerSecond, long remainingBytes, double transferRateBytesPerSecond) {
        if (dirtyRatePagesPerSecond < 0 || Double.isInfinite(dirtyRatePagesPerSecond)) {
            throw new IllegalArgumentException("dirtyRatePagesPerSecond: expected ≥ 0 or NaN (unknown), got " + dirtyRatePagesPerSecond);
        }
        if (remainingBytes < 0) {
            throw new IllegalArgumentException("remainingBytes: expected ≥ 0, got " + remainingBytes);
        }
        if (!(transferRateBytesPerSecond >= 0) || Double.isInfinite(transferRateBytesPerSecond)) {
            throw new IllegalArgumentException("transferRateBytesPerSecond: expected a finite value ≥ 0, got " + transferRateBytesPerSecond);
        }
    }

    public boolean dirtyRateKnown() {
        return !Double.isNaN(dirtyRatePagesPerSecond);
    }
}
