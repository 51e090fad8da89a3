// SPDX-License-Identifier: Apache-2.0
package io.migov.storage;

import io.migov.core.storage.DiskCounters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ProcDiskStatsTest {

    @TempDir
    Path dir;

    @Test
    void read_aDiskstatsFile_parsesEveryDevice() throws Exception {
        Path f = dir.resolve("diskstats");
        Files.writeString(f, "   8       0 sda 1 2 3 4 5 6 7 8 9 10 11 0 0 0 0\n 252 0 vda 10 0 80 0 20 0 160 0 0 30 0\n");
        assertEquals(List.of(new DiskCounters("sda", 1, 3, 5, 7, 10), new DiskCounters("vda", 10, 80, 20, 160, 30)),
                ProcDiskStats.read(f));
    }

    @Test
    void read_thisHostsDiskstats_isUnderstood() throws Exception {
        // a format change in the running kernel shows here, not on a production host
        if (Files.isReadable(ProcDiskStats.PATH)) {
            assertFalse(ProcDiskStats.read(ProcDiskStats.PATH).isEmpty());
        }
    }
}
