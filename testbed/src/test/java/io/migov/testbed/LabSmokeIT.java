// SPDX-License-Identifier: Apache-2.0
package io.migov.testbed;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lab itself, before migov: real libvirt 11 + QEMU 10 migrations between the two hosts. */
@ExtendWith(LabExtension.class)
class LabSmokeIT {

    /** the lab facts in testbed/README.md: 256 MiB dirtied as fast as TCG allows never converges at 100 MiB/s; the checker proves no data is lost. */
    static final String WRITER = "mwriter --mib 256 --pages-per-sec 200000 & integrity --mib 32 --pages-per-sec 1000 --verify-pages-per-sec 20000";

    private final Lab lab;
    private final List<String> started = new ArrayList<>();

    LabSmokeIT(Lab lab) {
        this.lab = lab;
    }

    @AfterEach
    void stopVms() {
        for (String vm : started) {
            lab.run(java.time.Duration.ofMinutes(1), "vm", "stop", vm);
        }
    }

    private void start(String name, String host, String workload) {
        started.add(name);
        lab.startVm(name, host, workload);
    }

    /** The program keeps printing after the migration: its latest second is later than before. */
    private static void assertKeepsRunning(Lab lab, String vm, String program, long secondsBefore) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        long last = -1;
        while (System.nanoTime() < deadline) {
            ConsoleLog.PerfLine line = lab.console(vm).last(program);
            last = line == null ? -1 : line.seconds();
            if (last > secondsBefore + 2) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError(vm + ": " + program + " stopped printing after the migration (last t=" + last + ", before t=" + secondsBefore + ")");
    }

    private static long lastSecond(Lab lab, String vm, String program) throws InterruptedException {
        ConsoleLog.PerfLine line = lab.awaitPerfLine(vm, program, java.time.Duration.ofSeconds(15));
        return line.seconds();
    }

    @Test
    void idleVm_preCopyThereAndBack_completesAndTheGuestStaysIntact() throws Exception {
        start("smoke-idle", Lab.HOST_A, "integrity --mib 32 --pages-per-sec 200 --verify-pages-per-sec 20000");
        long before = lastSecond(lab, "smoke-idle", "integrity");

        MigrationOutcome there = lab.migrate("smoke-idle", Lab.HOST_A, Lab.HOST_B, "precopy", 100, 60);
        assertTrue(there.completed(), there.fields().toString());
        assertEquals(Lab.HOST_B, lab.where("smoke-idle"));
        assertEquals(0, there.postcopyRequests(), "pre-copy: no post-copy page requests");
        assertKeepsRunning(lab, "smoke-idle", "integrity", before);

        MigrationOutcome back = lab.migrate("smoke-idle", Lab.HOST_B, Lab.HOST_A, "precopy", 100, 60);
        assertTrue(back.completed(), back.fields().toString());
        assertEquals(Lab.HOST_A, lab.where("smoke-idle"));
        assertKeepsRunning(lab, "smoke-idle", "integrity", lastSecond(lab, "smoke-idle", "integrity"));
        assertEquals(List.of(), lab.console("smoke-idle").integrityFailures());
    }

    @Test
    void heavyWriter_preCopyNeverConvergesIn30s_abortLeavesItRunningOnA() throws Exception {
        start("smoke-writer", Lab.HOST_A, WRITER);
        MigrationOutcome m = lab.migrate("smoke-writer", Lab.HOST_A, Lab.HOST_B, "precopy", 100, 30);
        assertEquals("cancelled", m.outcome(), m.fields().toString());
        assertEquals(Lab.HOST_A, lab.where("smoke-writer"));
        assertKeepsRunning(lab, "smoke-writer", "integrity", lastSecond(lab, "smoke-writer", "integrity"));
        assertEquals(List.of(), lab.console("smoke-writer").integrityFailures());
    }

    @Test
    void heavyWriter_switchedToPostCopy_completesOnBIntactWithPageRequests() throws Exception {
        start("smoke-pc", Lab.HOST_A, WRITER);
        long before = lastSecond(lab, "smoke-pc", "integrity");
        MigrationOutcome m = lab.migrate("smoke-pc", Lab.HOST_A, Lab.HOST_B, "postcopy-after-precopy", 100, 90);
        assertTrue(m.completed(), m.fields().toString());
        assertEquals(Lab.HOST_B, lab.where("smoke-pc"));
        assertTrue(m.postcopyRequests() > 0, "post-copy page requests: " + m.fields());
        assertKeepsRunning(lab, "smoke-pc", "integrity", before);
        ConsoleLog log = lab.console("smoke-pc");
        assertEquals(List.of(), log.integrityFailures());
        assertTrue(ConsoleLog.field(log.last("integrity"), "verified_pages") > 0, "the checker verified pages");
    }

    @Test
    void networkWorkload_keepsFlowingAcrossAMigration() throws Exception {
        // the guest sends to a sink on the harness side of the lab LAN (10.77.0.254) and keeps doing so after the move
        start("smoke-net", Lab.HOST_A, "netsource --to 10.77.0.254:7701 --kib-per-sec 2048");
        HostLoad hostSink = HostLoad.receive("10.77.0.254:7701", 120);
        try {
            Thread.sleep(4000);
            long before = lastSecond(lab, "smoke-net", "netsource");
            MigrationOutcome m = lab.migrate("smoke-net", Lab.HOST_A, Lab.HOST_B, "precopy", 100, 60);
            assertTrue(m.completed(), m.fields().toString());
            assertKeepsRunning(lab, "smoke-net", "netsource", before);
            Thread.sleep(3000);
            List<ConsoleLog.PerfLine> sent = lab.console("smoke-net").perf("netsource");
            long afterMove = sent.stream().filter(p -> p.seconds() > before + 2).mapToLong(ConsoleLog.PerfLine::ops).sum();
            assertTrue(afterMove > 1024 * 1024, "bytes sent after the migration: " + afterMove);
            assertTrue(hostSink.bytesSoFar() > 4L * 1024 * 1024, "bytes the host received: " + hostSink.bytesSoFar());
        } finally {
            hostSink.stop();
        }
    }
}
