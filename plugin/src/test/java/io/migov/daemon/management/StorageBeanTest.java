// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon.management;

import io.migov.core.storage.DiskCounters;
import io.migov.core.storage.PrefetchSettings;
import io.migov.governor.StorageSettings;
import io.migov.jmx.ManagedExports;
import io.migov.port.StorageCopy;
import io.migov.storage.HostIoCollector;
import io.migov.storage.PrefetchReader;
import io.migov.storage.StorageSteering;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Storage MBean as a JMX client sees it: its scalars through an MXBean proxy of an interface that
 * knows no migov class, its table as the open type the server returns (as ManagementPlaneTest reads Migrations).
 */
class StorageBeanTest {

    private static final long MIB = 1024 * 1024;
    private static final String UUID = "aaaaaaaa-0000-0000-0000-000000000001";

    /** What a client declares. */
    public interface StorageProxy {
        String getDevice();

        double getProbability();

        double getUtilPercent();

        long getSampleFailures();
    }

    private final MBeanServer server = MBeanServerFactory.newMBeanServer();
    private final ManagedExports exports = new ManagedExports(server);

    @AfterEach
    void close() {
        exports.close();
    }

    @Test
    void storageBean_throughAnMXBeanProxy_showsTheHostAndEachStorageMigration() throws Exception {
        AtomicLong nanos = new AtomicLong();
        long[] c = {0, 0, 0};
        HostIoCollector collector = new HostIoCollector("sda", () -> List.of(new DiskCounters("sda", c[0], c[1], 0, 0, c[2])),
                nanos::get, 60);
        StorageCopy port = new StorageCopy() {
            @Override
            public DiskCopy diskCopy(String uuid) {
                return new DiskCopy(8L << 30, 1L << 30, 7L << 30);
            }

            @Override
            public List<Disk> disks(String uuid) {
                return List.of(new Disk("vda", "/images/a.raw"));
            }

            @Override
            public BlockJob blockJob(String uuid, String disk) {
                return new BlockJob(1L << 30, 8L << 30, 0);
            }

            @Override
            public void setCopySpeed(String uuid, String disk, long bytesPerSecond) {
            }
        };
        StorageSteering steering = new StorageSteering(collector, port, () -> List.of(new StorageSteering.Migration(UUID, "vm-a")),
                () -> StorageSettings.DEFAULTS.withPrefetch(new PrefetchSettings(0, 0)), () -> true,
                new PrefetchReader(Runnable::run, (f, o, l) -> l), nanos::get);
        for (int s = 0; s < 3; s++) { // three saturated seconds: interference on after the second sample
            nanos.addAndGet(1_000_000_000L);
            c[0] += 150;
            c[1] += 30 * MIB / 512;
            c[2] += 1000;
            steering.step();
        }
        exports.export(io.migov.daemon.management.ManagementPlane.STORAGE, new StorageBean(steering));
        StorageProxy proxy = JMX.newMXBeanProxy(server, ManagementPlane.STORAGE, StorageProxy.class);

        assertEquals("sda", proxy.getDevice());
        assertEquals(0.98, proxy.getProbability(), 0.01);
        assertEquals(100.0, proxy.getUtilPercent(), 1e-9);
        assertEquals(0, proxy.getSampleFailures());
        TabularData table = (TabularData) server.getAttribute(ManagementPlane.STORAGE, "Migrations");
        assertEquals(1, table.size());
        CompositeData row = table.get(new Object[] {UUID});
        assertEquals("vm-a", row.get("vm"));
        assertEquals(true, row.get("interference"));
        assertEquals(0.98, (double) row.get("probability"), 0.01);
        assertTrue((double) row.get("speedBytesPerSecond") < 100.0 * MIB, "slowed: " + row.get("speedBytesPerSecond"));
        assertEquals("applied", row.get("lever"));
        assertEquals(7L << 30, row.get("diskRemainingBytes"));
        assertEquals(8L << 30, row.get("diskTotalBytes"));
        assertEquals(0L, row.get("prefetchedBytes"));
        assertEquals(2, row.get("steps"));
    }
}
