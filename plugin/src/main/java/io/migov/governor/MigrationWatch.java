// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

import dev.failsafe.Execution;
import io.migov.core.Action;
import io.migov.core.Behaviour;
import io.migov.core.ConvergenceDetector;
import io.migov.core.guard.GuardHistory;
import io.migov.core.Decision;
import io.migov.core.policy.MigrationPolicy;
import io.migov.core.policy.Observation;
import io.migov.port.JobStats;

import java.util.ArrayList;
import java.util.List;

/** Everything the governor tracks about one outgoing migration while it runs. Guarded by its VM. */
final class MigrationWatch {
    final Mode mode;
    final long startEpochMillis;
    final int stateAtStart;
    final Decision decision;
    final Behaviour behaviour;
    final int lookAhead;
    final MigrationPolicy policy;
    /**
     * Judges every pass for the record and the views, whichever policy steers: the verdicts show
     * what migov's detector saw, so peers' runs can be read against them.
     */
    final ConvergenceDetector detector;
    final List<MigrationRecord.Pass> passes = new ArrayList<>();
    final List<MigrationRecord.TakenAction> actions = new ArrayList<>();

    int lastIteration;
    Observation lastObservation;
    JobStats lastJob;
    /** What the policy decided last, even in advise mode. */
    Action advised;
    /** What was carried out last. */
    Action taken;
    /** A switch libvirt was not ready for yet; retried on the next tick or event, and on a timer. */
    Action pendingSwitch;
    /** The attempts at the pending switch so far ({@link MigrationSteering#SWITCH_RETRY}). */
    Execution<Object> switchRetry;
    /** A retry of the pending switch is scheduled on the steering executor. */
    boolean retryScheduled;
    String lastReason = "";
    String error;
    /** Why an action was decided but not carried out (steering paused), or null. */
    String suppressedBy;
    boolean postcopyConfirmed;
    /**
     * The source was already paused in post-copy when migov first saw this migration (a daemon started
     * or restarted after the switch): nothing is left to steer, the policy's actions are only recorded.
     */
    boolean inPostCopyWhenSeen;
    /** libvirt paused the VM with post-copy failed during this migration. */
    boolean postcopyFailed;
    JobStats completedStats;
    MigrationRecord.ModelAtStart modelAtStart = MigrationRecord.ModelAtStart.NONE;
    /** Monotonic time the job was first seen gone, or -1 while it runs. */
    long goneSinceNanos = -1;
    /** libvirt's STOPPED detail for this VM on this host during the migration, or -1 when none came. */
    int stoppedDetail = -1;
    /** The VM left with no event saying how: its domain state has been asked for, once. */
    boolean stateRequested;
    /**
     * Why migov's connection to libvirt was lost during this migration, while no job reading has
     * shown the migration still running since (null otherwise): events sent meanwhile are gone.
     */
    String contactLost;

    // the guard before a post-copy switch (io.migov.core.guard): readings since this daemon saw the migration
    final GuardHistory guard = new GuardHistory();
    /** A switch the policy decided and the guard holds: judged again at every reading, never dropped by the guard. */
    Action heldSwitch;
    /** The migration's elapsed time when the current hold began, ms; -1 while none. */
    long heldSinceMillis = -1;
    /** Migration time switches waited for the guard, ms, holds that ended. */
    long heldMillis;
    int holds;
    String holdReason;

    // the in-flight journal (MigrationJournal)
    /** The journal's id of this migration, also the record's {@code migration_id}. */
    String migrationId;
    /** Taken up from a journal by a restarted daemon. */
    boolean readopted;
    /** A readopted watch whose journal has been matched against libvirt's job (same start). */
    boolean jobMatched;
    /** The journal is being replayed: the policy is fed its inputs again, nothing is carried out or journalled. */
    boolean replaying;
    /** Writing the journal failed once: not tried again for this migration (logged once). */
    boolean journalBroken;
    /** Intents journalled so far; the last one's number. */
    /** While replaying: the last action the policy decided that no journalled intent followed yet. */
    Action decidedInReplay;
    int intentSeq;
    /** The intent of the pending switch. */
    int pendingSwitchSeq;
    /** An intent the journal shows without an outcome: the killed daemon may or may not have carried it out. */
    Action unsettled;
    int unsettledSeq;
    /** Passes that began and ended while no daemon watched (not in {@link #passes}). */
    int passesMissed;

    MigrationWatch(Mode mode, long startEpochMillis, int stateAtStart, Decision decision, Behaviour behaviour, int lookAhead,
                   MigrationPolicy policy, ConvergenceDetector detector) {
        this.mode = mode;
        this.startEpochMillis = startEpochMillis;
        this.stateAtStart = stateAtStart;
        this.decision = decision;
        this.behaviour = behaviour;
        this.lookAhead = lookAhead;
        this.policy = policy;
        this.detector = detector;
    }
}
