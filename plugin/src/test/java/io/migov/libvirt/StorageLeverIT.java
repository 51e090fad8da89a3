// SPDX-License-Identifier: Apache-2.0
package io.migov.libvirt;

import io.migov.port.StorageCopy;
import io.migov.testbed.ConsoleLog;
import io.migov.testbed.Lab;
import io.migov.testbed.LabExtension;
import io.migov.testbed.MigrationOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The storage lever on the real lab (issue 11, docs/storage/lever.md steps 1–3): during a
 * {@code --copy-storage-all} migration on libvirt 11 / QEMU 10, migov's {@link LibvirtStorageCopy}
 * sees the disk copy's progress and changes its speed mid-copy through virDomainBlockJobSetSpeed,
 * while virDomainMigrateSetMaxSpeed does not reach the copy. Speeds are judged from the slope of
 * {@code disk_processed}, which QEMU's mirror advances in chunks of up to 16 MiB, hence windows of
 * several seconds and ±25 % bands.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
@ExtendWith(LabExtension.class)
class StorageLeverIT {

    private static final long MIB = 1024L * 1024L;
    private static final String VM = "lever-it";
    private static final int DISK_MIB = 1024;

    private final Lab lab;
    private final List<String> vms = new ArrayList<>();

    StorageLeverIT(Lab lab) {
        this.lab = lab;
    }

    @AfterEach
    void stopVms() {
        for (String vm : vms) {
            lab.run(Duration.ofMinutes(1), "vm", "stop", vm);
        }
    }

    @Test
    void blockJobSpeed_duringStorageMigration_changesTheCopyRateAndMigrationSpeedDoesNot() throws Exception {
        vms.add(VM);
        // the guest keeps reading its own disk during the copy: the migration must not break it
        lab.startVm(VM, Lab.HOST_A, "diskio --path /dev/vda --pattern randread --bs-kib 4 --iops 100", 256, DISK_MIB);
        lab.awaitPerfLine(VM, "diskio", Duration.ofSeconds(30));
        String uuid = lab.virsh(Lab.HOST_A, "domuuid", VM).requireSuccess().stdout().strip();

        CompletableFuture<MigrationOutcome> migration = CompletableFuture.supplyAsync(
                () -> lab.migrate(VM, Lab.HOST_A, Lab.HOST_B, "precopy", 20, 240, "--copy-storage"));
        LibvirtHypervisor hv = LibvirtHypervisor.open(Lab.uri(Lab.HOST_A));
        try {
            LibvirtStorageCopy storage = new LibvirtStorageCopy(hv);

            assertEquals(List.of(new StorageCopy.Disk("vda", "/var/lib/libvirt/images/" + VM + ".raw")), storage.disks(uuid));
            StorageCopy.DiskCopy first = awaitCopying(storage, uuid, migration);
            assertEquals(DISK_MIB * MIB, first.totalBytes(), "disk_total: the whole image is copied " + first);

            // step 1: progress visible, at the migration's bandwidth (the mirror's starting speed)
            assertEquals(20 * MIB, storage.blockJob(uuid, "vda").bandwidthBytesPerSecond(), "starting limit");
            double initial = slopeMiBps(storage, uuid, 8);
            assertInBand(20, initial, "copy rate at the migration's 20 MiB/s");

            // step 2: the block-job speed reaches the mirror at once, up and down
            long t0 = System.nanoTime();
            storage.setCopySpeed(uuid, "vda", 80 * MIB);
            long callMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(callMillis < 2000, "virDomainBlockJobSetSpeed returns at once during the migration, took " + callMillis + " ms");
            assertEquals(80 * MIB, storage.blockJob(uuid, "vda").bandwidthBytesPerSecond(), "limit after the call");
            Thread.sleep(1000);
            double raised = slopeMiBps(storage, uuid, 4);
            assertInBand(80, raised, "copy rate after setting 80 MiB/s");

            storage.setCopySpeed(uuid, "vda", 5 * MIB);
            Thread.sleep(2000);
            double lowered = slopeMiBps(storage, uuid, 10);
            assertTrue(lowered <= 10, "copy rate after setting 5 MiB/s: " + lowered + " MiB/s");

            // step 3 (control): the migration's own max speed does not reach the disk copy
            lab.virsh(Lab.HOST_A, "migrate-setspeed", VM, "80").requireSuccess();
            Thread.sleep(1000);
            double afterMigrationSpeed = slopeMiBps(storage, uuid, 10);
            assertTrue(afterMigrationSpeed <= 10,
                    "virDomainMigrateSetMaxSpeed(80) left the copy at the block job's 5 MiB/s, measured " + afterMigrationSpeed);
            System.out.printf("StorageLeverIT: copy MiB/s at 20 → %.1f, set 80 → %.1f (call %d ms), set 5 → %.1f,"
                    + " then migrate-setspeed 80 → %.1f%n", initial, raised, callMillis, lowered, afterMigrationSpeed);

            storage.setCopySpeed(uuid, "vda", 0); // unlimited: let it finish
        } finally {
            hv.close();
        }
        MigrationOutcome done = migration.get(4, TimeUnit.MINUTES);
        assertTrue(done.completed(), done.fields().toString());
        assertEquals(Lab.HOST_B, done.nowOn());
        assertEquals(DISK_MIB * MIB, done.number("disk_bytes"), done.fields().toString());
        ConsoleLog.PerfLine after = lab.awaitPerfLine(VM, "diskio", Duration.ofSeconds(10));
        Thread.sleep(2500);
        ConsoleLog.PerfLine later = lab.console(VM).last("diskio");
        assertTrue(later.seconds() > after.seconds() && later.ops() > 0, "the guest still reads its disk on B: " + later);
        assertEquals(0, ConsoleLog.field(later, "errors"), later.toString());
    }

    private static StorageCopy.DiskCopy awaitCopying(LibvirtStorageCopy storage, String uuid, CompletableFuture<?> migration)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            assertTrue(!migration.isDone(), () -> "migration ended before its disk copy was seen: " + migration.join());
            StorageCopy.DiskCopy c = storage.diskCopy(uuid);
            if (c.copying()) {
                return c;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no disk copy seen within 60 s");
    }

    /** Least-squares slope of disk_processed over {@code seconds}, sampled every 250 ms, MiB/s. */
    private static double slopeMiBps(LibvirtStorageCopy storage, String uuid, int seconds) throws Exception {
        List<double[]> points = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            StorageCopy.DiskCopy c = storage.diskCopy(uuid);
            assertTrue(c.copying(), "the disk copy ended while being measured: " + c);
            assertTrue(c.remainingBytes() > 0, "the disk copy finished while being measured: " + c);
            points.add(new double[] {(System.nanoTime() - start) / 1e9, c.processedBytes() / (double) MIB});
            Thread.sleep(250);
        }
        double n = points.size();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (double[] p : points) {
            sx += p[0];
            sy += p[1];
            sxx += p[0] * p[0];
            sxy += p[0] * p[1];
        }
        return (n * sxy - sx * sy) / (n * sxx - sx * sx);
    }

    private static void assertInBand(double expectedMiBps, double measured, String what) {
        assertTrue(measured >= expectedMiBps * 0.75 && measured <= expectedMiBps * 1.25,
                what + ": expected " + expectedMiBps + " MiB/s ± 25 %, measured " + String.format("%.1f", measured));
    }
}
