// SPDX-License-Identifier: Apache-2.0
package io.migov.storage;

import com.fasterxml.jackson.databind.JsonNode;
import io.migov.core.storage.DiskCounters;
import io.migov.core.storage.PrefetchSettings;
import io.migov.daemon.JsonLinesRecordSink;
import io.migov.governor.MigrationRecord;
import io.migov.governor.StorageSettings;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StorageSteeringTest {

    private static final long MIB = 1024 * 1024;
    private static final String A = "aaaaaaaa-0000-0000-0000-000000000001";
    private static final String B = "bbbbbbbb-0000-0000-0000-000000000002";
    private static final StorageSettings NO_PREFETCH = StorageSettings.DEFAULTS.withPrefetch(new PrefetchSettings(0, 0));

    /** The clock every part reads: advanced one second per step. */
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    /** Cumulative counters of sda: each second adds {@link #next}. */
    private long reads;
    private long sectors;
    private long ticks;
    private long[] next = {0, 0, 0};
    private final FakeStorageCopy port = new FakeStorageCopy();
    private List<StorageSteering.Migration> migrating = new ArrayList<>();
    private boolean acting = true;
    private final HostIoCollector collector = new HostIoCollector("sda",
            () -> List.of(new DiskCounters("sda", reads, sectors, 0, 0, ticks)), nanos::get, 60);
    private final StorageSteering steering = new StorageSteering(collector, port, () -> migrating, () -> NO_PREFETCH, () -> acting,
            new PrefetchReader(Runnable::run, (f, o, l) -> l), nanos::get);

    private void second(boolean busy) {
        // busy: 150 IOPS, 30 MiB/s, 100 % (p ≈ 0.98); idle: 5 IOPS, 0.1 MiB/s, 2 % (p ≈ 0.06)
        next = busy ? new long[] {150, 30 * MIB / 512, 1000} : new long[] {5, MIB / 10 / 512, 20};
        nanos.addAndGet(1_000_000_000L);
        reads += next[0];
        sectors += next[1];
        ticks += next[2];
        steering.step();
    }

    private StorageView view() {
        List<StorageView> views = steering.views();
        assertEquals(1, views.size(), views.toString());
        return views.get(0);
    }

    @Test
    void step_hysteresisOverTime_onAfterTwoBusySeconds_offAfterThreeQuietOnes() {
        port.mirror(A, "vda", "/images/a.raw", 0, 8L << 30, 0);
        migrating = List.of(new StorageSteering.Migration(A, "a"));
        second(false); // first reading: no sample yet, but the migration is adopted
        second(false);
        assertFalse(view().interference());
        second(true);
        assertFalse(view().interference(), "one busy second is not interference");
        second(false);
        second(true);
        assertFalse(view().interference(), "a quiet second broke the run");
        second(true);
        assertTrue(view().interference(), "two consecutive busy seconds");
        assertEquals(0.98, view().probability(), 0.01);
        second(false);
        second(false);
        assertTrue(view().interference(), "two quiet seconds are not enough");
        second(false);
        assertFalse(view().interference(), "three quiet seconds switch it off");
        assertEquals(8, view().steps(), "one step per second with a sample");
    }

    @Test
    void step_memoryOnlyMigration_isLeftAlone() {
        migrating = List.of(new StorageSteering.Migration(B, "b")); // job stats show no disk copy
        second(true);
        second(true);
        assertTrue(steering.views().isEmpty());
        assertTrue(port.speedCalls.isEmpty());
        assertEquals(0.98, steering.lastProbability(), 0.01, "the host is still classified");
    }

    @Test
    void recording_storageMigration_recordCarriesItsStorageFields_otherRecordsDoNot() throws Exception {
        port.mirror(A, "vda", "/images/a.raw", 0, 8L << 30, 0);
        migrating = List.of(new StorageSteering.Migration(A, "a"), new StorageSteering.Migration(B, "b"));
        for (int s = 0; s < 6; s++) {
            second(true);
        }
        migrating = List.of(); // both finished: the jobs are gone
        port.copies.clear();
        port.jobs.clear();
        second(false);
        List<MigrationRecord> written = new ArrayList<>();
        var sink = steering.recording(written::add);
        sink.write(record(A, "a"));
        sink.write(record(B, "b"));

        MigrationRecord.Storage s = written.get(0).storage();
        assertEquals("sda", s.device());
        assertEquals(8L << 30, s.diskTotalBytes());
        assertEquals(5, s.steps(), "five busy seconds with a sample");
        assertEquals(4, s.interferenceSeconds());
        assertEquals(0.98, s.maxProbability(), 0.01);
        assertEquals("applied", s.lever());
        assertTrue(s.minSpeedBytesPerSecond() < 100 * MIB);
        // a change under 1 % is not sent to libvirt
        assertEquals(port.lastSpeed(), s.lastSpeedBytesPerSecond(), 0.01 * port.lastSpeed());
        assertNull(written.get(1).storage(), "a memory-only migration has no storage fields");

        JsonNode a = JsonLinesRecordSink.JSON.readTree(JsonLinesRecordSink.JSON.writeValueAsString(written.get(0)));
        assertEquals("sda", a.path("storage").path("device").asText());
        assertEquals(8L << 30, a.path("storage").path("disk_total_bytes").asLong());
        assertEquals(4, a.path("storage").path("interference_seconds").asInt());
        assertEquals(s.lastSpeedBytesPerSecond(), a.path("storage").path("last_speed_bytes_per_second").asLong());
        JsonNode b = JsonLinesRecordSink.JSON.readTree(JsonLinesRecordSink.JSON.writeValueAsString(written.get(1)));
        assertFalse(b.has("storage"), "absent, not null: " + b);

        sink.write(record(A, "a"));
        assertNull(written.get(2).storage(), "the summary is handed out once");
    }

    @Test
    void step_notActing_noSpeedIsSet() {
        acting = false;
        port.mirror(A, "vda", "/images/a.raw", 0, 8L << 30, 0);
        migrating = List.of(new StorageSteering.Migration(A, "a"));
        for (int s = 0; s < 4; s++) {
            second(true);
        }
        assertTrue(port.speedCalls.isEmpty());
        assertEquals("advise", view().lever());
    }

    private static MigrationRecord record(String uuid, String vm) {
        return new MigrationRecord(vm, uuid, "test:///default", "enforce", "migov", 1, 2, io.migov.governor.MigrationOutcome.COMPLETED, true, 100, 10, 1000, 2, 0,
                "PRE_COPY", "r", 0, 0, 0, 5, "none", -1, "", "none", -1, false, 0, null, List.of(), List.of(),
                MigrationRecord.ModelAtStart.NONE);
    }

    @Test
    void step_diskCopyBeforeTheGovernorSeesTheMigration_isFoundByProbingTheHostsVms() throws Exception {
        // libvirt copies the disks before the first memory pass: no pass event, the governor lists nothing yet
        steering.probing(() -> java.util.Map.of(A, "a", B, "b"));
        port.mirror(A, "vda", "/images/a.raw", 0, 8L << 30, 0);
        migrating = List.of();
        second(true);
        second(true);
        assertEquals(List.of("a"), steering.views().stream().map(StorageView::vm).toList(), "found by its job stats");
        assertFalse(port.speedCalls.isEmpty(), "and steered at once");

        port.copies.clear(); // the copy and the migration ended
        port.jobs.clear();
        second(true);
        assertTrue(steering.views().isEmpty());
    }
}
