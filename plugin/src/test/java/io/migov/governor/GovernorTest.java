// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.migov.core.ActionKind;
import io.migov.core.DecisionCore;
import io.migov.core.MarkovModel;
import io.migov.core.ModelCodec;
import io.migov.core.PriorMatrix;
import io.migov.core.Strategy;
import io.migov.port.DomainState;
import io.migov.port.DomainStats;
import io.migov.port.HypervisorException;
import io.migov.port.JobStats;
import io.migov.testing.FakeHypervisor;
import io.migov.testing.TestStats;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GovernorTest {

    private static final String UUID = "6c653893-0e90-474e-a49a-0bf763b94100";
    private static final long MIB = 1024 * 1024;
    private static final long SECOND = 1_000_000_000L;

    private final FakeHypervisor hv = new FakeHypervisor();
    private final AtomicLong nanos = new AtomicLong(1_000 * SECOND);
    private final List<MigrationRecord> records = new ArrayList<>();
    private final Map<String, String> checkpoints = new HashMap<>();
    private GovernorSettings settings = GovernorSettings.DEFAULTS;
    private Governor governor;

    /** cumulative counters of the fake VM */
    private long cpuNanos;
    private long rx;
    private long tx;

    @BeforeEach
    void setUp() {
        governor = Governor.builder().hypervisor(hv).core(DecisionCore.defaults())
                .settings(() -> settings)
                .clock(Clock.fixed(Instant.parse("2026-11-22T00:00:00Z"), ZoneOffset.UTC))
                .ticker(nanos::get)
                .recordSink(records::add)
                .modelStore(new ModelStore() {
                    @Override
                    public Optional<String> load(String uuid) {
                        return Optional.ofNullable(checkpoints.get(uuid));
                    }

                    @Override
                    public void save(String uuid, String json) {
                        checkpoints.put(uuid, json);
                    }
                })
                .executor(Runnable::run)
                .build();
    }

    /** One second of the VM: cpu share and memory use in percent (balloon), net in/out in bytes. */
    private void second(double cpuPercent, double memPercent, long inBytes, long outBytes) {
        cpuNanos += (long) (cpuPercent / 100 * SECOND);
        rx += inBytes;
        tx += outBytes;
        hv.put(TestStats.running(UUID, "vm1", cpuNanos, memPercent, rx, tx));
        nanos.addAndGet(SECOND);
        governor.tick();
    }

    private void pass(int iteration, long dirty, long remaining) {
        hv.jobs.put(UUID, TestStats.migrating(iteration, dirty, remaining));
        hv.listener.onMigrationIteration(UUID, iteration);
    }

    @Test
    void tick_twoReadings_learnOneSampleWithTheMeasuredLevels() {
        second(80, 60, 0, 0);
        second(80, 60, 0, 0);
        VmView v = governor.vms().get(0);
        assertEquals(1, v.samples());
        assertEquals(72, v.state());
        assertEquals("balloon", v.memorySource());
        assertEquals(Strategy.POST_COPY.name(), v.strategy());
    }

    @Test
    void tick_networkBytes_areAShareOfTheLinkCapacity() {
        second(0, 10, 0, 0);
        second(0, 10, 0, 40_000_000); // 320 Mbit in a second: 32 % of 1 Gbit/s → net_out moderate
        assertEquals("cpu=low,mem=low,net_in=low,net_out=moderate", governor.vms().get(0).levels());
    }

    @Test
    void hybridMigration_flatRemainingBytes_switchesAtTheConvergencePoint() {
        second(90, 10, 0, 0);
        second(90, 10, 0, 0); // cpu high, memory low: HYBRID
        pass(1, 0, 512 * MIB);
        // 39 MiB/s against 100: projected to fit within m + completionPasses, so pre-copy goes on
        pass(2, 10_000, 250 * MIB);
        assertTrue(hv.calls.isEmpty(), hv.calls.toString());
        pass(3, 10_200, 251 * MIB);
        assertEquals(List.of("startPostCopy " + UUID), hv.calls);
        hv.listener.onLifecycle(UUID, Governor.EVENT_SUSPENDED, Governor.SUSPENDED_POSTCOPY);
        hv.jobs.remove(UUID);
        hv.listener.onJobCompleted(UUID, TestStats.completed(4321));

        assertEquals(1, records.size());
        MigrationRecord r = records.get(0);
        assertEquals("HYBRID", r.strategy());
        assertEquals("switch_to_postcopy", r.action());
        assertEquals(3, r.actionIteration());
        assertTrue(r.reason().contains("convergence point at pass 3"), r.reason());
        assertTrue(r.completed());
        assertTrue(r.postcopyConfirmed());
        assertEquals(4321, r.postcopyRequests());
        assertEquals(9000, r.totalTimeMs());
        assertEquals(12, r.downtimeMs());
        assertEquals(3, r.passes().size());
        assertEquals(1, governor.stats().switches());
    }

    @Test
    void memoryIntensiveVm_postCopyStrategy_switchesAtDetection() {
        second(10, 70, 0, 0);
        second(10, 70, 0, 0);
        pass(1, 0, 512 * MIB);
        assertEquals(List.of("startPostCopy " + UUID), hv.calls);
    }

    @Test
    void switch_libvirtNotReadyYet_isRetriedOnTheNextTick() {
        second(10, 70, 0, 0);
        second(10, 70, 0, 0);
        hv.startPostCopyFailures.add(new HypervisorException(HypervisorException.Kind.NOT_READY, "virDomainMigrateStartPostCopy",
                "Enable postcopy with migrate_set_capability before the start of migration"));
        pass(1, 0, 512 * MIB);
        assertEquals(0, governor.stats().switches());
        second(10, 70, 0, 0); // next tick: job still running
        assertEquals(2, hv.calls.size());
        assertEquals(1, governor.stats().switches());
    }

    private static HypervisorException notReady() {
        return new HypervisorException(HypervisorException.Kind.NOT_READY, "virDomainMigrateStartPostCopy",
                "Enable postcopy with migrate_set_capability before the start of migration");
    }

    @Test
    void switch_libvirtNeverReady_givesUpAfter50AttemptsAndRecordsTheError() {
        second(10, 70, 0, 0);
        second(10, 70, 0, 0);
        for (int i = 0; i < 60; i++) {
            hv.startPostCopyFailures.add(notReady());
        }
        pass(1, 0, 512 * MIB); // attempt 1
        for (int i = 0; i < 55; i++) {
            second(10, 70, 0, 0); // attempts 2..50 on the ticks, then none
        }
        assertEquals(50, hv.calls.stream().filter(c -> c.startsWith("startPostCopy")).count(), hv.calls.toString());
        assertEquals(0, governor.stats().switches());
        hv.jobs.remove(UUID);
        hv.listener.onJobCompleted(UUID, TestStats.completed(0));
        MigrationRecord r = records.get(0);
        assertEquals("none", r.action());
        assertTrue(r.error().startsWith("switch_to_postcopy failed: "), r.error());
    }

    @Test
    void switch_libvirtSaysPostCopyAlreadyStarted_countsAsTakenAndIsNotRetried() {
        second(10, 70, 0, 0);
        second(10, 70, 0, 0);
        for (int i = 0; i < 5; i++) {
            hv.startPostCopyFailures.add(new HypervisorException(HypervisorException.Kind.ALREADY_POSTCOPY,
                    "virDomainMigrateStartPostCopy", "Requested operation is not valid: post-copy migration already started"));
        }
        pass(1, 0, 512 * MIB);
        for (int i = 0; i < 5; i++) {
            second(10, 70, 0, 0);
        }
        assertEquals(1, hv.calls.stream().filter(c -> c.startsWith("startPostCopy")).count(), hv.calls.toString());
        hv.jobs.remove(UUID);
        hv.listener.onJobCompleted(UUID, TestStats.completed(0));
        MigrationRecord r = records.get(0);
        assertEquals("switch_to_postcopy", r.action());
        assertEquals(null, r.error());
    }

    /** Runs submitted tasks at once and keeps scheduled ones, with their delays, until the test runs them. */
    private static final class ManualScheduler extends java.util.concurrent.ScheduledThreadPoolExecutor {
        final List<Long> delaysMillis = new ArrayList<>();
        final java.util.ArrayDeque<Runnable> due = new java.util.ArrayDeque<>();

        ManualScheduler() {
            super(0);
        }

        @Override
        public void execute(Runnable command) {
            command.run();
        }

        @Override
        public java.util.concurrent.ScheduledFuture<?> schedule(Runnable command, long delay, java.util.concurrent.TimeUnit unit) {
            delaysMillis.add(unit.toMillis(delay));
            due.add(command);
            return null;
        }

        void runDue() {
            due.poll().run();
        }
    }

    @Test
    void switch_libvirtNotReadyYet_isRetriedEvery200MillisOnTheSteeringScheduler() {
        ManualScheduler steering = new ManualScheduler();
        governor = Governor.builder().hypervisor(hv).core(DecisionCore.defaults()).settings(() -> settings)
                .clock(Clock.fixed(Instant.parse("2026-11-22T00:00:00Z"), ZoneOffset.UTC)).ticker(nanos::get)
                .recordSink(records::add).modelStore(new ModelStore() {
                    @Override
                    public Optional<String> load(String uuid) {
                        return Optional.empty();
                    }

                    @Override
                    public void save(String uuid, String json) {
                    }
                }).executor(steering).build();
        second(10, 70, 0, 0);
        second(10, 70, 0, 0);
        hv.startPostCopyFailures.add(notReady());
        hv.startPostCopyFailures.add(notReady());
        pass(1, 0, 512 * MIB);
        assertEquals(List.of(200L), steering.delaysMillis, "one retry scheduled");
        steering.runDue();
        assertEquals(List.of(200L, 200L), steering.delaysMillis, "not ready again: the next one");
        steering.runDue();
        assertEquals(3, hv.calls.size(), hv.calls.toString());
        assertEquals(1, governor.stats().switches());
        assertTrue(steering.due.isEmpty(), "nothing left scheduled");
        steering.shutdownNow();
    }

    @Test
    void switch_refusedBecauseStartedWithoutPostCopy_raisesDowntimeInstead() {
        second(90, 10, 0, 0);
        second(90, 10, 0, 0);
        hv.startPostCopyFailures.add(new HypervisorException(HypervisorException.Kind.POSTCOPY_NOT_PERMITTED,
                "virDomainMigrateStartPostCopy", "requires migration to be started with VIR_MIGRATE_POSTCOPY flag"));
        pass(1, 0, 512 * MIB);
        pass(2, 10_000, 250 * MIB);
        pass(3, 10_200, 251 * MIB);
        assertEquals(List.of("startPostCopy " + UUID, "setMaxDowntime " + UUID + " 3138"), hv.calls);
        hv.jobs.remove(UUID);
        hv.listener.onJobCompleted(UUID, TestStats.completed(0));
        MigrationRecord r = records.get(0);
        assertEquals("raise_downtime", r.action());
        assertEquals(3138, r.downtimeLimitMs());
        assertEquals(1, governor.stats().fallbacks());
    }

    @Test
    void adviseMode_decidesButTouchesNothing() {
        settings = settings.withMode(Mode.ADVISE);
        second(90, 10, 0, 0);
        second(90, 10, 0, 0);
        pass(1, 0, 512 * MIB);
        pass(2, 24_000, 250 * MIB);
        pass(3, 24_500, 251 * MIB);
        pass(4, 24_500, 250 * MIB);
        assertTrue(hv.calls.isEmpty(), hv.calls.toString());
        hv.jobs.remove(UUID);
        hv.listener.onJobCompleted(UUID, TestStats.completed(0));
        MigrationRecord r = records.get(0);
        assertEquals("none", r.action());
        assertEquals("switch_to_postcopy", r.advisedAction());
        assertEquals("advise", r.mode());
    }

    @Test
    void offMode_recordsTheMigrationWithoutDeciding() {
        settings = settings.withMode(Mode.OFF);
        second(10, 70, 0, 0);
        second(10, 70, 0, 0);
        pass(1, 0, 512 * MIB);
        pass(2, 24_000, 250 * MIB);
        hv.jobs.remove(UUID);
        hv.listener.onJobCompleted(UUID, TestStats.completed(0));
        assertTrue(hv.calls.isEmpty());
        assertEquals("none", records.get(0).strategy());
        assertEquals("none", records.get(0).action());
        assertEquals(2, records.get(0).passes().size());
    }

    @Test
    void migrationAborted_vmStillHere_isRecordedAsNotCompletedAfterTheGrace() {
        second(5, 10, 0, 0);
        second(5, 10, 0, 0);
        pass(1, 0, 512 * MIB);
        hv.jobs.remove(UUID);
        second(5, 10, 0, 0);
        assertTrue(records.isEmpty(), "waits for a JOB_COMPLETED event first");
        second(5, 10, 0, 0);
        second(5, 10, 0, 0);
        assertEquals(1, records.size());
        assertFalse(records.get(0).completed());
        assertEquals(MigrationOutcome.FAILED, records.get(0).outcome());
        second(5, 10, 0, 0);
        assertEquals(1, records.size(), "recorded once");
    }

    @Test
    void connectionLostDuringMigration_jobGoneWhenItReturns_recordedFailedSayingTheEndWasNotSeen() {
        second(5, 10, 0, 0);
        second(5, 10, 0, 0);
        pass(1, 0, 512 * MIB);
        hv.listener.onConnectionLost("libvirt closed the connection: EOF");
        hv.jobs.remove(UUID); // libvirtd restarted: it cancels an unfinished outgoing pre-copy
        hv.listener.onConnectionRestored();
        second(5, 10, 0, 0);
        second(5, 10, 0, 0);
        second(5, 10, 0, 0);
        assertEquals(1, records.size());
        assertEquals(MigrationOutcome.FAILED, records.get(0).outcome());
        assertTrue(records.get(0).error().startsWith("the migration's job ended while migov's connection to libvirt was down "
                + "(libvirt closed the connection: EOF)"), records.get(0).error());
    }

    @Test
    void connectionLostDuringMigration_jobStillRunningAfterwards_aLaterFailureIsNotBlamedOnTheOutage() {
        second(5, 10, 0, 0);
        second(5, 10, 0, 0);
        pass(1, 0, 512 * MIB);
        hv.listener.onConnectionLost("libvirt closed the connection: EOF");
        hv.listener.onConnectionRestored();
        second(5, 10, 0, 0); // the job is read again: still migrating
        hv.jobs.remove(UUID);
        second(5, 10, 0, 0);
        second(5, 10, 0, 0);
        second(5, 10, 0, 0);
        assertEquals(1, records.size());
        assertEquals(MigrationOutcome.FAILED, records.get(0).outcome());
        assertTrue(records.get(0).error() == null || !records.get(0).error().contains("connection to libvirt was down"),
                records.get(0).error());
    }

    /** The VM migrating at pass 1, then gone from this host's running list with its job. */
    private void migratingThenGone() {
        second(5, 10, 0, 0);
        second(5, 10, 0, 0);
        pass(1, 0, 512 * MIB);
        hv.domains.clear();
        hv.jobs.clear();
    }

    private void ticks(int n) {
        for (int i = 0; i < n; i++) {
            nanos.addAndGet(SECOND);
            governor.tick();
        }
    }

    @Test
    void vmDestroyedDuringMigration_isRecordedFailedWithTheReasonAtTheEvent() {
        migratingThenGone();
        hv.listener.onLifecycle(UUID, Governor.EVENT_STOPPED, VanishEvidence.Stopped.DESTROYED);
        assertEquals(1, records.size(), "a stop for another reason than the migration is conclusive: no grace");
        MigrationRecord r = records.get(0);
        assertEquals(MigrationOutcome.FAILED, r.outcome());
        assertFalse(r.completed());
        assertEquals("stopped on the source (destroyed) during the migration", r.error());
        assertEquals(-1, r.downtimeMs());
        ticks(1);
        assertTrue(governor.vms().isEmpty());
        assertTrue(checkpoints.containsKey(UUID));
        assertEquals(List.of(), hv.domainStateCalls, "the event said it: libvirt is not asked");
        assertEquals(1, records.size(), "recorded once");
    }

    @Test
    void vmStoppedMigrated_thenJobCompleted_isRecordedCompletedWithTheFinalNumbers() {
        migratingThenGone();
        hv.listener.onLifecycle(UUID, Governor.EVENT_STOPPED, VanishEvidence.Stopped.MIGRATED);
        assertTrue(records.isEmpty(), "JOB_COMPLETED follows a migrated stop with the final numbers");
        hv.listener.onJobCompleted(UUID, TestStats.completed(0));
        assertEquals(1, records.size());
        assertTrue(records.get(0).completed());
        assertEquals(12, records.get(0).downtimeMs());
        assertEquals(null, records.get(0).error());
    }

    @Test
    void vmStoppedMigrated_noJobCompletedEvent_isRecordedCompletedAfterTheGrace() {
        migratingThenGone();
        hv.listener.onLifecycle(UUID, Governor.EVENT_STOPPED, VanishEvidence.Stopped.MIGRATED);
        ticks(2);
        assertTrue(records.isEmpty(), "within the grace");
        ticks(1);
        assertEquals(1, records.size());
        MigrationRecord r = records.get(0);
        assertEquals(MigrationOutcome.COMPLETED, r.outcome());
        assertTrue(r.completed());
        assertEquals(-1, r.downtimeMs(), "no final numbers: a running job's downtime is only QEMU's expectation");
        assertEquals(List.of(), hv.domainStateCalls);
        ticks(1);
        assertTrue(governor.vms().isEmpty());
    }

    @Test
    void vmLeavesWithoutEvents_domainUnknownToLibvirt_isRecordedUnknownNotCompletedAndCheckpointed() {
        migratingThenGone();
        ticks(2);
        assertTrue(records.isEmpty(), "waits for an event first");
        assertEquals(List.of(), hv.domainStateCalls);
        ticks(1);
        assertEquals(1, records.size());
        MigrationRecord r = records.get(0);
        assertEquals(MigrationOutcome.UNKNOWN, r.outcome());
        assertFalse(r.completed());
        assertEquals("left this host without evidence that the destination has it", r.error());
        assertEquals(List.of("domainState " + UUID), hv.domainStateCalls);
        ticks(2);
        assertTrue(governor.vms().isEmpty());
        assertTrue(checkpoints.containsKey(UUID));
        assertEquals(1, records.size(), "recorded once");
        assertEquals(1, hv.domainStateCalls.size(), "asked once");
    }

    @Test
    void vmLeavesWithoutEvents_shutOffMigrated_isRecordedCompleted() {
        migratingThenGone();
        hv.states.put(UUID, new DomainState(DomainState.SHUTOFF, DomainState.SHUTOFF_MIGRATED)); // a persistent domain stays defined
        ticks(3);
        assertEquals(1, records.size());
        assertEquals(MigrationOutcome.COMPLETED, records.get(0).outcome());
        assertTrue(records.get(0).completed());
        assertEquals(null, records.get(0).error());
        ticks(1);
        assertTrue(governor.vms().isEmpty());
    }

    @Test
    void vmLeavesWithoutEvents_shutOffCrashed_isRecordedFailedWithTheReason() {
        migratingThenGone();
        hv.states.put(UUID, new DomainState(DomainState.SHUTOFF, DomainState.SHUTOFF_CRASHED));
        ticks(3);
        assertEquals(MigrationOutcome.FAILED, records.get(0).outcome());
        assertEquals("shut off on the source (crashed) during the migration", records.get(0).error());
    }

    @Test
    void vmStoppedWithoutAMigration_isNotRecorded() {
        second(5, 10, 0, 0);
        second(5, 10, 0, 0);
        hv.domains.clear();
        hv.listener.onLifecycle(UUID, Governor.EVENT_STOPPED, VanishEvidence.Stopped.SHUTDOWN);
        ticks(1);
        assertTrue(records.isEmpty());
        assertTrue(governor.vms().isEmpty());
        assertEquals(List.of(), hv.domainStateCalls);
    }

    @Test
    void duringMigration_theVmsStatesAreNotLearned() {
        second(5, 10, 0, 0);
        second(5, 10, 0, 0);
        long before = governor.vms().get(0).samples();
        pass(1, 0, 512 * MIB);
        second(100, 90, 0, 0);
        second(100, 90, 0, 0);
        assertEquals(before, governor.vms().get(0).samples());
    }

    @Test
    void persistModels_writesMetadataAndCheckpointAfterTheirIntervals() throws Exception {
        second(5, 10, 0, 0);
        second(5, 10, 0, 0);
        second(5, 10, 0, 0);
        governor.persistModels();
        assertTrue(hv.metadata.isEmpty(), "interval not elapsed yet");
        nanos.addAndGet(61 * SECOND);
        governor.persistModels();
        String json = ModelMetadata.fromElement(hv.metadata.get(UUID));
        assertEquals(2, new ObjectMapper().readTree(json).get("samples").asInt());
        assertTrue(checkpoints.containsKey(UUID));
        hv.calls.clear();
        nanos.addAndGet(61 * SECOND);
        governor.persistModels();
        assertTrue(hv.calls.isEmpty(), "nothing new learned, nothing written: " + hv.calls);
    }

    @Test
    void arrivingVm_adoptsTheModelFromItsMetadata() {
        MarkovModel travelled = new MarkovModel(81);
        for (int i = 0; i < 50; i++) {
            travelled.observe(72);
        }
        hv.metadata.put(UUID, ModelMetadata.toElement(ModelCodec.encode(travelled)));
        second(80, 60, 0, 0);
        VmView v = governor.vms().get(0);
        assertEquals("metadata", v.modelSource());
        assertEquals(50, v.samples());
        second(80, 60, 0, 0);
        assertEquals(51, governor.vms().get(0).samples());
        assertEquals(1.0, governor.profile(UUID).orElseThrow().transitionRow(72)[72], 1e-12, "the travelled counts are kept");
    }

    @Test
    void arrivingVm_modelHandedOverByTheHook_isAdoptedWhenItHasTheMostSamples() {
        MarkovModel handed = new MarkovModel(81);
        for (int i = 0; i < 30; i++) {
            handed.observe(9);
        }
        assertTrue(governor.offerModel(UUID, ModelCodec.encode(handed)));
        assertFalse(governor.offerModel(UUID, "{garbage"), "a bad model is refused");
        second(5, 30, 0, 0);
        VmView v = governor.vms().get(0);
        assertEquals("hook", v.modelSource());
        assertEquals(30, v.samples());
    }

    @Test
    void arrivingVm_pausedIncomingDomain_isAdoptedOnlyOnceItRuns() {
        MarkovModel travelled = new MarkovModel(81);
        for (int i = 0; i < 20; i++) {
            travelled.observe(72);
        }
        hv.metadata.put(UUID, ModelMetadata.toElement(ModelCodec.encode(travelled)));
        hv.put(new DomainStats(UUID, "vm1", false, 1, 0, 524288, 524288, -1, -1, -1, 300_000, 0, 0));
        nanos.addAndGet(SECOND);
        governor.tick();
        assertTrue(governor.vms().isEmpty(), "an incoming (paused) domain is left alone");
        second(80, 60, 0, 0);
        assertEquals("metadata", governor.vms().get(0).modelSource());
        assertEquals(20, governor.vms().get(0).samples());
    }

    @Test
    void restartedDaemon_sourcePausedInPostCopy_adoptedAndRecordedOnce_noActionCarriedOut() {
        // the daemon was restarted after the switch: the source is paused in post-copy, its job still runs
        hv.put(TestStats.paused(UUID, "vm1", 0, DomainStats.PAUSED_POSTCOPY));
        hv.jobs.put(UUID, TestStats.migrating(6, 0, 100 * MIB));
        nanos.addAndGet(SECOND);
        governor.tick();
        assertEquals(1, governor.vms().size(), "a source paused in post-copy is adopted");
        nanos.addAndGet(SECOND);
        governor.tick();
        hv.jobs.remove(UUID);
        hv.listener.onJobCompleted(UUID, TestStats.completed(800));

        assertEquals(1, records.size());
        MigrationRecord r = records.get(0);
        assertTrue(r.completed());
        assertEquals("none", r.action());
        assertTrue(r.postcopyConfirmed());
        assertTrue(r.reason().startsWith("post-copy already running when migov first saw this migration: observed only"), r.reason());
        assertTrue(hv.calls.stream().noneMatch(c -> c.startsWith("startPostCopy") || c.startsWith("setMaxDowntime") || c.startsWith("abortJob")),
                hv.calls.toString());
    }

    @Test
    void postCopyFailed_duringAWatchedMigration_recordedWithTheFailure_countedOnce_vmLeftAlone() {
        second(10, 70, 0, 0);
        second(10, 70, 0, 0);
        pass(1, 0, 512 * MIB); // memory-intensive: switched at once
        assertEquals(List.of("startPostCopy " + UUID), hv.calls);
        hv.listener.onLifecycle(UUID, Governor.EVENT_SUSPENDED, Governor.SUSPENDED_POSTCOPY);
        hv.listener.onLifecycle(UUID, Governor.EVENT_SUSPENDED, Governor.SUSPENDED_POSTCOPY_FAILED);
        hv.put(TestStats.paused(UUID, "vm1", cpuNanos, DomainStats.PAUSED_POSTCOPY_FAILED));
        nanos.addAndGet(SECOND);
        governor.tick(); // the statistics say it too: still one failure
        hv.jobs.remove(UUID); // libvirt ended the job as failed; the VM stays here, paused
        hv.listener.onJobCompleted(UUID, new JobStats(JobStats.Type.FAILED, Map.of(), Map.of()));
        for (int i = 0; i < 4; i++) {
            nanos.addAndGet(SECOND);
            governor.tick();
        }

        assertEquals(1, records.size(), records.toString());
        MigrationRecord r = records.get(0);
        assertFalse(r.completed());
        assertTrue(r.error().startsWith("post-copy failed: libvirt paused the domain"), r.error());
        assertEquals(1, governor.stats().postcopyFailures());
        assertEquals(List.of("vm1"), governor.vmsPausedPostCopyFailed());
        assertEquals(List.of("startPostCopy " + UUID), hv.calls, "nothing done to the paused VM");
    }

    @Test
    void postCopyFailed_thenQemuFinishesTheTransfer_recordedCompletedWithWhatHappened() {
        second(10, 70, 0, 0);
        second(10, 70, 0, 0);
        pass(1, 0, 512 * MIB);
        hv.listener.onLifecycle(UUID, Governor.EVENT_SUSPENDED, Governor.SUSPENDED_POSTCOPY_FAILED);
        hv.jobs.remove(UUID);
        hv.listener.onJobCompleted(UUID, TestStats.completed(20_000)); // the link came back: libvirt's job ended completed

        assertEquals(1, records.size());
        MigrationRecord r = records.get(0);
        assertTrue(r.completed());
        assertTrue(r.error().startsWith("post-copy failed in libvirt (the migration API returned an error), then QEMU finished"), r.error());
        assertEquals(1, governor.stats().postcopyFailures());
    }

    @Test
    void postCopyFailed_seenOnlyInTheStatistics_countedOnceWhileItStaysPaused() {
        second(10, 70, 0, 0);
        for (int i = 0; i < 3; i++) {
            hv.put(TestStats.paused(UUID, "vm1", cpuNanos, DomainStats.PAUSED_POSTCOPY_FAILED));
            nanos.addAndGet(SECOND);
            governor.tick();
        }
        assertEquals(1, governor.stats().postcopyFailures());
        second(10, 70, 0, 0); // running again: a later failure is a new one
        hv.put(TestStats.paused(UUID, "vm1", cpuNanos, DomainStats.PAUSED_POSTCOPY_FAILED));
        nanos.addAndGet(SECOND);
        governor.tick();
        assertEquals(2, governor.stats().postcopyFailures());
    }

    @Test
    void arrivingVm_corruptMetadata_startsFreshAndLeavesTheVmAlone() {
        hv.metadata.put(UUID, "<migov:model xmlns:migov=\"https://migov.io/xmlns/model/1\" version=\"1\">{not json</migov:model>");
        second(80, 60, 0, 0);
        VmView v = governor.vms().get(0);
        assertEquals("new", v.modelSource());
        assertEquals(0, v.samples());
        assertTrue(hv.calls.isEmpty());
    }

    @Test
    void restartedDaemon_prefersTheModelWithMoreSamples() {
        MarkovModel older = new MarkovModel(81);
        older.observe(0);
        older.observe(0);
        MarkovModel newer = new MarkovModel(81);
        for (int i = 0; i < 10; i++) {
            newer.observe(0);
        }
        hv.metadata.put(UUID, ModelMetadata.toElement(ModelCodec.encode(older)));
        checkpoints.put(UUID, ModelCodec.encode(newer));
        second(5, 10, 0, 0);
        assertEquals("checkpoint", governor.vms().get(0).modelSource());
        assertEquals(10, governor.vms().get(0).samples());
    }

    @Test
    void priorMismatch_isRejectedAtBuild() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Governor.builder().hypervisor(hv)
                .core(DecisionCore.defaults()).prior(PriorMatrix.uniform(4), 0).recordSink(r -> { }).modelStore(new ModelStore() {
                    @Override
                    public Optional<String> load(String uuid) {
                        return Optional.empty();
                    }

                    @Override
                    public void save(String uuid, String json) {
                    }
                })
                .executor(Runnable::run).build());
    }

    @Test
    void actionKinds_recordNamesMatchTheRecordContract() {
        assertEquals("none", ActionKind.NONE.recordName());
        assertEquals("switch_to_postcopy", ActionKind.SWITCH_TO_POSTCOPY.recordName());
        assertEquals("raise_downtime", ActionKind.RAISE_DOWNTIME.recordName());
        assertEquals("abort", ActionKind.ABORT.recordName());
    }

    // ------------------------------------------------------------------ the policy seam

    /** A poll of the running job between passes (the profiler tick reads it every second). */
    private void poll(int iteration, long elapsedMillis, long remaining) {
        java.util.Map<String, Long> f = new java.util.HashMap<>(TestStats.migrating(iteration, 60_000, remaining).fields());
        f.put("time_elapsed", elapsedMillis);
        hv.jobs.put(UUID, new io.migov.port.JobStats(io.migov.port.JobStats.Type.UNBOUNDED, f, java.util.Map.of()));
        second(90, 10, 0, 0);
    }

    /**
     * The migration starts: the job (still at pass 0 when read) and libvirt's MIGRATION_ITERATION
     * event for pass 1, which QEMU sends at its first dirty-bitmap sync, as the migration begins.
     */
    private void started(long elapsedMillis, long remaining) {
        java.util.Map<String, Long> f = new java.util.HashMap<>(TestStats.migrating(0, 60_000, remaining).fields());
        f.put("time_elapsed", elapsedMillis);
        hv.jobs.put(UUID, new io.migov.port.JobStats(io.migov.port.JobStats.Type.UNBOUNDED, f, java.util.Map.of()));
        hv.listener.onMigrationIteration(UUID, 1);
    }

    private MigrationRecord finishMigration() {
        hv.jobs.remove(UUID);
        hv.listener.onJobCompleted(UUID, TestStats.completed(0));
        assertEquals(1, records.size());
        return records.get(0);
    }

    /** A job reading with the counters the switch guard reads: at a pass boundary (an iteration event) or a tick. */
    private void guardedReading(int iteration, long elapsedMillis, long processedBytes, long remainingBytes, boolean boundary) {
        java.util.Map<String, Long> f = new java.util.HashMap<>(TestStats.migrating(iteration, 1000, remainingBytes).fields());
        f.put("time_elapsed", elapsedMillis);
        f.put("memory_processed", processedBytes);
        f.put("memory_total", 512 * MIB);
        hv.jobs.put(UUID, new io.migov.port.JobStats(io.migov.port.JobStats.Type.UNBOUNDED, f, java.util.Map.of()));
        if (boundary) {
            hv.listener.onMigrationIteration(UUID, iteration);
        } else {
            second(90, 10, 0, 0);
        }
    }

    /** A VM profiled for two seconds under the hybrid(3) policy: it will switch at pass 3. */
    private void profiledUnderHybrid3() {
        settings = settings.withPolicy("hybrid(3)", 40);
        second(90, 10, 0, 0);
        second(90, 10, 0, 0);
    }

    /** hybrid(3), passes 1–2 sending at 100 MiB/s, then nothing sent for 3.5 s when pass 3 decides the switch. */
    private void linkStallsBeforePass3() {
        profiledUnderHybrid3();
        guardedReading(1, 1000, 100 * MIB, 412 * MIB, true);
        guardedReading(1, 2000, 200 * MIB, 312 * MIB, false);
        guardedReading(2, 3000, 300 * MIB, 100 * MIB, true);
        guardedReading(2, 4000, 300 * MIB, 100 * MIB, false);
        guardedReading(2, 5000, 300 * MIB, 100 * MIB, false);
        guardedReading(3, 6500, 300 * MIB, 100 * MIB, true);
    }

    @Test
    void switch_linkSentNothingFor3Seconds_isHeldUntilBytesFlowAgain_thenGoesOnce() {
        linkStallsBeforePass3();
        assertTrue(hv.calls.isEmpty(), "held: " + hv.calls);
        assertEquals("link looks unhealthy: no byte sent for 3.5 s", governor.activeMigration(UUID).orElseThrow().switchHeldBy(),
                "the operator sees the hold");

        guardedReading(3, 7500, 300 * MIB, 100 * MIB, false);
        assertTrue(hv.calls.isEmpty(), "still nothing sent: " + hv.calls);
        guardedReading(3, 8500, 380 * MIB, 20 * MIB, false);
        assertEquals(List.of("startPostCopy " + UUID), hv.calls);
        assertEquals("", governor.activeMigration(UUID).orElseThrow().switchHeldBy());
        guardedReading(3, 9500, 390 * MIB, 10 * MIB, false);
        assertEquals(1, hv.calls.size(), "the released switch is carried out once: " + hv.calls);

        MigrationRecord r = finishMigration();
        assertEquals("switch_to_postcopy", r.action());
        assertEquals(3, r.actionIteration());
        assertEquals(1, r.actions().size());
        assertEquals(8500, r.actions().get(0).elapsedMillis());
        assertEquals(new MigrationRecord.SwitchGuard(2000, 1, "link looks unhealthy: no byte sent for 3.5 s", false), r.switchGuard());
    }

    @Test
    void switch_linkNeverRecovers_staysHeld_andTheRecordSaysWhy() {
        linkStallsBeforePass3();
        guardedReading(3, 7500, 300 * MIB, 100 * MIB, false);

        MigrationRecord r = finishMigration();
        assertTrue(hv.calls.isEmpty(), hv.calls.toString());
        assertEquals("none", r.action());
        assertEquals("switch_to_postcopy", r.advisedAction());
        assertTrue(r.reason().startsWith("switch to post-copy held by the guard until the migration ended: link looks unhealthy: no byte sent"),
                r.reason());
        assertEquals(1, r.switchGuard().holds());
        assertTrue(r.switchGuard().heldMs() >= 1000, r.switchGuard().toString());
        assertTrue(r.switchGuard().heldAtEnd());
    }

    @Test
    void switch_guardOff_goesOnADeadLink() {
        settings = settings.withGuard(settings.guard().withEnabled(false));
        linkStallsBeforePass3();

        assertEquals(List.of("startPostCopy " + UUID), hv.calls);
        assertEquals(null, finishMigration().switchGuard());
    }

    @Test
    void switch_healthyLink_isNotHeld_andTheRecordHasNoGuardEntry() {
        profiledUnderHybrid3();
        guardedReading(1, 1000, 100 * MIB, 412 * MIB, true);
        guardedReading(1, 2000, 200 * MIB, 312 * MIB, false);
        guardedReading(2, 3000, 300 * MIB, 100 * MIB, true);
        guardedReading(3, 4000, 400 * MIB, 100 * MIB, true);

        assertEquals(List.of("startPostCopy " + UUID), hv.calls);
        assertEquals(null, finishMigration().switchGuard());
    }

    @Test
    void policyHybrid3_switchesAtPass3_andTheRecordNamesThePolicy() {
        profiledUnderHybrid3();
        pass(1, 0, 512 * MIB);
        pass(2, 1000, 40 * MIB); // migov would leave this alone: it will complete
        assertTrue(hv.calls.isEmpty(), hv.calls.toString());
        pass(3, 1000, 20 * MIB);
        assertEquals(List.of("startPostCopy " + UUID), hv.calls);
        MigrationRecord r = finishMigration();
        assertEquals("hybrid(3)", r.policy());
        assertEquals("switch_to_postcopy", r.action());
        assertEquals(3, r.actionIteration());
        assertEquals(1, r.actions().size());
        assertEquals(3, r.actions().get(0).iteration());
    }

    @Test
    void policyAlwaysPostcopy_switchesWhenTheMigrationIsFirstSeen() {
        settings = settings.withPolicy("always-postcopy", 40);
        second(5, 10, 0, 0);
        second(5, 10, 0, 0);
        started(200, 512 * MIB);
        assertEquals(List.of("startPostCopy " + UUID), hv.calls);
        assertEquals(0, finishMigration().actionIteration());
    }

    @Test
    void policyPrecopy_neverConvergingWriter_isLeftAlone() {
        settings = settings.withPolicy("precopy", 40);
        second(90, 10, 0, 0);
        second(90, 10, 0, 0);
        for (int i = 1; i <= 10; i++) {
            pass(i, i == 1 ? 0 : 60_000, 250 * MIB);
        }
        assertTrue(hv.calls.isEmpty(), hv.calls.toString());
        MigrationRecord r = finishMigration();
        assertEquals("precopy", r.policy());
        assertEquals("none", r.action());
        assertEquals(List.of(), r.actions());
    }

    @Test
    void policyNova_setsItsFirstDowntimeStepAtStart_andEveryActionIsRecorded() {
        settings = settings.withPolicy("nova", 40);
        second(5, 10, 0, 0);
        second(5, 10, 0, 0);
        started(100, 512 * MIB);
        assertEquals(1, hv.calls.size(), hv.calls.toString());
        assertTrue(hv.calls.get(0).startsWith("setMaxDowntime " + UUID + " "), hv.calls.toString());
        MigrationRecord r = finishMigration();
        assertEquals("nova", r.policy());
        assertEquals("raise_downtime", r.action());
        assertEquals(1, r.actions().size());
        assertTrue(r.actions().get(0).downtimeMillis() > 0);
        assertEquals(r.actions().get(0).downtimeMillis(), r.downtimeLimitMs());
    }

    @Test
    void policyChange_appliesToMigrationsThatStartAfterIt() {
        second(90, 10, 0, 0);
        second(90, 10, 0, 0);
        pass(1, 0, 512 * MIB);
        settings = settings.withPolicy("always-postcopy", 40); // this migration keeps migov
        pass(2, 10_000, 250 * MIB);
        assertTrue(hv.calls.isEmpty(), hv.calls.toString());
        assertEquals("migov", governor.activeMigrations().get(0).policy());
    }

    @Test
    void pollsBetweenPasses_reachThePolicy_novasSecondStepComesFromAPoll() {
        settings = settings.withPolicy("nova", 40);
        second(5, 10, 0, 0);
        second(5, 10, 0, 0);
        started(100, 512 * MIB);
        poll(1, 1_000, 500 * MIB);
        // nova's second step (95 ms) is due after 150 s (75 s/GiB × its minimum 2 GiB); only polls see time pass
        poll(1, 150_500, 250 * MIB);
        assertEquals(List.of("setMaxDowntime " + UUID + " 50", "setMaxDowntime " + UUID + " 95"), hv.calls);
    }

    @Test
    void pollsBetweenPasses_reachThePolicy_butAreNotRecordedAsPasses() {
        settings = settings.withPolicy("hybrid(3)", 40);
        second(90, 10, 0, 0);
        second(90, 10, 0, 0);
        pass(1, 0, 512 * MIB);
        poll(1, 3000, 300 * MIB);
        poll(1, 4000, 200 * MIB);
        pass(2, 24_000, 250 * MIB);
        MigrationRecord r = finishMigration();
        assertEquals(List.of(1, 2), r.passes().stream().map(MigrationRecord.Pass::iteration).toList());
    }

    // ------------------------------------------------------------------ cost grows with what changes

    private static String uuid(int i) {
        return String.format("6c653893-0e90-474e-a49a-%012d", i);
    }

    @Test
    void tick_manyIdleVms_readsNoJobStatsAfterTheOneReadAtAdoption() {
        for (int i = 1; i <= 60; i++) {
            hv.put(TestStats.running(uuid(i), "idle-" + i, 0, 10, 0, 0));
        }
        for (int t = 0; t < 10; t++) {
            nanos.addAndGet(SECOND);
            governor.tick();
        }
        assertEquals(60, governor.vms().size());
        assertEquals(10, hv.statsCalls.get(), "one bulk call per tick");
        assertEquals(60, hv.jobStatsCallCount(), "one job read per VM, when it was adopted: " + hv.jobStatsCalls);
        assertTrue(hv.jobStatsCalls.values().stream().allMatch(c -> c.get() == 1), hv.jobStatsCalls.toString());
    }

    @Test
    void tick_manyNewVms_areAdoptedAndProbedAFewPerTick() {
        for (int i = 1; i <= Governor.ADOPTIONS_PER_TICK + 10; i++) {
            hv.put(TestStats.running(uuid(i), "new-" + i, 0, 10, 0, 0));
        }
        nanos.addAndGet(SECOND);
        governor.tick();
        assertEquals(Governor.ADOPTIONS_PER_TICK, governor.vms().size());
        assertEquals(Governor.PROBES_PER_TICK, hv.jobStatsCallCount());
        nanos.addAndGet(SECOND);
        governor.tick();
        assertEquals(Governor.ADOPTIONS_PER_TICK + 10, governor.vms().size());
    }

    @Test
    void migration_readsItsJobEveryTickOnlyWhileItRuns() {
        second(5, 10, 0, 0);
        second(5, 10, 0, 0);
        int adoption = hv.jobStatsCallCount();
        pass(1, 0, 512 * MIB);
        second(5, 10, 0, 0);
        second(5, 10, 0, 0);
        assertEquals(adoption + 3, hv.jobStatsCallCount(), "the pass event, then one poll per tick");
        finishMigration();
        second(5, 10, 0, 0);
        second(5, 10, 0, 0);
        assertEquals(adoption + 3, hv.jobStatsCallCount(), "no job reads once it ended");
    }

    @Test
    void migrationRunningWhenTheVmIsFirstSeen_isFoundByTheReadAtAdoption() {
        hv.jobs.put(UUID, TestStats.migrating(2, 10_000, 300 * MIB));
        second(5, 10, 0, 0);
        assertEquals(1, governor.activeMigrations().size());
        assertEquals(2, governor.activeMigrations().get(0).iteration());
    }

    @Test
    void missedPassEvents_pausedForStopAndCopy_theMigrationIsStillRecorded() {
        second(5, 10, 0, 0);
        second(5, 10, 0, 0);
        hv.jobs.put(UUID, TestStats.migrating(3, 100, 4 * MIB)); // its pass events were lost
        hv.listener.onLifecycle(UUID, Governor.EVENT_SUSPENDED, Governor.SUSPENDED_MIGRATED);
        assertEquals(1, governor.activeMigrations().size());
        MigrationRecord r = finishMigration();
        assertTrue(r.completed());
        assertEquals(List.of(3), r.passes().stream().map(MigrationRecord.Pass::iteration).toList());
    }

    @Test
    void missedPassEvents_vmSeenPausedByTheBulkStats_isProbedOnce() {
        second(5, 10, 0, 0);
        second(5, 10, 0, 0);
        int before = hv.jobStatsCallCount();
        hv.jobs.put(UUID, TestStats.migrating(3, 100, 4 * MIB));
        DomainStats d = hv.domains.get(UUID);
        hv.put(new DomainStats(d.uuid(), d.name(), false, d.vcpus(), d.cpuTimeNanos(), d.currentMemoryKiB(), d.maximumMemoryKiB(),
                d.availableKiB(), d.usableKiB(), d.unusedKiB(), d.rssKiB(), d.netRxBytes(), d.netTxBytes()));
        nanos.addAndGet(SECOND);
        governor.tick();
        assertEquals(before + 1, hv.jobStatsCallCount());
        assertEquals(1, governor.activeMigrations().size());
    }

    @Test
    void userPausedVm_isProbedOnceNotEveryTick() {
        second(5, 10, 0, 0);
        DomainStats d = hv.domains.get(UUID);
        hv.put(new DomainStats(d.uuid(), d.name(), false, d.vcpus(), d.cpuTimeNanos(), d.currentMemoryKiB(), d.maximumMemoryKiB(),
                d.availableKiB(), d.usableKiB(), d.unusedKiB(), d.rssKiB(), d.netRxBytes(), d.netTxBytes()));
        int before = hv.jobStatsCallCount();
        for (int t = 0; t < 5; t++) {
            nanos.addAndGet(SECOND);
            governor.tick();
        }
        assertEquals(before + 1, hv.jobStatsCallCount());
    }

    @Test
    void connectionRestored_everyVmsJobIsReadOnceAgain() {
        for (int i = 1; i <= 3; i++) {
            hv.put(TestStats.running(uuid(i), "vm-" + i, 0, 10, 0, 0));
        }
        nanos.addAndGet(SECOND);
        governor.tick();
        hv.listener.onConnectionLost("test");
        hv.jobs.put(uuid(2), TestStats.migrating(4, 10_000, 100 * MIB)); // began while we were away
        hv.listener.onConnectionRestored();
        nanos.addAndGet(SECOND);
        governor.tick();
        assertEquals(6, hv.jobStatsCallCount());
        assertEquals(List.of("vm-2"), governor.activeMigrations().stream().map(MigrationView::vm).toList());
    }

    @Test
    void membershipVersion_changesOnlyWhenVmsArriveLeaveOrAreRenamed() {
        second(5, 10, 0, 0);
        long v = governor.membershipVersion();
        second(5, 10, 0, 0);
        assertEquals(v, governor.membershipVersion());
        hv.put(TestStats.running(UUID, "renamed", cpuNanos, 10, rx, tx));
        nanos.addAndGet(SECOND);
        governor.tick();
        assertTrue(governor.membershipVersion() != v);
        assertEquals(Map.of(UUID, "renamed"), governor.vmNames());
    }
}
