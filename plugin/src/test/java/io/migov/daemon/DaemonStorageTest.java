// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon;

import io.migov.core.storage.DiskCounters;
import io.migov.daemon.management.ManagementPlane;
import io.migov.port.StorageCopy;
import io.migov.testing.FakeHypervisor;
import io.migov.testing.NoStorageCopies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Storage steering is wired only with storageDevice, and then runs on its own. */
class DaemonStorageTest {

    @TempDir
    Path tmp;

    private final AtomicLong diskstatsReads = new AtomicLong();

    private DaemonConfig config(String extraJson) throws ConfigException {
        return DaemonConfig.parse("{" + extraJson + "}", "t.json", tmp, new DaemonConfig.Overrides("test:///default",
                tmp.resolve("state").toString(), "advise"));
    }

    private static final StorageCopy NO_COPIES = NoStorageCopies.INSTANCE;

    private Daemon.Builder builder(DaemonConfig c) {
        return Daemon.builder().config(c).version("migov test").hypervisors(FakeHypervisor::new)
                .storageCopies(h -> NO_COPIES)
                .diskStats(() -> {
                    long n = diskstatsReads.incrementAndGet();
                    return List.of(new DiskCounters("sda", n * 10, n * 100, 0, 0, n * 5));
                });
    }

    @Test
    void start_withoutStorageDevice_noStorageSteering_noMBean_noDiskstatsRead() throws Exception {
        Daemon daemon = builder(config("")).start();
        try {
            assertTrue(daemon.storage().isEmpty());
            assertFalse(ManagementFactory.getPlatformMBeanServer().isRegistered(ManagementPlane.STORAGE));
            Thread.sleep(1100);
            assertEquals(0, diskstatsReads.get());
        } finally {
            daemon.stop();
        }
    }

    @Test
    void start_withStorageDevice_samplesEverySecond_registersTheMBean_untilStop() throws Exception {
        Daemon daemon = builder(config("\"storageDevice\": \"sda\"")).start();
        try {
            assertTrue(daemon.storage().isPresent());
            assertTrue(ManagementFactory.getPlatformMBeanServer().isRegistered(ManagementPlane.STORAGE));
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (daemon.storage().get().collector().samples().size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(daemon.storage().get().collector().samples().size() >= 2, "a host I/O sample every second");
            assertEquals("sda", ManagementFactory.getPlatformMBeanServer().getAttribute(ManagementPlane.STORAGE, "Device"));
        } finally {
            daemon.stop();
        }
        assertFalse(ManagementFactory.getPlatformMBeanServer().isRegistered(ManagementPlane.STORAGE));
        long reads = diskstatsReads.get();
        Thread.sleep(1200);
        assertEquals(reads, diskstatsReads.get(), "no sampling after stop");
    }

    @Test
    void start_storageDeviceNotInDiskstats_failsNamingTheKey() throws Exception {
        ConfigException e = assertThrows(ConfigException.class, () -> builder(config("\"storageDevice\": \"nvme9n9\"")).start());
        assertEquals("config: storageDevice: device nvme9n9 is not in /proc/diskstats, got 'nvme9n9'", e.getMessage());
    }
}
