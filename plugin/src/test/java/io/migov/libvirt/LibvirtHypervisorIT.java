// SPDX-License-Identifier: Apache-2.0
package io.migov.libvirt;

import io.migov.core.DecisionCore;
import io.migov.governor.Governor;
import io.migov.governor.GovernorSettings;
import io.migov.governor.ModelStore;
import io.migov.governor.VmView;
import io.migov.port.DirtyRate;
import io.migov.port.DomainState;
import io.migov.port.DomainStats;
import io.migov.port.Hypervisor;
import io.migov.port.HypervisorException;
import io.migov.port.HypervisorListener;
import io.migov.port.JobStats;
import io.migov.testbed.LabExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The adapter against the real two-host lab ({@code testbed/lab}, libvirt 11.3 + QEMU 10), brought
 * up by {@link LabExtension}. VMs are named {@code adp-it-*} and removed after each test.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(LabExtension.class)
class LibvirtHypervisorIT {

    static final String URI_A = "qemu+tcp://10.77.0.1/system";
    static final String URI_B = "qemu+tcp://10.77.0.2/system";
    /** Never converges at 100 MiB/s: ≈ 250 MiB stay dirty every pass (testbed/README.md, Lab facts). */
    static final String STUCK_WRITER = "mwriter --mib 256 --pages-per-sec 200000";
    static final long BANDWIDTH_MIBPS = 100;

    private static Path lab;
    private static LibvirtHypervisor hvA;
    private final List<String> vms = new ArrayList<>();
    private final Recorder events = new Recorder();

    @BeforeAll
    static void labIsUp() throws Exception {
        lab = Path.of(System.getProperty("migov.lab", "../testbed/lab"));
        assertTrue(Files.isExecutable(lab), "no lab script at " + lab);
        assertEquals(0, run(60, "status").exit, "the lab is not up");
        hvA = LibvirtHypervisor.open(URI_A);
    }

    @AfterAll
    static void closeAll() {
        if (hvA != null) {
            hvA.close();
        }
    }

    @AfterEach
    void stopVms() throws Exception {
        hvA.setListener(null);
        for (String vm : vms) {
            run(120, "vm", "stop", vm);
        }
    }

    // ------------------------------------------------------------------ tests

    @Test
    void runningDomainStats_idleVm_reportsStateCpuAndMemory() throws Exception {
        String uuid = startVm("adp-it-stats", "idle");
        DomainStats first = statsOf(uuid);
        Thread.sleep(1000);
        DomainStats second = statsOf(uuid);

        assertEquals("adp-it-stats", first.name());
        assertTrue(first.running());
        assertEquals(DomainState.RUNNING, hvA.domainState(uuid).state());
        assertEquals(1, first.vcpus());
        assertEquals(512 * 1024, first.currentMemoryKiB());
        assertEquals(512 * 1024, first.maximumMemoryKiB());
        assertTrue(second.cpuTimeNanos() > first.cpuTimeNanos(), first + " -> " + second);
        assertTrue(first.netRxBytes() >= 0, "one virtio NIC: " + first);
        // lab guests have a virtio balloon with a 1 s stats period: memory use is the guest's, not QEMU's RSS
        DomainStats later = awaitStats(uuid, DomainStats::hasGuestMemoryStats, 20);
        assertTrue(later.availableKiB() > 400 * 1024 && later.availableKiB() <= 512 * 1024, later.toString());
        assertTrue(later.usableKiB() > 0 && later.usableKiB() < later.availableKiB(), later.toString());
    }

    @Test
    void runningDomainStats_diskWorkloadInTheGuest_blockCountersFollowItsRequests() throws Exception {
        // 4 KiB O_DIRECT random reads, paced at 200/s, on the guest's 64 MiB virtio disk
        String uuid = startVm("adp-it-disk", "diskio --path /dev/vda --pattern randread --bs-kib 4 --iops 200", 64);
        DomainStats first = awaitStats(uuid, d -> d.block().readRequests() > 0, 60);
        long firstNanos = System.nanoTime();
        assertTrue(first.block().readRequests() > 0, "the workload never read: " + first);
        Thread.sleep(5000);
        DomainStats second = statsOf(uuid);
        double seconds = (System.nanoTime() - firstNanos) / 1e9;
        long requests = second.block().readRequests() - first.block().readRequests();
        long bytes = second.block().readBytes() - first.block().readBytes();
        assertTrue(requests / seconds > 140 && requests / seconds < 260, requests + " reads in " + seconds + " s");
        assertEquals(4096.0, (double) bytes / requests, 64.0, "4 KiB a read");
        assertEquals(first.block().writeRequests(), second.block().writeRequests(), "a reader writes nothing");
        DomainStats.BlockIo noDisk = statsOf(startVm("adp-it-nodisk", "idle")).block();
        assertTrue(noDisk.equals(DomainStats.BlockIo.NO_DISKS) || noDisk.equals(DomainStats.BlockIo.UNKNOWN),
                "a lab guest without a disk has no disk I/O: " + noDisk);
    }

    @Test
    void dirtyRate_writerAgainstIdleGuest_pageSamplingMeasuresTheWrites() throws Exception {
        String writer = startVm("adp-it-dirty", STUCK_WRITER);
        String idle = startVm("adp-it-clean", "idle");
        hvA.startDirtyRateCalc(writer, 1);
        hvA.startDirtyRateCalc(idle, 1);
        DirtyRate w = awaitMeasured(writer);
        DirtyRate i = awaitMeasured(idle);
        assertEquals(1, w.periodSeconds());
        // TCG dirties ≈ 25 k pages/s (≈ 100 MiB/s) with this writer (the lab facts in testbed/README.md); page sampling sees most of it
        assertTrue(w.mebibytesPerSecond() >= 20, "writer: " + w);
        assertTrue(i.mebibytesPerSecond() <= 5, "idle: " + i);
        long firstStart = w.calcStartSeconds();
        Thread.sleep(1000);
        hvA.startDirtyRateCalc(writer, 1);
        DirtyRate again = awaitMeasured(writer);
        assertTrue(again.calcStartSeconds() > firstStart, "a new calculation has a later start: " + w + " then " + again);
        HypervisorException gone = assertThrows(HypervisorException.class,
                () -> hvA.startDirtyRateCalc("00000000-0000-0000-0000-000000000000", 1));
        assertEquals(HypervisorException.Kind.NO_DOMAIN, gone.kind());
    }

    @Test
    void governor_guestFreesMemory_itsMemoryLevelDrops() throws Exception {
        // holds 380 of 512 MiB for 25 s, then gives it back to the guest kernel
        String uuid = startVm("adp-it-free", "phased --phase hold:dur=25,mib=380 --phase free:dur=3600,mib=0");
        Governor governor = Governor.builder().hypervisor(hvA).core(DecisionCore.defaults())
                .settings(() -> GovernorSettings.DEFAULTS).clock(Clock.systemUTC()).ticker(System::nanoTime)
                .recordSink(r -> { }).modelStore(new ModelStore() {
                    @Override
                    public Optional<String> load(String id) {
                        return Optional.empty();
                    }

                    @Override
                    public void save(String id, String json) {
                    }
                }).executor(Runnable::run).build();
        List<String> levels = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(75);
        boolean sawHigh = false;
        boolean droppedAfterHigh = false;
        while (System.nanoTime() < deadline && !droppedAfterHigh) {
            governor.tick();
            governor.measureWriteIntensity();
            Optional<VmView> v = governor.vm(uuid);
            if (v.isPresent() && v.get().state() >= 0) {
                assertEquals("balloon", v.get().memorySource(), "the guest's own memory use");
                String mem = v.get().levels().split(",")[1];
                levels.add(mem);
                sawHigh |= mem.equals("mem=high");
                droppedAfterHigh = sawHigh && mem.equals("mem=low");
            }
            Thread.sleep(1000);
        }
        assertTrue(sawHigh, "380 of 512 MiB in use is high: " + levels);
        assertTrue(droppedAfterHigh, "freed memory drops the level (RSS never would): " + levels);
    }

    @Test
    void metadata_setThenGet_roundTripsAndAbsentIsNull() throws Exception {
        String uuid = startVm("adp-it-meta", "idle");
        assertNull(hvA.metadata(uuid));

        String xml = "<migov:model xmlns:migov=\"" + Hypervisor.METADATA_NAMESPACE
                + "\" version=\"1\">{\"counts\":[[3,1],[0,2]]}</migov:model>";
        hvA.setMetadata(uuid, xml);

        String back = hvA.metadata(uuid);
        assertNotNull(back);
        assertTrue(back.contains("{\"counts\":[[3,1],[0,2]]}"), back);
        assertTrue(back.contains(Hypervisor.METADATA_NAMESPACE), back);
        String persistent = virsh(URI_A, "dumpxml", "--inactive", "adp-it-meta");
        assertTrue(persistent.contains("{&quot;counts&quot;") || persistent.contains("{\"counts\""),
                "persistent definition written too: " + persistent);
    }

    @Test
    void domainCalls_unknownUuid_areNoDomain() {
        String nobody = "4d49474f-dead-4000-8000-000000000000";
        assertEquals(HypervisorException.Kind.NO_DOMAIN,
                assertThrows(HypervisorException.class, () -> hvA.jobStats(nobody)).kind());
        assertEquals(HypervisorException.Kind.NO_DOMAIN,
                assertThrows(HypervisorException.class, () -> hvA.startPostCopy(nobody)).kind());
        assertEquals(HypervisorException.Kind.NO_DOMAIN,
                assertThrows(HypervisorException.class, () -> hvA.domainState(nobody)).kind());
    }

    @Test
    void startPostCopy_migrationWithPostcopyFlag_switchesAndPagesAreRequested() throws Exception {
        String uuid = startVm("adp-it-pc", STUCK_WRITER);
        hvA.setListener(events);
        Future<Optional<HypervisorException>> migration = migrate(uuid, MigrationClient.NOVA_POSTCOPY_FLAGS);

        JobStats atSwitch = awaitIteration(uuid, 2, migration);
        assertTrue(atSwitch.get("memory_dirty_rate", -1) > 0, atSwitch.toString());
        assertTrue(atSwitch.get("memory_remaining", -1) > 0, atSwitch.toString());
        assertTrue(atSwitch.get("memory_bps", -1) > 0, atSwitch.toString());
        hvA.startPostCopy(uuid);

        assertEquals(Optional.empty(), migration.get(120, TimeUnit.SECONDS));
        JobStats done = events.awaitJobCompleted(uuid);
        assertTrue(done.get("memory_postcopy_requests", 0) > 0, "post-copy requests: " + done);
        assertTrue(events.lifecycle.contains(uuid + " 3/7"), "SUSPENDED/POSTCOPY on the source: " + events.lifecycle);
        assertIterationsOncePerPass(uuid, done);
        System.out.printf("post-copy at pass %d (dirty %d pages/s, remaining %d MiB, %d MiB/s): time %d ms, "
                        + "downtime %d ms, %d post-copy requests, iteration events %s%n",
                atSwitch.get("memory_iteration", -1), atSwitch.get("memory_dirty_rate", -1),
                atSwitch.get("memory_remaining", -1) >> 20, atSwitch.get("memory_bps", -1) >> 20,
                done.get("time_elapsed", -1), done.get("downtime", -1), done.get("memory_postcopy_requests", -1),
                events.iterations(uuid));
    }

    @Test
    void startPostCopy_migrationWithoutPostcopyFlag_isNotPermitted_andRaisedDowntimeFinishesIt() throws Exception {
        String uuid = startVm("adp-it-nopc", STUCK_WRITER);
        hvA.setListener(events);
        Future<Optional<HypervisorException>> migration = migrate(uuid, MigrationClient.NOVA_FLAGS);

        awaitIteration(uuid, 2, migration);
        HypervisorException refused = assertThrows(HypervisorException.class, () -> hvA.startPostCopy(uuid));
        assertEquals(HypervisorException.Kind.POSTCOPY_NOT_PERMITTED, refused.kind(), refused.getMessage());

        JobStats stuck = awaitIteration(uuid, 5, migration);
        assertTrue(stuck.get("memory_remaining", 0) > 64L << 20, "still far from done: " + stuck);
        assertTrue(stuck.get("downtime", 0) > 300, "QEMU expects more than the default 300 ms: " + stuck);
        hvA.setMaxDowntimeMillis(uuid, 10_000);
        assertEquals(10_000, hvA.maxDowntimeMillis(uuid));

        assertEquals(Optional.empty(), migration.get(30, TimeUnit.SECONDS), "finishes once the downtime allows it");
        JobStats done = events.awaitJobCompleted(uuid);
        assertEquals(0, done.get("memory_postcopy_requests", 0));
        assertTrue(done.get("memory_iteration", 0) > stuck.get("memory_iteration", 0), done.toString());
        assertIterationsOncePerPass(uuid, done);
        System.out.printf("refused: %s; stuck at pass %d with %d MiB remaining (QEMU expects %d ms downtime); "
                        + "after max downtime 10 s: time %d ms, downtime %d ms, iteration events %s%n",
                refused.getMessage(), stuck.get("memory_iteration", -1), stuck.get("memory_remaining", -1) >> 20,
                stuck.get("downtime", -1), done.get("time_elapsed", -1), done.get("downtime", -1),
                events.iterations(uuid));
    }

    // ------------------------------------------------------------------ helpers

    private String startVm(String name, String workload) throws Exception {
        return startVm(name, workload, 0);
    }

    private String startVm(String name, String workload, int diskMib) throws Exception {
        run(120, "vm", "stop", name); // leftovers of an earlier run
        vms.add(name);
        Proc p = run(180, "vm", "start", name, "--host", "A", "--workload", workload, "--disk", Integer.toString(diskMib));
        assertEquals(0, p.exit, p.out);
        for (DomainStats d : hvA.runningDomainStats()) {
            if (d.name().equals(name)) {
                return d.uuid();
            }
        }
        throw new AssertionError(name + " not in the bulk stats of host A");
    }

    private static DomainStats awaitStats(String uuid, java.util.function.Predicate<DomainStats> until, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        DomainStats d = statsOf(uuid);
        while (!until.test(d) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            d = statsOf(uuid);
        }
        return d;
    }

    private static DirtyRate awaitMeasured(String uuid) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        DirtyRate r = hvA.dirtyRate(uuid);
        while (!r.measured() && System.nanoTime() < deadline) {
            Thread.sleep(250);
            r = hvA.dirtyRate(uuid);
        }
        assertTrue(r.measured(), "no dirty rate measured for " + uuid + ": " + r);
        return r;
    }

    private static DomainStats statsOf(String uuid) throws HypervisorException {
        return hvA.runningDomainStats().stream().filter(d -> d.uuid().equals(uuid)).findFirst()
                .orElseThrow(() -> new AssertionError(uuid + " not running on A"));
    }

    private static Future<Optional<HypervisorException>> migrate(String uuid, int flags) {
        ExecutorService ex = Executors.newSingleThreadExecutor();
        Future<Optional<HypervisorException>> f = ex.submit(() -> {
            try {
                MigrationClient.migrateToURI3(URI_A, uuid, URI_B, flags, BANDWIDTH_MIBPS);
                return Optional.empty();
            } catch (HypervisorException e) {
                return Optional.of(e);
            }
        });
        ex.shutdown();
        return f;
    }

    /** Polls job stats every 200 ms until {@code memory_iteration} reaches {@code iteration}. */
    private static JobStats awaitIteration(String uuid, long iteration, Future<?> migration) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (migration.isDone()) {
                fail("migration ended before iteration " + iteration + ": " + migration.get());
            }
            JobStats js = hvA.jobStats(uuid);
            if (js.isOutgoingMigration() && js.get("memory_iteration", -1) >= iteration) {
                return js;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no iteration " + iteration + " within 60 s");
    }

    /** MIGRATION_ITERATION came once per pass: 1, 2, 3, … up to the last pass counted in the final stats. */
    private void assertIterationsOncePerPass(String uuid, JobStats done) {
        List<Integer> seen = events.iterations(uuid);
        assertTrue(!seen.isEmpty(), "iteration events");
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(i + 1, seen.get(i), "iteration events in order, once each: " + seen);
        }
        long last = done.get("memory_iteration", -1);
        assertTrue(Math.abs(seen.size() - last) <= 1, "events " + seen + " vs final memory_iteration " + last);
    }

    private static String virsh(String uri, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("virsh", "-c", uri));
        cmd.addAll(List.of(args));
        Proc p = exec(60, cmd);
        assertEquals(0, p.exit, p.out);
        return p.out;
    }

    private record Proc(int exit, String out) {
    }

    private static Proc run(int timeoutS, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(lab.toString());
        cmd.addAll(List.of(args));
        return exec(timeoutS, cmd);
    }

    private static Proc exec(int timeoutS, List<String> cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile("adp-it", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Proc(-1, cmd + " timed out after " + timeoutS + " s");
            }
            return new Proc(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Collects events; the test thread reads them. */
    static final class Recorder implements HypervisorListener {
        final List<String> iterations = new CopyOnWriteArrayList<>();
        final List<String> lifecycle = new CopyOnWriteArrayList<>();
        final BlockingQueue<Object[]> completed = new LinkedBlockingQueue<>();

        @Override
        public void onMigrationIteration(String uuid, int iteration) {
            iterations.add(uuid + " " + iteration);
        }

        @Override
        public void onJobCompleted(String uuid, JobStats finalStats) {
            completed.add(new Object[] {uuid, finalStats});
        }

        @Override
        public void onLifecycle(String uuid, int event, int detail) {
            lifecycle.add(uuid + " " + event + "/" + detail);
        }

        List<Integer> iterations(String uuid) {
            List<Integer> out = new ArrayList<>();
            for (String s : iterations) {
                if (s.startsWith(uuid + " ")) {
                    out.add(Integer.parseInt(s.substring(uuid.length() + 1)));
                }
            }
            return out;
        }

        JobStats awaitJobCompleted(String uuid) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            Object[] e;
            while ((e = completed.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null) {
                if (uuid.equals(e[0])) {
                    return (JobStats) e[1];
                }
            }
            throw new AssertionError("no JOB_COMPLETED event for " + uuid);
        }
    }
}
