// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

import io.migov.core.DecisionCore;
import io.migov.port.DomainState;
import io.migov.port.DomainStats;
import io.migov.port.HypervisorException;
import io.migov.port.HypervisorListener;
import io.migov.port.JobStats;
import io.migov.port.PeerHosts;
import io.migov.testing.FakeHypervisor;
import io.migov.testing.TestStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A daemon killed at any moment of a migration and started again: the migration is taken up from
 * its in-flight journal, no action is carried out twice, and exactly one record is written. The
 * governor is "killed" by dropping it (its journal survives, as the file's lines survive a SIGKILL)
 * and detaching it from libvirt's events; the next one is built on the same journal and host.
 */
class ReadoptionTest {

    private static final String UUID = "6c653893-0e90-474e-a49a-0bf763b94100";
    private static final long MIB = 1024 * 1024;
    private static final long SECOND = 1_000_000_000L;
    private static final long EPOCH_MILLIS = Instant.parse("2026-12-04T00:00:00Z").toEpochMilli();
    private static final HypervisorListener DEAD = new HypervisorListener() {
    };

    private final FakeHypervisor hv = new FakeHypervisor();
    private final AtomicLong nanos = new AtomicLong(1_000 * SECOND);
    private final List<MigrationRecord> records = new ArrayList<>();
    private final Map<String, String> checkpoints = new HashMap<>();
    private final MemoryJournal journal = new MemoryJournal();
    private GovernorSettings settings = GovernorSettings.DEFAULTS;
    private Governor governor;
    /** False: the migration was started without post-copy, and libvirt refuses every switch. */
    private boolean postCopyPermitted = true;
    /** The other host, as config peers would ask it: where the VM runs once it left. */
    private final Map<String, DomainState> onPeer = new HashMap<>();
    private PeerHosts peers = PeerHosts.NONE;

    /** Wall time moves with the ticker, as on a host: libvirt's time_elapsed and the clock agree. */
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public long millis() {
            return EPOCH_MILLIS + nanos.get() / 1_000_000;
        }
    };

    private Governor start() {
        journal.revive();
        governor = Governor.builder().hypervisor(hv).core(DecisionCore.defaults())
                .settings(() -> settings)
                .clock(clock)
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
                .journal(journal)
                .recordWritten(id -> records.stream().anyMatch(r -> id.equals(r.migrationId())))
                .peers(peers)
                .build();
        return governor;
    }

    /** Host B as config peers would ask it: the VM is wherever {@link #onPeer} says. */
    private PeerHosts peerB() {
        return uuid -> Optional.ofNullable(onPeer.get(uuid)).map(st -> new PeerHosts.Sighting("qemu+tcp://b/system", st));
    }

    /** A governor started beside a VM it has profiled for 3 s. */
    private World profiledVm() {
        start();
        World w = new World();
        w.profile();
        return w;
    }

    /** {@link #profiledVm}, migrating for {@code seconds}. */
    private World migratingFor(int seconds) {
        World w = profiledVm();
        w.beginMigration();
        for (int i = 0; i < seconds; i++) {
            w.advance();
        }
        return w;
    }

    /**
     * What every killed-and-restarted run ends with: one completed record, each libvirt call in it
     * once, no journal left behind. Returns the record.
     */
    private MigrationRecord assertOneCompletedRecord_eachCallRecordedOnce(String at) {
        assertEquals(1, records.size(), at + "records " + records);
        MigrationRecord r = records.get(0);
        assertTrue(r.completed(), at + r);
        List<String> calls = actionCalls();
        assertEquals(new HashSet<>(calls).size(), calls.size(), at + "an action carried out twice: " + calls);
        assertEquals(calls.size(), r.actions().size(), at + "every call recorded once: " + calls + " vs " + r.actions());
        assertTrue(journal.lines.isEmpty(), at + "journal left behind");
        return r;
    }

    private void kill() {
        governor = null;
        hv.listener = DEAD; // a dead process hears no events
    }

    /**
     * The host and its migration, second by second: a CPU-busy writer (hybrid for migov) whose
     * pre-copy does not converge (a pass every 2 s, 200 MiB left each time). libvirt reacts to what
     * was called on it: a post-copy switch pauses the source and finishes 3 s later; a raised downtime
     * finishes it 2 s later; else pre-copy ends by itself at 30 s.
     */
    private final class World {
        long cpuNanos;
        long jobStartMillis = -1;
        int second = -1;
        int iteration;
        int switchedAt = -1;
        int raisedAt = -1;
        boolean done;

        void profile() {
            for (int i = 0; i < 3; i++) {
                advance();
            }
        }

        void beginMigration() {
            jobStartMillis = clock.millis();
            second = 0;
        }

        /** One second of the host; the governor, if alive, ticks (a kill at a journal line drops it there). */
        void advance() {
            try {
                second();
            } catch (MemoryJournal.Killed e) {
                kill();
            }
        }

        private void second() {
            nanos.addAndGet(SECOND);
            if (!postCopyPermitted) {
                hv.startPostCopyFailures.clear();
                for (int i = 0; i < 60; i++) {
                    hv.startPostCopyFailures.add(new HypervisorException(HypervisorException.Kind.POSTCOPY_NOT_PERMITTED,
                            "virDomainMigrateStartPostCopy", "switching to post-copy requires migration to be started with "
                            + "VIR_MIGRATE_POSTCOPY flag"));
                }
            }
            cpuNanos += 9 * SECOND / 10;
            if (second >= 0 && !done) {
                second++;
                long starts = postCopyPermitted ? hv.calls.stream().filter(c -> c.startsWith("startPostCopy")).count() : 0;
                if (starts > 0 && switchedAt < 0) {
                    switchedAt = second;
                }
                if (hv.calls.stream().anyMatch(c -> c.startsWith("setMaxDowntime")) && raisedAt < 0 && !policyIsNova()) {
                    raisedAt = second;
                }
                done = switchedAt >= 0 && second >= switchedAt + 3 || raisedAt >= 0 && second >= raisedAt + 2 || second >= 30;
                if (done) {
                    hv.jobs.remove(UUID);
                    hv.domains.remove(UUID); // the VM left: it runs on the destination
                    hv.states.put(UUID, new DomainState(DomainState.SHUTOFF, DomainState.SHUTOFF_MIGRATED));
                    hv.listener.onLifecycle(UUID, Governor.EVENT_STOPPED, 3 /* migrated */);
                    hv.listener.onJobCompleted(UUID, TestStats.completed(switchedAt >= 0 ? 40 : 0));
                } else {
                    int it = switchedAt >= 0 ? iteration : 1 + second / 2;
                    Map<String, Long> f = new HashMap<>(TestStats.migrating(it, it == 1 ? 0 : 60_000, it == 1 ? 512 * MIB : 200 * MIB).fields());
                    f.put("time_elapsed", clock.millis() - jobStartMillis);
                    if (switchedAt >= 0) {
                        f.put("memory_postcopy_requests", 10L * (second - switchedAt + 1));
                    }
                    hv.jobs.put(UUID, new JobStats(JobStats.Type.UNBOUNDED, f, Map.of()));
                    hv.put(switchedAt >= 0 ? TestStats.paused(UUID, "vm1", cpuNanos, DomainStats.PAUSED_POSTCOPY)
                            : TestStats.running(UUID, "vm1", cpuNanos, 10, 0, 0));
                    if (it != iteration) {
                        iteration = it;
                        hv.listener.onMigrationIteration(UUID, it);
                    }
                }
            } else if (!done) {
                hv.put(TestStats.running(UUID, "vm1", cpuNanos, 10, 0, 0));
            }
            if (governor != null) {
                governor.tick();
            }
        }

        void runToTheEnd() {
            for (int i = 0; i < 40 && (!done || i < 4); i++) {
                advance(); // and a few seconds more: graces for events that never come
            }
        }
    }

    private boolean policyIsNova() {
        return settings.policy().startsWith("nova");
    }

    /** The libvirt calls that act on the migration (a switch, a downtime limit, an abort), in order. */
    private List<String> actionCalls() {
        return hv.calls.stream().filter(c -> !c.startsWith("setMetadata") && (postCopyPermitted || !c.startsWith("startPostCopy"))).toList();
    }

    private long refusedSwitches() {
        return postCopyPermitted ? 0 : hv.calls.stream().filter(c -> c.startsWith("startPostCopy")).count();
    }

    /** "migov" or "migov/no-postcopy": the policy, and whether the migration permits post-copy. */
    private void configure(String variant) {
        String[] parts = variant.split("/");
        settings = settings.withPolicy(parts[0], 6);
        postCopyPermitted = parts.length == 1;
    }

    /** An uninterrupted run of the same migration: what a restart must not change. */
    private static Run uninterrupted(String policy) {
        ReadoptionTest t = new ReadoptionTest();
        t.configure(policy);
        World w = t.profiledVm();
        w.beginMigration();
        w.runToTheEnd();
        assertEquals(1, t.records.size(), policy + ": uninterrupted run's records");
        return new Run(t.actionCalls(), t.records.get(0), t.refusedSwitches(), t.journal.attempted);
    }

    private record Run(List<String> calls, MigrationRecord record, long refusedSwitches, int journalLines) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"migov", "hybrid(4)", "always-postcopy", "nova", "kubevirt-stall", "precopy",
            "migov/no-postcopy", "hybrid(4)/no-postcopy", "always-postcopy/no-postcopy"})
    void killedBeforeOrAfterAnyJournalLine_oneRecord_noActionTwice_noActionLost(String policy) {
        Run reference = uninterrupted(policy);
        assertTrue(reference.journalLines() > 3, policy + ": " + reference.journalLines() + " lines");
        for (int line = 1; line <= reference.journalLines(); line++) {
            for (boolean before : new boolean[] {true, false}) {
                ReadoptionTest t = new ReadoptionTest();
                t.configure(policy);
                World w = t.profiledVm();
                t.journal.dieAt(line, before);
                w.beginMigration();
                boolean restarted = false;
                int after = 0;
                for (int i = 0; i < 45 && after < 4; i++) {
                    w.advance();
                    if (t.governor == null && !restarted) {
                        t.start(); // the next second: nothing happened unwatched but the rest of this one
                        restarted = true;
                    } else if (w.done) {
                        after++;
                    }
                }

                String at = policy + ", killed " + (before ? "before" : "after") + " journal line " + line + ": ";
                assertTrue(restarted, at + "the kill came");
                t.assertOneCompletedRecord_eachCallRecordedOnce(at);
                assertEquals(reference.calls(), t.actionCalls(), at + "the same actions as uninterrupted, none twice, none lost");
                assertTrue(t.refusedSwitches() <= reference.refusedSwitches() + 1,
                        at + "a refused switch is tried again at most once (killed between its intent and the refusal)");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"migov", "hybrid(4)", "always-postcopy", "nova", "kubevirt-stall", "precopy",
            "migov/no-postcopy", "hybrid(4)/no-postcopy", "always-postcopy/no-postcopy"})
    void killedAtAnySecond_restartedAfterAnyGap_oneRecord_noActionTwice_sameActionsAsUninterrupted(String policy) {
        Run reference = uninterrupted(policy);
        for (int killAt = 0; killAt <= 32; killAt++) {
            for (int gap = 0; gap <= 3; gap++) {
                ReadoptionTest t = new ReadoptionTest();
                t.configure(policy);
                World w = t.profiledVm();
                w.beginMigration();
                for (int i = 0; i < killAt && !w.done; i++) {
                    w.advance();
                }
                boolean seenBeforeKill = !t.governor.activeMigrations().isEmpty();
                boolean recordedBeforeKill = !t.records.isEmpty();
                t.kill();
                for (int i = 0; i < gap; i++) {
                    w.advance(); // libvirt goes on while no daemon watches
                }
                t.start();
                w.runToTheEnd();

                String at = policy + ", killed at second " + killAt + ", restarted " + gap + " s later: ";
                MigrationRecord r = t.assertOneCompletedRecord_eachCallRecordedOnce(at);
                assertEquals(seenBeforeKill && !recordedBeforeKill, r.readopted(), at + "readopted");
                List<String> calls = t.actionCalls();
                if (gap == 0 && seenBeforeKill) {
                    // nothing happened unwatched: the restart changes nothing the record says or libvirt saw
                    assertEquals(reference.calls(), calls, at + "calls");
                    assertEquals(reference.refusedSwitches(), t.refusedSwitches(), at + "switches tried and refused");
                    assertEquals(reference.record().actions().stream().map(a -> a.action() + "@" + a.iteration()).toList(),
                            r.actions().stream().map(a -> a.action() + "@" + a.iteration()).toList(), at + "actions");
                    assertEquals(reference.record().passes().stream().map(MigrationRecord.Pass::iteration).toList(),
                            r.passes().stream().map(MigrationRecord.Pass::iteration).toList(), at + "passes");
                    assertEquals(0, r.passesMissed(), at + "passes missed");
                }
                List<Integer> passes = r.passes().stream().map(MigrationRecord.Pass::iteration).toList();
                if (!passes.isEmpty()) {
                    assertEquals(passes.get(passes.size() - 1) - passes.size(), r.passesMissed(), at + "passes missed, with " + passes);
                }
            }
        }
    }

    @Test
    void readopt_switchIntentWithoutOutcome_postCopyInEffect_notCalledAgain_recordedOnce() {
        settings = settings.withPolicy("hybrid(3)", 6);
        World w = profiledVm();
        w.beginMigration();
        // the daemon dies just after journalling the switch and making the call: the outcome never lands
        journal.dieAfter = e -> e instanceof JournalEntry.Intent;
        for (int i = 0; i < 8 && hv.calls.isEmpty(); i++) {
            w.advance();
        }
        assertEquals(List.of("startPostCopy " + UUID), hv.calls);
        kill();
        w.advance(); // libvirt switched: the source pauses in post-copy
        start();
        w.runToTheEnd();

        assertEquals(List.of("startPostCopy " + UUID), hv.calls, "the switch in effect is not made again");
        assertEquals(1, records.size());
        MigrationRecord r = records.get(0);
        assertTrue(r.readopted());
        assertEquals("switch_to_postcopy", r.action());
        assertEquals(3, r.actionIteration());
        assertEquals(1, r.actions().size());
        assertTrue(r.postcopyConfirmed());
    }

    @Test
    void readopt_switchIntentWithoutOutcome_noSignOfPostCopy_carriedOutOnceNow() {
        settings = settings.withPolicy("hybrid(3)", 6);
        World w = profiledVm();
        w.beginMigration();
        // the daemon dies after journalling the switch, before the call reached libvirt (the call fails here)
        journal.dieAfter = e -> e instanceof JournalEntry.Intent;
        hv.startPostCopyFailures.add(new HypervisorException(HypervisorException.Kind.CONNECTION, "virDomainMigrateStartPostCopy",
                "killed before the call went out"));
        for (int i = 0; i < 8 && hv.calls.isEmpty(); i++) {
            w.advance();
        }
        hv.calls.clear(); // that call never reached libvirt
        kill();
        start();
        w.runToTheEnd();

        assertEquals(List.of("startPostCopy " + UUID), hv.calls, "carried out once, by the restarted daemon");
        assertEquals(1, records.size());
        MigrationRecord r = records.get(0);
        assertTrue(r.readopted());
        assertEquals(List.of("switch_to_postcopy@3"), r.actions().stream().map(a -> a.action() + "@" + a.iteration()).toList());
        assertNull(r.error(), r.error());
    }

    @Test
    void readopt_downtimeIntentWithoutOutcome_limitAlreadySet_notCalledAgain() {
        settings = settings.withPolicy("nova", 6);
        World w = profiledVm();
        journal.dieAfter = e -> e instanceof JournalEntry.Intent;
        w.beginMigration();
        w.advance();
        assertEquals(List.of("setMaxDowntime " + UUID + " 50"), hv.calls);
        kill();
        start();
        w.runToTheEnd();

        assertEquals(List.of("setMaxDowntime " + UUID + " 50"), hv.calls, "libvirt's limit is the intent's: not set again");
        MigrationRecord r = records.get(0);
        assertTrue(r.readopted());
        assertEquals(1, r.actions().size());
        assertEquals(50, r.downtimeLimitMs());
    }

    @Test
    void restart_recordWrittenButJournalLeft_noSecondRecord() {
        World w = profiledVm();
        w.beginMigration();
        // the daemon dies after the record landed and before its journal was removed
        journal.dieAfter = e -> e instanceof JournalEntry.Finishing;
        w.runToTheEnd();
        assertEquals(1, records.size());
        assertEquals(1, journal.lines.size(), "the journal outlived the kill");
        kill();
        start();
        w.advance();

        assertEquals(1, records.size(), "written once");
        assertTrue(journal.lines.isEmpty(), "settled at the start");
    }

    @Test
    void restart_recordJournalledButNotWritten_writtenOnceVerbatim() {
        World w = profiledVm();
        w.beginMigration();
        journal.dieAfter = e -> e instanceof JournalEntry.Finishing;
        w.runToTheEnd();
        MigrationRecord journalled = records.remove(0); // as if the kill came before the record's write
        kill();
        start();

        assertEquals(List.of(journalled), records);
        assertNotNull(journalled.migrationId());
        assertTrue(journal.lines.isEmpty());
    }

    @Test
    void restart_migrationEndedWhileNoDaemonWatched_vmGoneShutOffMigrated_recordedCompletedFromEvidence() {
        settings = settings.withPolicy("precopy", 6);
        endWhileNoDaemonWatches(migratingFor(5), true);

        assertEquals(1, records.size());
        MigrationRecord r = records.get(0);
        assertTrue(r.readopted());
        assertTrue(r.completed(), r.toString());
        assertEquals(List.of(1, 2, 3), r.passes().stream().map(MigrationRecord.Pass::iteration).toList(), "the passes seen before the kill");
        assertEquals(List.of("domainState " + UUID), hv.domainStateCalls);
        assertTrue(governor.vms().isEmpty(), "the VM is not kept");
    }

    /**
     * The daemon dies mid-migration, the migration ends while none runs, and a new one starts. Without
     * a trace here the domain was transient (or undefined on success): the source keeps nothing.
     */
    private void endWhileNoDaemonWatches(World w, boolean traceHere) {
        kill();
        while (!w.done) {
            w.advance();
        }
        if (!traceHere) {
            hv.states.remove(UUID);
        }
        restartAndWatch(w, 4);
    }

    private void restartAndWatch(World w, int seconds) {
        start();
        for (int i = 0; i < seconds; i++) {
            w.advance();
        }
    }

    @Test
    void restart_migrationEndedWhileNoDaemonWatched_noTraceHere_runningOnAPeer_recordedCompleted() {
        settings = settings.withPolicy("precopy", 6);
        peers = peerB();
        onPeer.put(UUID, new DomainState(DomainState.RUNNING, 2));
        endWhileNoDaemonWatches(migratingFor(5), false);

        assertEquals(1, records.size());
        MigrationRecord r = records.get(0);
        assertTrue(r.readopted());
        assertTrue(r.completed(), r.toString());
        assertNull(r.error(), r.toString());
    }

    @Test
    void restart_migrationEndedWhileNoDaemonWatched_noTraceHere_noPeerHasIt_recordedUnknownNotCompleted() {
        settings = settings.withPolicy("precopy", 6);
        peers = peerB();
        endWhileNoDaemonWatches(migratingFor(5), false);

        assertEquals(1, records.size());
        MigrationRecord r = records.get(0);
        assertFalse(r.completed(), r.toString());
        assertEquals(MigrationOutcome.UNKNOWN, r.outcome());
        assertEquals("left this host without evidence that the destination has it", r.error());
    }

    @Test
    void restart_migrationFailedWhileNoDaemonWatched_vmStillHere_recordedFailedSayingSo() {
        settings = settings.withPolicy("precopy", 6);
        World w = migratingFor(5);
        kill();
        hv.jobs.remove(UUID); // cancelled while no daemon watched; the guest runs on here
        w.done = true;
        w.advance();
        restartAndWatch(w, 4);

        assertEquals(1, records.size());
        MigrationRecord r = records.get(0);
        assertTrue(r.readopted());
        assertFalse(r.completed());
        assertEquals(MigrationOutcome.FAILED, r.outcome());
        assertTrue(r.error().contains("ended while no migov daemon was watching"), r.error());
    }

    @Test
    void restart_aLaterMigrationOfTheVmRuns_theJournalledOneIsRecordedEndedAndTheNewOneSteeredAfresh() {
        settings = settings.withPolicy("precopy", 6);
        World w = migratingFor(5);
        kill();
        for (int i = 0; i < 10; i++) {
            w.advance();
        }
        w.beginMigration(); // cancelled meanwhile, and started again: a new job
        w.second = 0;
        w.iteration = 0;
        start();
        w.runToTheEnd();

        assertEquals(2, records.size(), records.toString());
        assertTrue(records.get(0).readopted());
        assertFalse(records.get(0).completed());
        assertFalse(records.get(1).readopted());
        assertTrue(records.get(1).completed());
        assertFalse(records.get(0).migrationId().equals(records.get(1).migrationId()));
    }

    @Test
    void journal_eachLineRoundTrips_throughTheCodec() {
        settings = settings.withPolicy("precopy", 6); // still migrating after 6 s: its journal is there to read
        World w = profiledVm();
        w.beginMigration();
        for (int i = 0; i < 6; i++) {
            w.advance();
        }
        List<String> lines = journal.lines.get(UUID);
        assertTrue(lines.size() > 3, lines.toString());
        for (String line : lines) {
            assertEquals(line, JournalCodec.encode(JournalCodec.decode(line)));
        }
        assertTrue(lines.get(0).startsWith("{\"k\":\"header\",\"version\":1,\"migration_id\":\""), lines.get(0));
        Set<Class<?>> kinds = new HashSet<>();
        journal.loadAll().get(UUID).forEach(e -> kinds.add(e.getClass()));
        assertTrue(kinds.contains(JournalEntry.Observed.class), kinds.toString());
    }
}
