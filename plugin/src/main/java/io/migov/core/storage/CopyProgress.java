// SPDX-License-Identifier: Apache-2.0
package io.migov.core.storage;

/**
 * Where a sequential storage copy stands: bytes [0, copiedBytes) are copied, bytes
 * [copiedBytes, copiedBytes + prefetchedAheadBytes) are already read into the page cache.
 */
public record CopyProgress(long diskSizeBytes, long copiedBytes, long prefetchedAheadBytes) {

    public CopyProgress {
        if (diskSizeBytes < 0) {
            throw new IllegalArgumentException("diskSizeBytes: expected ≥ 0, got " + diskSizeBytes);
        }
        if (copiedBytes < 0 || copiedBytes > diskSizeBytes) {
            throw new IllegalArgumentException("copiedBytes: expected [0, " + diskSizeBytes + "], got " + copiedBytes);
        }
        if (prefetchedAheadBytes < 0 || prefetchedAheadBytes > diskSizeBytes - copiedBytes) {
            throw new IllegalArgumentException("prefetchedAheadBytes: expected [0, " + (diskSizeBytes - copiedBytes)
                    + "] (the not yet copied rest), got " + prefetchedAheadBytes);
        }
    }

    /** The first byte neither copied nor prefetched. */
    public long prefetchFrontierBytes() {
        return copiedBytes + prefetchedAheadBytes;
    }
}
