// SPDX-License-Identifier: Apache-2.0
package io.migov.storage;

import io.migov.core.storage.DiskCounters;
import io.migov.core.storage.DiskStats;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads the kernel's block-device counters; all interpretation is in {@link DiskStats}. */
public final class ProcDiskStats {

    public static final Path PATH = Path.of("/proc/diskstats");

    private ProcDiskStats() {
    }

    public static List<DiskCounters> read(Path path) throws IOException {
        return DiskStats.parse(Files.readString(path, StandardCharsets.US_ASCII));
    }
}
