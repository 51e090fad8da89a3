package io.migov.governor;

import io.migov.core.Action;
import io.migov.core.Behaviour;
import io.migov.core.ConvergenceDetector;
import io.migov.core.Decision;
import io.migov.core.IterationRecord;
import io.migov.core.MigrationController;
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
    final ConvergenceDetector detector;
    final MigrationController controller;
    final List<MigrationRecord.Pass> passes = new ArrayList<>();

    int lastIteration;
    IterationRecord lastRecord;
    JobStats lastJob;
    /** What the controller decided, even in advise mode. */
    Action advised;
    /** What was carried out. */
    Action taken;
    /** A switch libvirt was not ready for yet; retried on the next tick or event. */
    Action pendingSwitch;
    int switchAttempts;
    String lastReason = "";
    String error;
    /** Why an action was decided but not carried out (steering paused), or null. */
    String suppressedBy;
    boolean postcopyConfirmed;
    JobStats completedStats;
    /** Monotonic time the job was first seen gone, or -1 while it runs. */
    long goneSinceNanos = -1;

    MigrationWatch(Mode mode, long startEpochMillis, int stateAtStart, Decision decision, Behaviour behaviour, int lookAhead,
                   ConvergenceDetector detector, MigrationController controller) {
        this.mode = mode;
        this.startEpochMillis = startEpochMillis;
        this.stateAtStart = stateAtStart;
        this.decision = decision;
        this.behaviour = behaviour;
        this.lookAhead = lookAhead;
        this.detector = detector;
        this.controller = controller;
    }
}
