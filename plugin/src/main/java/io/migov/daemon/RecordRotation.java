// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon;

/**
 * Rotation of {@code migrations.jsonl}: the file is rotated before a record would take it past
 * {@code maxBytes}; {@code keepFiles} rotated files ({@code migrations.jsonl.1} newest …) are kept.
 *
 * @param maxBytes  rotation size in bytes, 4096..2^40 (config key {@code recordMaxBytes}, default 10 MiB)
 * @param keepFiles rotated files kept besides the current one, 0..100 (config key {@code recordKeepFiles},
 *                  default 5; 0 drops the old records at rotation)
 */
public record RecordRotation(long maxBytes, int keepFiles) {

    public static final long MIN_MAX_BYTES = 4096;
    public static final long MAX_MAX_BYTES = 1L << 40;
    public static final int MAX_KEEP_FILES = 100;
    public static final RecordRotation DEFAULTS = new RecordRotation(10L * 1024 * 1024, 5);

    public RecordRotation {
        if (maxBytes < MIN_MAX_BYTES || maxBytes > MAX_MAX_BYTES) {
            throw new IllegalArgumentException("recordMaxBytes: expected " + MIN_MAX_BYTES + ".." + MAX_MAX_BYTES + ", got " + maxBytes);
        }
        if (keepFiles < 0 || keepFiles > MAX_KEEP_FILES) {
            throw new IllegalArgumentException("recordKeepFiles: expected 0.." + MAX_KEEP_FILES + ", got " + keepFiles);
        }
    }
}
