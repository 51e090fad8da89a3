// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

import io.migov.daemon.JsonLinesRecordSink;
import io.migov.port.DomainState;
import io.migov.port.JobStats;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MigrationOutcomeTest {

    @Test
    void of_jobEnd_isNamedFromTheSourcesView() {
        assertEquals(MigrationOutcome.COMPLETED, MigrationOutcome.of(JobStats.Type.COMPLETED, false));
        assertEquals(MigrationOutcome.FAILED, MigrationOutcome.of(JobStats.Type.NONE, false), "gone without a word from libvirt");
        assertEquals(MigrationOutcome.FAILED, MigrationOutcome.of(JobStats.Type.FAILED, false));
        assertEquals(MigrationOutcome.CANCELLED, MigrationOutcome.of(JobStats.Type.CANCELLED, false));
        for (JobStats.Type end : new JobStats.Type[] {JobStats.Type.NONE, JobStats.Type.FAILED, JobStats.Type.CANCELLED}) {
            assertEquals(MigrationOutcome.ABORTED, MigrationOutcome.of(end, true), "migov's own abort, whatever libvirt says: " + end);
        }
    }

    private static MigrationOutcome.Judged vanished(VanishEvidence evidence) {
        return MigrationOutcome.ofVanished(evidence, false);
    }

    @Test
    void ofVanished_noTraceHere_runningOnAPeer_isCompleted_pausedThereIsUnknownNamingThePeer() {
        assertEquals(new MigrationOutcome.Judged(MigrationOutcome.COMPLETED, null),
                vanished(new VanishEvidence.OnPeer("qemu+tcp://b/system", new DomainState(DomainState.RUNNING, 2))));
        assertEquals(new MigrationOutcome.Judged(MigrationOutcome.UNKNOWN,
                        "left this host without evidence that the destination has it (qemu+tcp://b/system: paused there)"),
                vanished(new VanishEvidence.OnPeer("qemu+tcp://b/system", new DomainState(DomainState.PAUSED, 13))),
                "paused on the destination (post-copy failed there, or never resumed): not arrived yet");
        assertEquals(MigrationOutcome.UNKNOWN,
                vanished(new VanishEvidence.OnPeer("qemu+tcp://b/system", new DomainState(DomainState.SHUTOFF, 2))).outcome());
    }

    @Test
    void ofVanished_jobCompletedEvent_isCompletedWithoutExplanation() {
        assertEquals(new MigrationOutcome.Judged(MigrationOutcome.COMPLETED, null), vanished(new VanishEvidence.JobCompleted()));
    }

    @Test
    void ofVanished_stoppedMigrated_isCompleted() {
        assertEquals(new MigrationOutcome.Judged(MigrationOutcome.COMPLETED, null),
                vanished(new VanishEvidence.Stopped(VanishEvidence.Stopped.MIGRATED)));
    }

    @Test
    void ofVanished_stoppedForAnyOtherReason_isFailedNamingTheReason() {
        assertEquals(new MigrationOutcome.Judged(MigrationOutcome.FAILED, "stopped on the source (destroyed) during the migration"),
                vanished(new VanishEvidence.Stopped(VanishEvidence.Stopped.DESTROYED)));
        assertEquals("stopped on the source (crashed) during the migration",
                vanished(new VanishEvidence.Stopped(VanishEvidence.Stopped.CRASHED)).why());
        assertEquals("stopped on the source (shut down) during the migration",
                vanished(new VanishEvidence.Stopped(VanishEvidence.Stopped.SHUTDOWN)).why());
        assertEquals("stopped on the source (failed) during the migration",
                vanished(new VanishEvidence.Stopped(VanishEvidence.Stopped.FAILED)).why());
        assertEquals(new MigrationOutcome.Judged(MigrationOutcome.FAILED, "stopped on the source (detail 42) during the migration"),
                vanished(new VanishEvidence.Stopped(42)), "a detail newer than migov: named by its number, still not completed");
    }

    @Test
    void ofVanished_stoppedAfterMigovsAbort_isAborted_butAMigratedStopIsStillCompleted() {
        assertEquals(MigrationOutcome.ABORTED,
                MigrationOutcome.ofVanished(new VanishEvidence.Stopped(VanishEvidence.Stopped.DESTROYED), true).outcome());
        assertEquals(MigrationOutcome.COMPLETED,
                MigrationOutcome.ofVanished(new VanishEvidence.Stopped(VanishEvidence.Stopped.MIGRATED), true).outcome(),
                "the abort came too late");
    }

    private static VanishEvidence shutoff(int reason) {
        return new VanishEvidence.StateAfter(new DomainState(DomainState.SHUTOFF, reason));
    }

    @Test
    void ofVanished_shutOffMigrated_isCompleted() {
        assertEquals(new MigrationOutcome.Judged(MigrationOutcome.COMPLETED, null), vanished(shutoff(DomainState.SHUTOFF_MIGRATED)));
    }

    @Test
    void ofVanished_shutOffDestroyedCrashedFailedOrByTheDaemon_isFailedNamingTheReason() {
        assertEquals(new MigrationOutcome.Judged(MigrationOutcome.FAILED, "shut off on the source (destroyed) during the migration"),
                vanished(shutoff(DomainState.SHUTOFF_DESTROYED)));
        assertEquals("shut off on the source (crashed) during the migration", vanished(shutoff(DomainState.SHUTOFF_CRASHED)).why());
        assertEquals("shut off on the source (failed to start) during the migration", vanished(shutoff(DomainState.SHUTOFF_FAILED)).why());
        assertEquals("shut off on the source (killed by libvirtd) during the migration", vanished(shutoff(DomainState.SHUTOFF_DAEMON)).why());
        assertEquals(MigrationOutcome.FAILED, vanished(shutoff(DomainState.SHUTOFF_SHUTDOWN)).outcome());
    }

    @Test
    void ofVanished_shutOffForAReasonLibvirtLost_isUnknownNotCompleted() {
        // libvirtd forgets the reason of inactive domains when it restarts
        assertEquals(new MigrationOutcome.Judged(MigrationOutcome.UNKNOWN, MigrationOutcome.NO_EVIDENCE + " (libvirt: shut off, reason unknown)"),
                vanished(shutoff(DomainState.SHUTOFF_UNKNOWN)));
    }

    @Test
    void ofVanished_activeHereAgain_isUnknownNamingTheState() {
        assertEquals(new MigrationOutcome.Judged(MigrationOutcome.UNKNOWN, MigrationOutcome.NO_EVIDENCE + " (libvirt: running here)"),
                vanished(new VanishEvidence.StateAfter(new DomainState(DomainState.RUNNING, 1))));
    }

    @Test
    void ofVanished_domainUnknownToLibvirt_isUnknownNotCompleted() {
        MigrationOutcome.Judged j = vanished(new VanishEvidence.NoTrace("virDomainGetState: no domain"));
        assertEquals(new MigrationOutcome.Judged(MigrationOutcome.UNKNOWN, "left this host without evidence that the destination has it"), j);
        assertEquals(MigrationOutcome.UNKNOWN, MigrationOutcome.ofVanished(new VanishEvidence.NoTrace("gone"), true).outcome(),
                "migov's abort does not say where the VM went either");
    }

    @Test
    void domainState_negativeStateOrReason_isRejectedNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DomainState(-1, 0));
        assertEquals("state: expected a virDomainState (0 or more), got -1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DomainState(DomainState.SHUTOFF, -2));
        assertEquals("reason: expected a state reason (0 or more), got -2", e.getMessage());
    }

    @Test
    void ofWord_everyWord_namesItsOutcome_blankIsUnknown_othersAreNone() {
        for (MigrationOutcome o : MigrationOutcome.values()) {
            assertEquals(Optional.of(o), MigrationOutcome.ofWord(o.word()));
        }
        assertEquals(Optional.of(MigrationOutcome.UNKNOWN), MigrationOutcome.ofWord(null));
        assertEquals(Optional.of(MigrationOutcome.UNKNOWN), MigrationOutcome.ofWord(" "));
        assertEquals(Optional.empty(), MigrationOutcome.ofWord("timeout"));
        assertEquals(Optional.empty(), MigrationOutcome.ofWord("COMPLETED"), "the words are lower case, as written");
    }

    @Test
    void json_outcome_isTheWord() {
        for (MigrationOutcome o : MigrationOutcome.values()) {
            assertEquals("\"" + o.word() + "\"", JsonLinesRecordSink.JSON.valueToTree(o).toString());
        }
        assertEquals(MigrationOutcome.values().length, Arrays.stream(MigrationOutcome.values()).map(MigrationOutcome::word).distinct().count());
    }

    @Test
    void atPass_beforeTheFirstPass_isBeforePass1NeverPass0() {
        assertEquals("before pass 1", MigrationRecord.atPass(0));
        assertEquals("pass 3", MigrationRecord.atPass(3));
        assertEquals("-", MigrationRecord.atPass(-1));
        assertEquals("before pass 1", MigrationRecord.atPassPhrase(0));
        assertEquals("at pass 3", MigrationRecord.atPassPhrase(3));
    }
}
