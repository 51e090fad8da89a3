// SPDX-License-Identifier: Apache-2.0
package io.migov.core.storage;

/** Bytes [offsetBytes, offsetBytes + lengthBytes) of a disk image; never empty. */
public record ByteRange(long offsetBytes, long lengthBytes) {

    public ByteRange {
        if (offsetBytes < 0) {
            throw new IllegalArgumentException("offsetBytes: expected ≥ 0, got " + offsetBytes);
        }
        if (lengthBytes < 1 || lengthBytes > Long.MAX_VALUE - offsetBytes) {
            throw new IllegalArgumentException("lengthBytes: expected 1.." + (Long.MAX_VALUE - offsetBytes) + ", got " + lengthBytes);
        }
    }

    public long endBytes() {
        return offsetBytes + lengthBytes;
    }
}
