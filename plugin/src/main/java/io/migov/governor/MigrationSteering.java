// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

import dev.failsafe.Execution;
import dev.failsafe.RetryPolicy;
import io.migov.core.Action;
import io.migov.core.ActionKind;
import io.migov.core.Assessment;
import io.migov.core.Behaviour;
import io.migov.core.ConvergenceDetector;
import io.migov.core.Decision;
import io.migov.core.Prediction;
import io.migov.core.Strategy;
import io.migov.core.WorkloadProfile;
import io.migov.core.guard.GuardReading;
import io.migov.core.guard.GuardVerdict;
import io.migov.core.guard.SwitchGuard;
import io.migov.core.policy.MigrationContext;
import io.migov.core.policy.MigrationPolicy;
import io.migov.core.policy.Observation;
import io.migov.core.policy.Policies;
import io.migov.port.Hypervisor;
import io.migov.port.HypervisorException;
import io.migov.port.JobStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The policy runner: steers each outgoing migration with the configured {@link MigrationPolicy}.
 * It turns libvirt's job statistics into {@link Observation}s (at every pass boundary and every
 * poll between), carries out the policy's actions (at most one per observation), retries a
 * post-copy switch libvirt is not ready for, tells the policy when libvirt refuses post-copy, and
 * writes one {@link MigrationRecord} per migration. Every method is called with the VM's monitor
 * held; the libvirt calls it makes are the actions themselves, which must happen in order.
 *
 * <p>Each migration is journalled as it runs ({@link MigrationJournal}): a daemon restarted
 * mid-migration {@link #readopt re-adopts} it by replaying the journal into a fresh policy, carries
 * out nothing the killed daemon already did, and writes the one record.
 */
final class MigrationSteering {

    private static final Logger LOG = LoggerFactory.getLogger(MigrationSteering.class);
    /** How long a finished job may wait for its JOB_COMPLETED event before it is recorded without it. */
    static final long COMPLETION_GRACE_NANOS = 2_000_000_000L;
    /** QEMU's default maximum downtime, used when libvirt cannot tell. */
    static final long DEFAULT_MAX_DOWNTIME_MILLIS = 300;
    /**
     * libvirt refuses a post-copy switch for a moment after a migration starts (NOT_READY): the
     * switch is tried again every 200 ms (and at every tick or event meanwhile), 50 attempts in all.
     * Any other refusal ends it at once.
     */
    static final RetryPolicy<Object> SWITCH_RETRY = RetryPolicy.builder()
            .handleIf(e -> e instanceof HypervisorException h && h.kind() == HypervisorException.Kind.NOT_READY)
            .withDelay(Duration.ofMillis(200))
            .withMaxAttempts(50)
            .build();

    private final Hypervisor hypervisor;
    private final Supplier<GovernorSettings> settings;
    private final Clock clock;
    private final MigrationRecordSink recordSink;
    private final Executor steering;
    private final GovernorCounters counters;
    private final BooleanSupplier paused;
    private final MigrationJournal journal;
    /** Journals of migrations in flight when the last daemon stopped, by UUID, until their VM is re-adopted. */
    private final Map<String, List<JournalEntry>> leftBehind = new ConcurrentHashMap<>();
    /**
     * How far libvirt's start of a job (now − time_elapsed) may drift from the journalled one and still
     * be the same job: both are read off clocks at different moments, a later migration starts seconds later.
     */
    static final long SAME_JOB_MILLIS = 3_000;

    MigrationSteering(Hypervisor hypervisor, Supplier<GovernorSettings> settings, Clock clock, MigrationRecordSink recordSink,
                      Executor steering, GovernorCounters counters, BooleanSupplier paused, MigrationJournal journal) {
        this.hypervisor = hypervisor;
        this.settings = settings;
        this.clock = clock;
        this.recordSink = recordSink;
        this.steering = steering;
        this.counters = counters;
        this.paused = paused;
        this.journal = journal;
    }

    /** A job statistics reading of the VM (tick or iteration event). */
    void onJob(VmState vm, JobStats job, long nowNanos) {
        if (job.isOutgoingMigration()) {
            MigrationWatch w = vm.watch;
            if (w != null && w.readopted && !w.jobMatched) {
                if (Math.abs(clock.millis() - job.get("time_elapsed", 0) - w.startEpochMillis) <= SAME_JOB_MILLIS) {
                    w.jobMatched = true;
                    w.lastJob = job;
                    settleUnsettled(vm, w, job);
                } else {
                    // the journalled migration ended while no daemon watched, and the VM migrates again
                    finish(vm, JobStats.none(), null);
                    w = null;
                }
            }
            if (w == null) {
                w = begin(vm, job);
            } else {
                w.lastJob = job; // a switch that succeeds on this retry is recorded at this reading's time
                retryPendingSwitch(vm, w);
            }
            w.goneSinceNanos = -1;
            w.contactLost = null; // the migration outlived the outage
            w.lastJob = job;
            observe(vm, w, job);
        } else if (vm.watch != null) {
            MigrationWatch w = vm.watch;
            if (w.goneSinceNanos < 0) {
                w.goneSinceNanos = nowNanos;
            }
            if (w.completedStats != null || nowNanos - w.goneSinceNanos >= COMPLETION_GRACE_NANOS) {
                // the job ended and the VM is still here: the migration failed or was cancelled, unless a
                // STOPPED event said it left (a stopped domain that stays defined has no job either)
                finish(vm, w.completedStats != null ? w.completedStats : job,
                        w.stoppedDetail >= 0 ? new VanishEvidence.Stopped(w.stoppedDetail) : null);
            }
        }
    }

    /** What {@link #departed} needs from the governor. */
    enum Departure {
        /** Keep the VM: an event may still say how its migration ended. */
        WAIT,
        /** No event said how it ended: read the domain's state once and hand it to {@link #vanished}. */
        READ_STATE,
        /** Recorded, or never watched: the VM may go. */
        GONE
    }

    /**
     * The VM is no longer listed on this host. A VM that was destroyed or crashed leaves the list
     * too, so leaving is not completion: JOB_COMPLETED or a STOPPED event is waited for, then the
     * domain's state is read.
     */
    Departure departed(VmState vm, long nowNanos) {
        MigrationWatch w = vm.watch;
        if (w == null) {
            return Departure.GONE;
        }
        if (w.goneSinceNanos < 0) {
            w.goneSinceNanos = nowNanos;
        }
        if (w.completedStats != null) {
            finish(vm, w.completedStats, null); // libvirt reported the job's end itself (failed or cancelled)
            return Departure.GONE;
        }
        if (nowNanos - w.goneSinceNanos < COMPLETION_GRACE_NANOS) {
            return Departure.WAIT; // give JOB_COMPLETED a moment to arrive with the final numbers
        }
        if (w.stoppedDetail >= 0) {
            finish(vm, w.lastJob, new VanishEvidence.Stopped(w.stoppedDetail));
            return Departure.GONE;
        }
        if (w.stateRequested) {
            return Departure.WAIT;
        }
        w.stateRequested = true;
        return Departure.READ_STATE;
    }

    /** What libvirt said of the VM's domain after {@link #departed} asked for its state. */
    void vanished(VmState vm, VanishEvidence evidence) {
        if (vm.watch != null) {
            finish(vm, vm.watch.lastJob, evidence);
        }
    }

    /** libvirt's JOB_COMPLETED event with the job's final statistics. */
    void completed(VmState vm, JobStats finalStats) {
        if (vm.watch != null) {
            vm.watch.completedStats = finalStats;
            if (finalStats.type() == JobStats.Type.COMPLETED) {
                finish(vm, finalStats, new VanishEvidence.JobCompleted());
            }
        }
    }

    /** libvirt's lifecycle event STOPPED for the VM on this host, with its detail. */
    void stopped(VmState vm, int detail) {
        MigrationWatch w = vm.watch;
        if (w == null) {
            return;
        }
        w.stoppedDetail = detail;
        // stopped for the migration, JOB_COMPLETED follows with the final numbers: wait for it (departed);
        // stopped for any other reason, nothing more will come
        if (detail != VanishEvidence.Stopped.MIGRATED) {
            finish(vm, w.lastJob, new VanishEvidence.Stopped(detail));
        }
    }

    /** The source reported SUSPENDED/POSTCOPY: post-copy really runs. */
    void postCopyStarted(VmState vm) {
        MigrationWatch w = vm.watch;
        if (w != null && !w.postcopyConfirmed) {
            w.postcopyConfirmed = true;
            journal(vm, w, new JournalEntry.Note(JournalEntry.Note.POSTCOPY_CONFIRMED, ""), false);
        }
    }

    /**
     * libvirt gave up the VM's post-copy migration and paused it (lifecycle SUSPENDED/POSTCOPY_FAILED,
     * or the statistics' paused reason): logged and counted once, marked on the migration's record.
     * Nothing is done to the VM — the guest's memory is split between the two hosts, and after a link
     * cut both QEMUs may still finish the transfer by themselves once the link returns (lab).
     */
    void postCopyFailed(VmState vm, String source) {
        MigrationWatch w = vm.watch;
        if (w != null) {
            if (w.postcopyFailed) {
                return;
            }
            w.postcopyFailed = true;
            w.postcopyConfirmed = true;
            journal(vm, w, new JournalEntry.Note(JournalEntry.Note.POSTCOPY_FAILED, ""), false);
        } else if (vm.postcopyFailureReported) {
            return;
        }
        vm.postcopyFailureReported = true;
        counters.postcopyFailures.incrementAndGet();
        LOG.warn("{}: post-copy failed (libvirt paused the domain, reason post-copy failed; seen by {}): the guest's memory is split "
                + "between this host and the destination. migov leaves both sides as they are and does not recover it: look at QEMU's "
                + "own state first (virsh qemu-monitor-command {} '{{\"execute\":\"query-migrate\"}}' on both hosts; after a link cut "
                + "both QEMUs may finish by themselves once the link is back), never destroy either side", vm.name, source, vm.name);
    }

    // ---------------------------------------------------------------------------------------------

    private MigrationWatch begin(VmState vm, JobStats job) {
        GovernorSettings s = settings.get();
        counters.migrationsSeen.incrementAndGet();
        int state = vm.profile.currentState();
        Decision decision;
        Behaviour behaviour;
        if (state < 0) {
            decision = new Decision(-1, Strategy.HYBRID, "no profile yet: hybrid");
            behaviour = new Behaviour(s.lookAhead(), 0, 0, 0);
        } else {
            decision = vm.profile.decision();
            Prediction p = vm.profile.predict(s.lookAhead());
            behaviour = p.behaviour();
        }
        long allowedDowntime = DEFAULT_MAX_DOWNTIME_MILLIS;
        try {
            allowedDowntime = Math.max(1, hypervisor.maxDowntimeMillis(vm.uuid));
        } catch (HypervisorException e) {
            LOG.debug("{}: max downtime unknown ({}), assuming {} ms", vm.name, e.getMessage(), DEFAULT_MAX_DOWNTIME_MILLIS);
        }
        WorkloadProfile.ScoreView score = vm.profile.score();
        MigrationRecord.ModelAtStart model = new MigrationRecord.ModelAtStart(vm.writePercent, vm.dirtyBytesPerSecond,
                score.predictedState(), score.lastPredicted(), score.lastRealised(), score.scored(), finiteOrNull(score.hitRate()),
                finiteOrNull(score.persistenceHitRate()));
        // Whether post-copy is permitted is not visible through libvirt's API: assume it is and let
        // libvirt's refusal of the switch withdraw it (MigrationPolicy.postCopyRefused).
        JournalEntry.Header h = new JournalEntry.Header(JournalEntry.VERSION, UUID.randomUUID().toString(), vm.name,
                clock.millis() - job.get("time_elapsed", 0), s.mode().configName(), s.policy(), state, decision.state(),
                decision.strategy().name(), decision.reason(), behaviour.lookAhead(), behaviour.memoryIntensiveShare(),
                behaviour.netOutIntensiveShare(), behaviour.netInIntensiveShare(), s.lookAhead(), true,
                Math.max(0, job.get("memory_total", 0)), Math.max(0, job.get("memory_bps", 0)), allowedDowntime,
                vm.lastStats != null && vm.lastStats.pausedInPostCopy(), model);
        MigrationWatch w = watchOf(h, s);
        w.lastJob = job;
        vm.watch = w;
        vm.profile.breakChain();
        try {
            journal.begin(vm.uuid, h);
        } catch (IOException | RuntimeException e) {
            journalFailed(vm, w, e);
        }
        LOG.info("{}: outgoing migration seen{} (mode {}, policy {}); state {} → {} ({}); {}", vm.name,
                w.inPostCopyWhenSeen ? " already in post-copy, observed only" : "", w.mode.configName(),
                w.policy.name(), state, decision.strategy(), decision.reason(), behaviour);
        Action first = w.policy.start(contextOf(h, w));
        if (w.mode != Mode.OFF) {
            carryOut(vm, w, first);
        }
        return w;
    }

    /** The watch a header describes: what {@link #begin} starts with, and what a readoption rebuilds. */
    private static MigrationWatch watchOf(JournalEntry.Header h, GovernorSettings s) {
        Decision decision = new Decision(h.decisionState(), Strategy.valueOf(h.strategy()), h.strategyReason());
        Behaviour behaviour = new Behaviour(h.behaviourLookAhead(), h.memoryIntensiveShare(), h.netOutIntensiveShare(),
                h.netInIntensiveShare());
        MigrationWatch w = new MigrationWatch(Mode.parse("mode", h.mode()), h.jobStartEpochMillis(), h.stateAtStart(), decision,
                behaviour, h.lookAhead(), Policies.create(h.policy(), s.policySettings()),
                new ConvergenceDetector(s.convergence(), h.allowedDowntimeMillis(), s.controller().maxIterations()));
        w.migrationId = h.migrationId();
        w.modelAtStart = h.model();
        if (h.inPostCopyWhenSeen()) {
            w.inPostCopyWhenSeen = true;
            w.postcopyConfirmed = true;
        }
        return w;
    }

    /** What the policy starts with: the header's, around the decision its watch holds. */
    private static MigrationContext contextOf(JournalEntry.Header h, MigrationWatch w) {
        return new MigrationContext(w.decision, w.behaviour, h.postCopyPermitted(), h.memoryBytes(), h.bandwidthBytesPerSecond(),
                h.allowedDowntimeMillis());
    }

    private void observe(VmState vm, MigrationWatch w, JobStats job) {
        int iteration = (int) Math.max(0, job.get("memory_iteration", 0));
        boolean newPass = iteration >= 1 && iteration > w.lastIteration;
        long dirty = job.get("memory_dirty_rate", 0);
        // libvirt reports 0 until QEMU has measured a pass; 0 is read as "unknown", never as "clean"
        Observation o = new Observation(Math.max(0, job.get("time_elapsed", 0)), iteration, dirty > 0 ? dirty : Double.NaN,
                Math.max(0, job.get("memory_remaining", 0)), Math.max(0, job.get("memory_bps", 0)), newPass);
        journal(vm, w, JournalEntry.Observed.of(o), false);
        w.guard.add(guardReading(job));
        step(vm, w, o);
        if (w.heldSwitch != null && vm.watch == w) {
            carryOut(vm, w, w.heldSwitch); // judged again on this reading
        }
    }

    /** What the guard before a switch reads of a job: libvirt's totals of all data (disks included) where it gives them. */
    static GuardReading guardReading(JobStats job) {
        return new GuardReading(Math.max(0, job.get("time_elapsed", 0)), (int) Math.max(0, job.get("memory_iteration", 0)),
                dataOrMemory(job, "processed"), dataOrMemory(job, "remaining"), dataOrMemory(job, "total"),
                job.has("memory_bps") ? Math.max(0, job.get("memory_bps", 0)) : -1);
    }

    /** libvirt's {@code data_<what>} (memory and disks), else {@code memory_<what>}; -1 when it reports neither. */
    private static long dataOrMemory(JobStats job, String what) {
        return job.has("data_" + what) ? Math.max(0, job.get("data_" + what, 0))
                : job.has("memory_" + what) ? Math.max(0, job.get("memory_" + what, 0)) : -1;
    }

    /** One observation through the detector and the policy: live, or replayed from the journal. */
    private void step(VmState vm, MigrationWatch w, Observation o) {
        w.lastObservation = o;
        if (o.newPass()) {
            if (o.iteration() > w.lastIteration + 1) {
                w.passesMissed += o.iteration() - w.lastIteration - 1; // began and ended while no daemon watched
            }
            w.lastIteration = o.iteration();
            Assessment a = w.detector.observe(o.toIterationRecord());
            w.passes.add(new MigrationRecord.Pass(o.iteration(), o.elapsedMillis(), o.dirtyRateKnown() ? o.dirtyRatePagesPerSecond() : null,
                    o.remainingBytes(), o.transferRateBytesPerSecond(), a.verdict().name()));
            if (!w.replaying) {
                LOG.info("{}: pass {}: remaining {} MiB, dirty {} pages/s, {} MiB/s: {}", vm.name, o.iteration(), o.remainingBytes() >> 20,
                        o.dirtyRateKnown() ? Math.round(o.dirtyRatePagesPerSecond()) : 0,
                        Math.round(o.transferRateBytesPerSecond() / 1048576.0), a.verdict());
            }
        }
        if (w.mode != Mode.OFF) {
            Action a = w.policy.observe(o);
            // a poll that changes nothing would only overwrite the last pass's reason with "waiting"
            if (o.newPass() || !a.isNone()) {
                carryOut(vm, w, a);
            }
        }
    }

    private void carryOut(VmState vm, MigrationWatch w, Action action) {
        w.lastReason = action.reason();
        if (action.isNone()) {
            return;
        }
        w.advised = action;
        if (w.inPostCopyWhenSeen) {
            // the switch was made before migov saw the migration (a daemon restarted during post-copy): a second
            // switch is refused, a downtime limit means nothing in post-copy, and an abort cannot undo it
            if (w.suppressedBy == null) {
                w.suppressedBy = "post-copy already running when migov first saw this migration: observed only (would "
                        + describe(action) + " " + MigrationRecord.atPassPhrase(action.iteration()) + ": " + action.reason() + ")";
                if (!w.replaying) {
                    LOG.info("{}: {}", vm.name, w.suppressedBy);
                }
            }
            return;
        }
        if (w.replaying) {
            // what was carried out is in the journal's intents and outcomes; a decision the journal shows no
            // intent for was made just before the kill, and is carried out after the replay
            if (w.mode == Mode.ENFORCE) {
                w.decidedInReplay = action;
            }
            return;
        }
        if (w.mode == Mode.ADVISE) {
            LOG.info("{}: advise: would {} {}: {}", vm.name, describe(action), MigrationRecord.atPassPhrase(action.iteration()), action.reason());
            return;
        }
        if (paused.getAsBoolean()) {
            suppress(vm, w, action);
            return;
        }
        switch (action.kind()) {
            case SWITCH_TO_POSTCOPY -> {
                if (held(vm, w, action)) {
                    return;
                }
                w.pendingSwitch = action;
                w.pendingSwitchSeq = intent(vm, w, action);
                w.switchRetry = Execution.of(SWITCH_RETRY);
                retryPendingSwitch(vm, w);
            }
            case RAISE_DOWNTIME -> {
                int seq = intent(vm, w, action);
                try {
                    hypervisor.setMaxDowntimeMillis(vm.uuid, action.downtimeMillis());
                    boolean firstRaise = w.actions.stream().noneMatch(a -> a.downtimeMillis() >= 0);
                    takenNow(vm, w, action, seq);
                    if (firstRaise) {
                        counters.fallbacks.incrementAndGet(); // per migration: nova's policy sets it up to 11 times
                    }
                    LOG.info("{}: max downtime set to {} ms {}: {}", vm.name, action.downtimeMillis(), MigrationRecord.atPassPhrase(action.iteration()),
                            action.reason());
                } catch (HypervisorException e) {
                    actionFailed(vm, w, action, seq, e);
                }
            }
            case ABORT -> {
                int seq = intent(vm, w, action);
                try {
                    hypervisor.abortJob(vm.uuid);
                    takenNow(vm, w, action, seq);
                    LOG.info("{}: migration aborted {}: {}", vm.name, MigrationRecord.atPassPhrase(action.iteration()), action.reason());
                } catch (HypervisorException e) {
                    actionFailed(vm, w, action, seq, e);
                }
            }
            default -> throw new IllegalStateException("unexpected action " + action.kind());
        }
    }

    /**
     * The guard before a post-copy switch (io.migov.core.guard.SwitchGuard): true while it holds the switch. Logged
     * when a hold begins and ends; the record counts them.
     */
    private boolean held(VmState vm, MigrationWatch w, Action action) {
        GuardVerdict v = SwitchGuard.judge(w.guard, settings.get().guard());
        long now = elapsedMillis(w);
        if (v.allowed()) {
            if (w.heldSwitch != null) {
                long heldFor = endHold(w, now);
                LOG.info("{}: post-copy switch released by the guard after {} ms held: {}", vm.name, heldFor, v.reason());
            }
            return false;
        }
        if (w.heldSwitch == null) {
            w.holds++;
            w.heldSinceMillis = now;
            LOG.info("{}: post-copy switch {} held by the guard: {} (the policy's reason: {})", vm.name,
                    MigrationRecord.atPassPhrase(action.iteration()), v.reason(), action.reason());
        }
        w.heldSwitch = action;
        w.holdReason = v.reason();
        return true;
    }

    /** Ends the current hold, if any; returns how long it lasted, ms. */
    private static long endHold(MigrationWatch w, long nowMillis) {
        if (w.heldSwitch == null) {
            return 0;
        }
        long heldFor = Math.max(0, nowMillis - w.heldSinceMillis);
        w.heldMillis += heldFor;
        w.heldSwitch = null;
        w.heldSinceMillis = -1;
        return heldFor;
    }

    private static long elapsedMillis(MigrationWatch w) {
        return w.lastJob == null ? 0 : Math.max(0, w.lastJob.get("time_elapsed", 0));
    }

    private void suppress(VmState vm, MigrationWatch w, Action action) {
        endHold(w, elapsedMillis(w));
        w.suppressedBy = "steering paused: would " + action.kind().recordName() + " " + MigrationRecord.atPassPhrase(action.iteration()) + ": "
                + action.reason();
        journal(vm, w, new JournalEntry.Note(JournalEntry.Note.SUPPRESSED_BY, w.suppressedBy), false);
        LOG.info("{}: {}", vm.name, w.suppressedBy);
    }

    /** The action {@code seq} is in effect now: recorded, and its outcome journalled. */
    private void takenNow(VmState vm, MigrationWatch w, Action action, int seq) {
        long elapsed = w.lastJob == null ? -1 : w.lastJob.get("time_elapsed", -1);
        taken(w, action, elapsed);
        journal(vm, w, new JournalEntry.Outcome(seq, true, elapsed), false);
    }

    private void taken(MigrationWatch w, Action action, long elapsedMillis) {
        if (w.actions.isEmpty()) {
            counters.migrationsSteered.incrementAndGet();
        }
        w.taken = action;
        w.actions.add(new MigrationRecord.TakenAction(action.kind().recordName(), action.iteration(), elapsedMillis,
                action.kind() == ActionKind.RAISE_DOWNTIME ? action.downtimeMillis() : -1, action.reason()));
    }

    /** Journals the action about to be carried out, durably, before the libvirt call; returns its number. */
    private int intent(VmState vm, MigrationWatch w, Action action) {
        int seq = ++w.intentSeq;
        journal(vm, w, new JournalEntry.Intent(seq, action.kind().recordName(), action.iteration(), action.downtimeMillis(),
                action.reason()), true);
        return seq;
    }

    private static String describe(Action a) {
        return a.kind() == ActionKind.RAISE_DOWNTIME ? "set max downtime " + a.downtimeMillis() + " ms" : a.kind().recordName();
    }

    /** Tries the pending post-copy switch; libvirt refuses it for a moment after a migration starts. */
    private void retryPendingSwitch(VmState vm, MigrationWatch w) {
        Action action = w.pendingSwitch;
        if (action == null) {
            return;
        }
        if (paused.getAsBoolean()) {
            w.pendingSwitch = null;
            journal(vm, w, new JournalEntry.Outcome(w.pendingSwitchSeq, false, -1), false);
            suppress(vm, w, action);
            return;
        }
        try {
            hypervisor.startPostCopy(vm.uuid);
            w.pendingSwitch = null;
            takenNow(vm, w, action, w.pendingSwitchSeq);
            counters.switches.incrementAndGet();
            LOG.info("{}: switched to post-copy {}: {}", vm.name, MigrationRecord.atPassPhrase(action.iteration()), action.reason());
        } catch (HypervisorException e) {
            if (e.kind() == HypervisorException.Kind.ALREADY_POSTCOPY) {
                // in effect already: retrying would only repeat the refusal (up to 50 times)
                w.pendingSwitch = null;
                takenNow(vm, w, action, w.pendingSwitchSeq);
                LOG.info("{}: post-copy already running {} ({}); the switch counts as taken: {}", vm.name,
                        MigrationRecord.atPassPhrase(action.iteration()), e.getMessage(), action.reason());
                return;
            }
            w.switchRetry.recordException(e);
            if (!w.switchRetry.isComplete()) {
                scheduleSwitchRetry(vm, w, w.switchRetry.getDelay());
                return;
            }
            w.pendingSwitch = null;
            if (e.kind() == HypervisorException.Kind.POSTCOPY_NOT_PERMITTED) {
                LOG.info("{}: libvirt refused post-copy ({}); asking policy {} what to do instead", vm.name, e.getMessage(),
                        w.policy.name());
                journal(vm, w, new JournalEntry.Refused(w.pendingSwitchSeq), false);
                carryOut(vm, w, w.policy.postCopyRefused(w.lastObservation));
            } else {
                actionFailed(vm, w, action, w.pendingSwitchSeq, e); // not ready after the last attempt, or failed
            }
        }
    }

    private void scheduleSwitchRetry(VmState vm, MigrationWatch w, Duration delay) {
        // one retry chain per migration: ticks and events also retry, and must not start more
        if (steering instanceof ScheduledExecutorService ses && !w.retryScheduled) {
            w.retryScheduled = true;
            ses.schedule(() -> {
                synchronized (vm) {
                    w.retryScheduled = false;
                    if (vm.watch == w) {
                        retryPendingSwitch(vm, w);
                    }
                }
            }, delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void actionFailed(VmState vm, MigrationWatch w, Action action, int seq, HypervisorException e) {
        counters.errors.incrementAndGet();
        w.error = action.kind().recordName() + " failed: " + e.getMessage();
        journal(vm, w, new JournalEntry.Outcome(seq, false, -1, w.error), false);
        if (e.kind() == HypervisorException.Kind.NO_DOMAIN) {
            LOG.info("{}: {} not carried out, the migration already ended ({})", vm.name, action.kind().recordName(), e.getMessage());
        } else {
            LOG.warn("{}: {} failed: {}", vm.name, action.kind().recordName(), e.getMessage());
        }
    }

    /**
     * Writes the migration's record. {@code evidence} is what says how it ended when its VM left (or
     * is leaving) this host; null while the VM stays, judged by the job's end alone.
     */
    private void finish(VmState vm, JobStats end, VanishEvidence evidence) {
        MigrationWatch w = vm.watch;
        vm.watch = null;
        vm.profile.breakChain();
        JobStats fin = end != null ? end : JobStats.none();
        boolean abortedByPolicy = w.taken != null && w.taken.kind() == ActionKind.ABORT;
        MigrationOutcome.Judged judged = evidence == null
                ? new MigrationOutcome.Judged(MigrationOutcome.of(fin.type(), abortedByPolicy), null)
                : MigrationOutcome.ofVanished(evidence, abortedByPolicy);
        MigrationOutcome outcome = judged.outcome();
        boolean completed = outcome == MigrationOutcome.COMPLETED;
        long postcopyRequests = Math.max(0, fin.get("memory_postcopy_requests", w.lastJob == null ? 0 : w.lastJob.get("memory_postcopy_requests", 0)));
        boolean confirmed = w.postcopyConfirmed || postcopyRequests > 0;
        Action taken = w.taken;
        String actionName = taken == null ? ActionKind.NONE.recordName() : taken.kind().recordName();
        String reason = taken != null ? taken.reason() : w.mode == Mode.OFF ? "mode off"
                : w.suppressedBy != null ? w.suppressedBy
                : w.heldSwitch != null ? "switch to post-copy held by the guard until the migration ended: " + w.holdReason
                + " (the policy's reason: " + w.heldSwitch.reason() + ")" : w.lastReason;
        MigrationRecord.SwitchGuard guard = null;
        if (w.holds > 0) {
            boolean heldAtEnd = w.heldSwitch != null;
            long heldMillis = w.heldMillis + (heldAtEnd ? Math.max(0, elapsedMillis(w) - w.heldSinceMillis) : 0);
            guard = new MigrationRecord.SwitchGuard(heldMillis, w.holds, w.holdReason, heldAtEnd);
        }
        boolean switched = w.actions.stream().anyMatch(a -> a.action().equals(ActionKind.SWITCH_TO_POSTCOPY.recordName()));
        if (switched && !confirmed) {
            reason = reason + " (switch requested; the migration finished without entering post-copy)";
        }
        long downtimeLimit = -1;
        for (MigrationRecord.TakenAction a : w.actions) {
            if (a.downtimeMillis() >= 0) {
                downtimeLimit = a.downtimeMillis();
            }
        }
        // a failed or aborted job has no final statistics: the last ones seen while it ran stand in
        JobStats last = w.lastJob != null ? w.lastJob : JobStats.none();
        long totalMillis = fin.has("time_elapsed") ? fin.get("time_elapsed", -1) : last.get("time_elapsed", -1);
        long bytes = dataOrMemory(fin, "processed");
        if (bytes < 0) {
            bytes = last.get("data_processed", -1);
        }
        // a completion known without JOB_COMPLETED has no final numbers: a running job's downtime is only QEMU's expectation
        long downtimeMillis = completed && fin.type() == JobStats.Type.COMPLETED ? fin.get("downtime", -1) : -1;
        String jobError = w.error != null ? w.error : fin.strings().get("errmsg");
        if (w.postcopyFailed) {
            // libvirt keeps a failed post-copy's job: when the link comes back QEMU may finish the transfer itself (lab:
            // a 50 s cut, then completed, the guest intact on the destination) while the migrating client was told it failed
            String failed = completed
                    ? "post-copy failed in libvirt (the migration API returned an error), then QEMU finished the transfer by itself"
                    : "post-copy failed: libvirt paused the domain with the guest's memory split between the hosts";
            jobError = joined(failed, jobError);
        }
        if (w.contactLost != null && !completed && w.completedStats == null) {
            // libvirt's own account of the end went with the connection: say what is known and what libvirt does
            String lost = "the migration's job ended while migov's connection to libvirt was down (" + w.contactLost
                    + "), and libvirt's report of how it ended went with the connection"
                    + (evidence == null ? "; the guest is still on this host (a libvirtd that restarts cancels an unfinished "
                    + "outgoing pre-copy and resumes the guest)" : "");
            jobError = joined(lost, jobError);
        }
        if (w.readopted && !w.jobMatched && evidence == null) {
            jobError = joined("the migration ended while no migov daemon was watching (its journal was left by a daemon that stopped "
                    + "during it) and the VM is still on this host", jobError);
        }
        String error = joined(judged.why(), jobError);
        MigrationRecord record = new MigrationRecord(vm.name, vm.uuid, hypervisor.uri(), w.mode.configName(), w.policy.name(),
                w.startEpochMillis, clock.millis(), outcome, completed, totalMillis, downtimeMillis, bytes,
                Math.max(w.lastIteration, (int) fin.get("memory_iteration", 0)), w.stateAtStart,
                w.mode == Mode.OFF ? "none" : w.decision.strategy().name(), w.decision.reason(),
                w.behaviour.memoryIntensiveShare(), w.behaviour.netOutIntensiveShare(), w.behaviour.netInIntensiveShare(), w.lookAhead,
                actionName, taken == null ? -1 : taken.iteration(), reason,
                w.advised == null ? ActionKind.NONE.recordName() : w.advised.kind().recordName(), downtimeLimit,
                confirmed, postcopyRequests, error, w.passes, w.actions,
                w.modelAtStart).withJournal(w.migrationId, w.readopted, w.passesMissed).withSwitchGuard(guard);
        LOG.info("{}: migration {} in {} ms, downtime {} ms, {} passes, policy {}, strategy {}, action {} ({})", vm.name, outcome,
                record.totalTimeMs(), record.downtimeMs(), record.iterations(), record.policy(), record.strategy(), record.action(),
                MigrationRecord.atPass(record.actionIteration()));
        if (judged.why() != null) {
            LOG.info("{}: {}: {}", vm.name, outcome, judged.why());
        }
        // journalled first: a daemon killed before the record landed writes it at its restart, once
        journal(vm, w, new JournalEntry.Finishing(record), true);
        if (write(vm.name, record) && !w.journalBroken) {
            deleteJournal(vm.uuid);
        }
    }

    private boolean write(String vmName, MigrationRecord record) {
        try {
            recordSink.write(record);
            return true;
        } catch (IOException e) {
            counters.errors.incrementAndGet();
            LOG.error("{}: cannot write the migration record: {}", vmName, e.getMessage());
            return false;
        }
    }

    // --------------------------------------------------------------------------------------------- the journal

    private void journal(VmState vm, MigrationWatch w, JournalEntry entry, boolean durable) {
        if (w.replaying || w.journalBroken) {
            return;
        }
        try {
            journal.append(vm.uuid, entry, durable);
        } catch (IOException | RuntimeException e) {
            journalFailed(vm, w, e);
        }
    }

    private void journalFailed(VmState vm, MigrationWatch w, Exception e) {
        w.journalBroken = true;
        counters.errors.incrementAndGet();
        LOG.warn("{}: in-flight journal not written ({}): steering goes on, but a daemon restarted during this migration "
                + "cannot re-adopt it", vm.name, e.getMessage());
    }

    private void deleteJournal(String uuid) {
        try {
            journal.delete(uuid);
        } catch (IOException | RuntimeException e) {
            counters.errors.incrementAndGet();
            LOG.warn("{}: in-flight journal not removed ({}): the next start settles it", uuid, e.getMessage());
        }
    }

    /**
     * Reads the journals the last daemon left. A journal that ends with its record (the daemon died
     * while writing it) is written unless {@code written} finds the record's id already; the rest wait
     * for their VM ({@link #readopt}).
     */
    void loadJournals(java.util.function.Predicate<String> written) {
        Map<String, List<JournalEntry>> all;
        try {
            all = journal.loadAll();
        } catch (IOException | RuntimeException e) {
            counters.errors.incrementAndGet();
            LOG.warn("in-flight journals not read ({}): migrations running now are taken as new ones", e.getMessage());
            return;
        }
        for (Map.Entry<String, List<JournalEntry>> e : new TreeMap<>(all).entrySet()) {
            String uuid = e.getKey();
            List<JournalEntry> entries = e.getValue();
            if (!entries.isEmpty() && entries.get(entries.size() - 1) instanceof JournalEntry.Finishing f) {
                String id = f.record().migrationId();
                if (id != null && written.test(id)) {
                    LOG.info("{}: the record of migration {} was written before the daemon stopped", f.record().vm(), id);
                    deleteJournal(uuid);
                } else if (write(f.record().vm(), f.record())) {
                    LOG.info("{}: wrote the record of migration {}, which the daemon that stopped had not written", f.record().vm(), id);
                    deleteJournal(uuid);
                }
            } else if (entries.isEmpty() || !(entries.get(0) instanceof JournalEntry.Header h) || h.version() != JournalEntry.VERSION) {
                counters.errors.incrementAndGet();
                LOG.warn("{}: in-flight journal without a readable header of version {}: dropped; a migration of the VM still running is "
                        + "taken as a new one", uuid, JournalEntry.VERSION);
                deleteJournal(uuid);
            } else {
                leftBehind.put(uuid, entries);
            }
        }
        if (!leftBehind.isEmpty()) {
            LOG.info("{} migration(s) were in flight when the last daemon stopped: re-adopting them as their VMs are seen",
                    leftBehind.size());
        }
    }

    /** A journal waits for this VM. */
    boolean journalled(String uuid) {
        return leftBehind.containsKey(uuid);
    }

    /** The VMs whose journals wait, with the VM name each journal gives. */
    Map<String, String> journalledVms() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<JournalEntry>> e : leftBehind.entrySet()) {
            out.put(e.getKey(), ((JournalEntry.Header) e.getValue().get(0)).vm());
        }
        return out;
    }

    /**
     * Takes up the migration a stopped daemon was steering, from the VM's journal: the watch as the
     * header describes it, the policy fed every journalled input again (deterministic, so it ends in
     * the state the killed daemon's had), passes and actions as they were. Nothing is carried out; an
     * intent without an outcome is settled against libvirt at the first job reading
     * ({@link #settleUnsettled}). Whether libvirt's job is still this migration is checked there too.
     * Returns false when no journal waits for the VM.
     */
    boolean readopt(VmState vm) {
        List<JournalEntry> entries = leftBehind.remove(vm.uuid);
        if (entries == null) {
            return false;
        }
        JournalEntry.Header h = (JournalEntry.Header) entries.get(0);
        MigrationWatch w;
        try {
            w = watchOf(h, settings.get());
        } catch (IllegalArgumentException e) {
            counters.errors.incrementAndGet();
            LOG.warn("{}: in-flight journal not usable ({}): dropped; the migration, if it still runs, is taken as a new one",
                    vm.name, e.getMessage());
            deleteJournal(vm.uuid);
            return false;
        }
        w.readopted = true;
        w.replaying = true;
        vm.watch = w;
        vm.profile.breakChain();
        // at most one intent is open: the live daemon settles or re-issues one before it makes the next
        int openSeq = 0;
        Action open = null;
        Action first = w.policy.start(contextOf(h, w));
        if (w.mode != Mode.OFF) {
            carryOut(vm, w, first);
        }
        for (JournalEntry e : entries.subList(1, entries.size())) {
            if (e instanceof JournalEntry.Observed o) {
                step(vm, w, o.observation());
            } else if (e instanceof JournalEntry.Refused r) {
                if (r.seq() == openSeq) {
                    open = null;
                }
                if (w.mode != Mode.OFF) {
                    carryOut(vm, w, w.policy.postCopyRefused(w.lastObservation));
                }
            } else if (e instanceof JournalEntry.Intent i) {
                openSeq = i.seq();
                open = new Action(kindOf(i.kind()), i.iteration(), i.reason(), i.downtimeMillis());
                w.intentSeq = Math.max(w.intentSeq, i.seq());
                w.decidedInReplay = null;
            } else if (e instanceof JournalEntry.Outcome o) {
                if (open != null && o.seq() == openSeq) {
                    if (o.done()) {
                        taken(w, open, o.elapsedMillis());
                    }
                    open = null;
                }
                if (o.error() != null) {
                    w.error = o.error();
                }
            } else if (e instanceof JournalEntry.Note n) {
                switch (n.key()) {
                    case JournalEntry.Note.SUPPRESSED_BY -> {
                        w.suppressedBy = n.value();
                        w.decidedInReplay = null; // suppressed, not carried out: nothing to make up for
                    }
                    case JournalEntry.Note.POSTCOPY_CONFIRMED -> w.postcopyConfirmed = true;
                    case JournalEntry.Note.POSTCOPY_FAILED -> {
                        w.postcopyFailed = true;
                        w.postcopyConfirmed = true;
                    }
                    default -> LOG.debug("{}: journal note {} ignored", vm.name, n.key());
                }
            }
        }
        w.replaying = false;
        if (open != null) {
            w.unsettledSeq = openSeq;
            w.unsettled = open;
        } else if (w.decidedInReplay != null && !w.inPostCopyWhenSeen) {
            // decided, and killed before its intent was written: libvirt was not called, so it is carried out now
            w.unsettledSeq = 0;
            w.unsettled = w.decidedInReplay;
        }
        w.decidedInReplay = null;
        LOG.info("{}: migration {} re-adopted from its journal (policy {}): {} passes, {} action(s) carried out before the restart{}",
                vm.name, w.migrationId, w.policy.name(), w.passes.size(), w.actions.size(),
                w.unsettled == null ? "" : "; " + describe(w.unsettled) + " " + MigrationRecord.atPassPhrase(w.unsettled.iteration())
                        + (w.unsettledSeq > 0 ? " was about to be carried out: libvirt is asked whether it was"
                                : " was decided and not yet carried out: it is now"));
        return true;
    }

    private static ActionKind kindOf(String recordName) {
        for (ActionKind k : ActionKind.values()) {
            if (k.recordName().equals(recordName)) {
                return k;
            }
        }
        throw new IllegalArgumentException("intent.kind: expected one of switch_to_postcopy, raise_downtime, abort, got '" + recordName + "'");
    }

    /**
     * The killed daemon journalled an action and may have died before or after its libvirt call:
     * libvirt's state says which. In effect (post-copy running, the downtime limit set) → recorded as
     * carried out then; otherwise carried out now, once. Also an action decided and not yet journalled
     * as an intent when the daemon died (seq 0): carried out now.
     */
    private void settleUnsettled(VmState vm, MigrationWatch w, JobStats job) {
        Action a = w.unsettled;
        if (a == null) {
            return;
        }
        w.unsettled = null;
        // seq 0: decided, no intent written, so libvirt was never called
        boolean inEffect = w.unsettledSeq > 0 && switch (a.kind()) {
            case SWITCH_TO_POSTCOPY -> (vm.lastStats != null && (vm.lastStats.pausedInPostCopy() || vm.lastStats.pausedPostCopyFailed()))
                    || job.get("memory_postcopy_requests", 0) > 0;
            case RAISE_DOWNTIME -> {
                try {
                    yield hypervisor.maxDowntimeMillis(vm.uuid) == a.downtimeMillis();
                } catch (HypervisorException e) {
                    yield false;
                }
            }
            default -> false; // an abort: the job is still running, so it did not take
        };
        if (inEffect) {
            takenNow(vm, w, a, w.unsettledSeq);
            LOG.info("{}: {} {} was carried out before the restart (libvirt shows it in effect): not repeated", vm.name, describe(a),
                    MigrationRecord.atPassPhrase(a.iteration()));
            return;
        }
        // no outcome for the old intent: the new one supersedes it (a kill in between leaves one open intent, not none)
        LOG.info("{}: {} {} was decided before the restart and shows no effect on libvirt: carried out now", vm.name, describe(a),
                MigrationRecord.atPassPhrase(a.iteration()));
        carryOut(vm, w, a);
    }

    /** The record's error parts, most telling first, "; " between them; null parts left out. */
    private static String joined(String first, String then) {
        return first == null ? then : then == null ? first : first + "; " + then;
    }

    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
