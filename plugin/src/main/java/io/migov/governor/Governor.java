package io.migov.governor;

import io.migov.core.Action;
import io.migov.core.ActionKind;
import io.migov.core.Assessment;
import io.migov.core.Behaviour;
import io.migov.core.ConvergenceDetector;
import io.migov.core.Decision;
import io.migov.core.DecisionCore;
import io.migov.core.IterationRecord;
import io.migov.core.MarkovModel;
import io.migov.core.MigrationController;
import io.migov.core.ModelCodec;
import io.migov.core.PriorMatrix;
import io.migov.core.Prediction;
import io.migov.core.Strategy;
import io.migov.core.WorkloadProfile;
import io.migov.port.DomainStats;
import io.migov.port.Hypervisor;
import io.migov.port.HypervisorException;
import io.migov.port.HypervisorListener;
import io.migov.port.JobStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The engine of the daemon: profiles every running VM once per {@link #tick()}, and steers every
 * outgoing migration with Algorithm 1, from libvirt's own job statistics (ticks) and iteration
 * events. Depends on the decision core and the {@link Hypervisor} port only; time is injected.
 *
 * <p>Threads: {@link #tick()} and {@link #persistModels()} run on the scheduler's threads, libvirt
 * events are handed to the steering executor; per-VM state is guarded by the VM's monitor.
 */
public final class Governor implements HypervisorListener {

    private static final Logger LOG = LoggerFactory.getLogger(Governor.class);
    /** libvirt lifecycle: VIR_DOMAIN_EVENT_SUSPENDED with detail VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY. */
    static final int EVENT_SUSPENDED = 3;
    static final int SUSPENDED_POSTCOPY = 7;
    /** How long a finished job may wait for its JOB_COMPLETED event before it is recorded without it. */
    static final long COMPLETION_GRACE_NANOS = 2_000_000_000L;
    /** QEMU's default maximum downtime, used when libvirt cannot tell. */
    static final long DEFAULT_MAX_DOWNTIME_MILLIS = 300;
    static final int MAX_SWITCH_ATTEMPTS = 50;

    private final Hypervisor hypervisor;
    private final DecisionCore core;
    private final PriorMatrix prior;
    private final double priorWeight;
    private final Supplier<GovernorSettings> settings;
    private final Clock clock;
    private final LongSupplier ticker;
    private final MigrationRecordSink recordSink;
    private final ModelStore modelStore;
    private final Executor steering;

    private final Map<String, VmState> vms = new ConcurrentHashMap<>();
    /** Models handed over before their VM appears here (the libvirt hook at an incoming migration). */
    private final Map<String, MarkovModel> offered = new ConcurrentHashMap<>();
    private final AtomicLong ticks = new AtomicLong();
    private final AtomicLong missedTicks = new AtomicLong();
    private final AtomicLong migrationsSeen = new AtomicLong();
    private final AtomicLong migrationsSteered = new AtomicLong();
    private final AtomicLong switches = new AtomicLong();
    private final AtomicLong fallbacks = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile boolean connected = true;
    private volatile boolean statsFailing;
    /** Management: while set, decisions are taken and recorded but no action is carried out. */
    private volatile boolean steeringPaused;

    private Governor(Builder b) {
        this.hypervisor = Objects.requireNonNull(b.hypervisor, "hypervisor");
        this.core = Objects.requireNonNull(b.core, "core");
        this.prior = b.prior != null ? b.prior : PriorMatrix.uniform(core.discretiser().stateCount());
        this.priorWeight = b.priorWeight;
        this.settings = Objects.requireNonNull(b.settings, "settings");
        this.clock = Objects.requireNonNull(b.clock, "clock");
        this.ticker = Objects.requireNonNull(b.ticker, "ticker");
        this.recordSink = Objects.requireNonNull(b.recordSink, "recordSink");
        this.modelStore = Objects.requireNonNull(b.modelStore, "modelStore");
        this.steering = Objects.requireNonNull(b.steering, "executor");
        if (prior.stateCount() != core.discretiser().stateCount()) {
            throw new IllegalArgumentException("prior.states: expected " + core.discretiser().stateCount() + ", got " + prior.stateCount());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    // =========================================================================== the profiler tick

    /** One profiler tick: one bulk stats call, then each domain's job statistics. */
    public void tick() {
        ticks.incrementAndGet();
        GovernorSettings s = settings.get();
        List<DomainStats> stats;
        try {
            stats = hypervisor.runningDomainStats();
            if (statsFailing) {
                LOG.info("domain statistics available again");
                statsFailing = false;
            }
        } catch (HypervisorException e) {
            if (!statsFailing) {
                LOG.warn("cannot read domain statistics ({}); retrying every tick", e.getMessage());
                statsFailing = true;
            }
            return;
        }
        long now = ticker.getAsLong();
        Set<String> present = new HashSet<>();
        for (DomainStats d : stats) {
            present.add(d.uuid());
            if (!d.running() && !vms.containsKey(d.uuid())) {
                // a paused newcomer is usually an incoming migration: libvirt holds its job lock, and
                // its model (metadata, hook) is complete only once it runs here
                continue;
            }
            VmState vm = vms.computeIfAbsent(d.uuid(), uuid -> adopt(d, now));
            vm.name = d.name();
            profile(vm, d, now, s);
            JobStats job;
            try {
                job = hypervisor.jobStats(d.uuid());
            } catch (HypervisorException e) {
                if (e.kind() != HypervisorException.Kind.NO_DOMAIN) {
                    LOG.debug("job stats of {}: {}", d.name(), e.getMessage());
                }
                continue;
            }
            onJob(vm, job, now);
        }
        for (VmState vm : new ArrayList<>(vms.values())) {
            if (!present.contains(vm.uuid)) {
                departed(vm, now);
            }
        }
    }

    private void profile(VmState vm, DomainStats d, long now, GovernorSettings s) {
        synchronized (vm) {
            DomainStats previous = vm.lastStats;
            long elapsed = now - vm.lastStatsNanos;
            vm.lastStats = d;
            vm.lastStatsNanos = now;
            if (vm.watch != null) {
                return; // the migration's own load is not the workload: don't learn it
            }
            if (previous == null || !d.running() || !previous.running() || elapsed <= 0) {
                return;
            }
            UsageCalculator.Usage usage = UsageCalculator.usage(previous, d, elapsed, s.linkCapacityBitsPerSecond());
            vm.memorySource = usage.memorySource();
            vm.profile.tick(usage.sample());
        }
    }

    /** A VM seen for the first time: adopt the model that travelled with it, or its checkpoint. */
    private VmState adopt(DomainStats d, long now) {
        Candidate fromMetadata = null;
        Candidate fromCheckpoint = null;
        try {
            String xml = hypervisor.metadata(d.uuid());
            if (xml != null) {
                fromMetadata = decode("metadata", d, ModelMetadata.fromElement(xml));
            }
        } catch (HypervisorException e) {
            LOG.warn("{}: cannot read migov metadata ({}); starting without it", d.name(), e.getMessage());
        } catch (IllegalArgumentException e) {
            LOG.warn("{}: ignoring corrupt or foreign migov metadata ({}); VM untouched", d.name(), e.getMessage());
        }
        try {
            Optional<String> json = modelStore.load(d.uuid());
            if (json.isPresent()) {
                fromCheckpoint = decode("checkpoint", d, json.get());
            }
        } catch (IOException e) {
            LOG.warn("{}: cannot read the model checkpoint ({})", d.name(), e.getMessage());
        }
        MarkovModel handed = offered.remove(d.uuid());
        Candidate chosen = null;
        for (Candidate c : new Candidate[] {handed == null ? null : new Candidate("hook", handed), fromMetadata, fromCheckpoint}) {
            if (c != null && (chosen == null || c.model.samples() > chosen.model.samples())) {
                chosen = c;
            }
        }
        MarkovModel model = chosen != null ? chosen.model : new MarkovModel(prior, priorWeight);
        String source = chosen != null ? chosen.source : "new";
        WorkloadProfile profile = new WorkloadProfile(core, model);
        profile.breakChain(); // whatever happened between the last sample and now is unknown
        LOG.info("{} ({}): profiling; model from {} ({} samples)", d.name(), d.uuid(), source, model.samples());
        VmState vm = new VmState(d.uuid(), d.name(), profile, source, now);
        vm.lastSyncedSamples = chosen != null && "metadata".equals(source) ? model.samples() : -1;
        return vm;
    }

    private record Candidate(String source, MarkovModel model) {
    }

    private Candidate decode(String source, DomainStats d, String json) {
        try {
            return new Candidate(source, ModelCodec.decode(json, prior, priorWeight));
        } catch (IllegalArgumentException e) {
            LOG.warn("{}: ignoring the model from {} ({}); VM untouched", d.name(), source, e.getMessage());
            return null;
        }
    }

    // =========================================================================== migrations

    private void onJob(VmState vm, JobStats job, long now) {
        synchronized (vm) {
            if (job.isOutgoingMigration()) {
                MigrationWatch w = vm.watch;
                boolean fresh = w == null;
                if (fresh) {
                    w = startWatch(vm, job);
                } else {
                    retryPendingSwitch(vm, w);
                }
                w.goneSinceNanos = -1;
                w.lastJob = job;
                feedPass(vm, w, job);
            } else if (vm.watch != null) {
                MigrationWatch w = vm.watch;
                if (w.goneSinceNanos < 0) {
                    w.goneSinceNanos = now;
                }
                if (w.completedStats != null || now - w.goneSinceNanos >= COMPLETION_GRACE_NANOS) {
                    // the job ended and the VM is still here: the migration failed or was cancelled
                    JobStats end = w.completedStats != null ? w.completedStats : job;
                    finish(vm, end, false);
                }
            }
        }
    }

    private void departed(VmState vm, long now) {
        synchronized (vm) {
            MigrationWatch w = vm.watch;
            if (w != null) {
                if (w.goneSinceNanos < 0) {
                    w.goneSinceNanos = now;
                }
                if (w.completedStats == null && now - w.goneSinceNanos < COMPLETION_GRACE_NANOS) {
                    return; // give JOB_COMPLETED a moment to arrive with the final numbers
                }
                finish(vm, w.completedStats != null ? w.completedStats : w.lastJob, true);
            }
            checkpoint(vm);
            vms.remove(vm.uuid);
            LOG.info("{}: left this host", vm.name);
        }
    }

    private MigrationWatch startWatch(VmState vm, JobStats job) {
        GovernorSettings s = settings.get();
        migrationsSeen.incrementAndGet();
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
        ConvergenceDetector detector = new ConvergenceDetector(s.convergence(), allowedDowntime);
        // Whether post-copy is permitted is not visible through libvirt's API: assume it is and let
        // libvirt's refusal of the switch withdraw it (MigrationController.postCopyRefused).
        MigrationController controller = new MigrationController(s.controller(), decision, behaviour, true);
        MigrationWatch w = new MigrationWatch(s.mode(), clock.millis() - job.get("time_elapsed", 0), state, decision,
                behaviour, s.lookAhead(), detector, controller);
        vm.watch = w;
        vm.profile.breakChain();
        LOG.info("{}: outgoing migration seen (mode {}); state {} → {} ({}); {}", vm.name, s.mode().configName(), state,
                decision.strategy(), decision.reason(), behaviour);
        if (s.mode() != Mode.OFF) {
            carryOut(vm, w, controller.start(), null);
        }
        return w;
    }

    private void feedPass(VmState vm, MigrationWatch w, JobStats job) {
        int iteration = (int) job.get("memory_iteration", -1);
        if (iteration < 1 || iteration <= w.lastIteration) {
            return;
        }
        w.lastIteration = iteration;
        long dirty = job.get("memory_dirty_rate", 0);
        // libvirt reports 0 until QEMU has measured a pass; 0 is read as "unknown", never as "clean"
        double dirtyRate = dirty > 0 ? dirty : Double.NaN;
        IterationRecord record = new IterationRecord(iteration, dirtyRate, Math.max(0, job.get("memory_remaining", 0)),
                Math.max(0, job.get("memory_bps", 0)));
        w.lastRecord = record;
        Assessment a = w.detector.observe(record);
        w.passes.add(new MigrationRecord.Pass(iteration, job.get("time_elapsed", -1), dirty > 0 ? (double) dirty : null,
                record.remainingBytes(), record.transferRateBytesPerSecond(), a.verdict().name()));
        LOG.info("{}: pass {}: remaining {} MiB, dirty {} pages/s, {} MiB/s: {}", vm.name, iteration,
                record.remainingBytes() >> 20, dirty, Math.round(record.transferRateBytesPerSecond() / 1048576.0), a.verdict());
        if (w.mode != Mode.OFF) {
            carryOut(vm, w, w.controller.onPass(record, a), record);
        }
    }

    private void carryOut(VmState vm, MigrationWatch w, Action action, IterationRecord record) {
        w.lastReason = action.reason();
        if (action.isNone()) {
            return;
        }
        w.advised = action;
        if (w.mode == Mode.ADVISE) {
            LOG.info("{}: advise: would {} at pass {}: {}", vm.name, action.kind().recordName(), action.iteration(), action.reason());
            return;
        }
        if (steeringPaused) {
            w.suppressedBy = "steering paused: would " + action.kind().recordName() + " at pass " + action.iteration() + ": " + action.reason();
            LOG.info("{}: {}", vm.name, w.suppressedBy);
            return;
        }
        switch (action.kind()) {
            case SWITCH_TO_POSTCOPY -> {
                w.pendingSwitch = action;
                w.switchAttempts = 0;
                retryPendingSwitch(vm, w);
            }
            case RAISE_DOWNTIME -> {
                try {
                    hypervisor.setMaxDowntimeMillis(vm.uuid, action.downtimeMillis());
                    w.taken = action;
                    migrationsSteered.incrementAndGet();
                    fallbacks.incrementAndGet();
                    LOG.info("{}: raised max downtime to {} ms at pass {}: {}", vm.name, action.downtimeMillis(), action.iteration(), action.reason());
                } catch (HypervisorException e) {
                    actionFailed(vm, w, action, e);
                }
            }
            default -> throw new IllegalStateException("unexpected action " + action.kind());
        }
    }

    /** Tries the pending post-copy switch; libvirt refuses it for a moment after a migration starts. */
    private void retryPendingSwitch(VmState vm, MigrationWatch w) {
        Action action = w.pendingSwitch;
        if (action == null) {
            return;
        }
        if (steeringPaused) {
            w.pendingSwitch = null;
            w.suppressedBy = "steering paused: would " + action.kind().recordName() + " at pass " + action.iteration() + ": " + action.reason();
            LOG.info("{}: {}", vm.name, w.suppressedBy);
            return;
        }
        w.switchAttempts++;
        try {
            hypervisor.startPostCopy(vm.uuid);
            w.pendingSwitch = null;
            w.taken = action;
            migrationsSteered.incrementAndGet();
            switches.incrementAndGet();
            LOG.info("{}: switched to post-copy at pass {}: {}", vm.name, action.iteration(), action.reason());
        } catch (HypervisorException e) {
            switch (e.kind()) {
                case NOT_READY -> {
                    if (w.switchAttempts >= MAX_SWITCH_ATTEMPTS) {
                        w.pendingSwitch = null;
                        actionFailed(vm, w, action, e);
                    } else if (steering instanceof java.util.concurrent.ScheduledExecutorService ses) {
                        ses.schedule(() -> {
                            synchronized (vm) {
                                if (vm.watch == w) {
                                    retryPendingSwitch(vm, w);
                                }
                            }
                        }, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
                    }
                }
                case POSTCOPY_NOT_PERMITTED -> {
                    w.pendingSwitch = null;
                    LOG.info("{}: libvirt refused post-copy ({}); falling back to raising the downtime", vm.name, e.getMessage());
                    carryOut(vm, w, w.controller.postCopyRefused(w.lastRecord), w.lastRecord);
                }
                default -> {
                    w.pendingSwitch = null;
                    actionFailed(vm, w, action, e);
                }
            }
        }
    }

    private void actionFailed(VmState vm, MigrationWatch w, Action action, HypervisorException e) {
        errors.incrementAndGet();
        w.error = action.kind().recordName() + " failed: " + e.getMessage();
        if (e.kind() == HypervisorException.Kind.NO_DOMAIN) {
            LOG.info("{}: {} not carried out, the migration already ended ({})", vm.name, action.kind().recordName(), e.getMessage());
        } else {
            LOG.warn("{}: {} failed: {}", vm.name, action.kind().recordName(), e.getMessage());
        }
    }

    private void finish(VmState vm, JobStats end, boolean departed) {
        MigrationWatch w = vm.watch;
        vm.watch = null;
        vm.profile.breakChain();
        JobStats fin = end != null ? end : JobStats.none();
        boolean completed = departed || fin.type() == JobStats.Type.COMPLETED;
        String outcome = switch (fin.type()) {
            case COMPLETED -> "completed";
            case FAILED -> "failed";
            case CANCELLED -> "cancelled";
            default -> departed ? "completed" : "failed";
        };
        long postcopyRequests = Math.max(0, fin.get("memory_postcopy_requests", w.lastJob == null ? 0 : w.lastJob.get("memory_postcopy_requests", 0)));
        boolean confirmed = w.postcopyConfirmed || postcopyRequests > 0;
        Action taken = w.taken;
        String actionName = taken == null ? ActionKind.NONE.recordName() : taken.kind().recordName();
        String reason = taken != null ? taken.reason() : w.mode == Mode.OFF ? "mode off"
                : w.suppressedBy != null ? w.suppressedBy : w.lastReason;
        if (taken != null && taken.kind() == ActionKind.SWITCH_TO_POSTCOPY && !confirmed) {
            reason = reason + " (switch requested; the migration finished without entering post-copy)";
        }
        // a failed or aborted job has no final statistics: the last ones seen while it ran stand in
        JobStats last = w.lastJob != null ? w.lastJob : JobStats.none();
        long totalMillis = fin.has("time_elapsed") ? fin.get("time_elapsed", -1) : last.get("time_elapsed", -1);
        long bytes = fin.has("data_processed") ? fin.get("data_processed", -1)
                : fin.has("memory_processed") ? fin.get("memory_processed", -1) : last.get("data_processed", -1);
        MigrationRecord record = new MigrationRecord(vm.name, vm.uuid, hypervisor.uri(), w.mode.configName(), w.startEpochMillis,
                clock.millis(), outcome, completed, totalMillis, completed ? fin.get("downtime", -1) : -1, bytes,
                Math.max(w.lastIteration, (int) fin.get("memory_iteration", 0)), w.stateAtStart,
                w.mode == Mode.OFF ? "none" : w.decision.strategy().name(), w.decision.reason(),
                w.behaviour.memoryIntensiveShare(), w.behaviour.netOutIntensiveShare(), w.behaviour.netInIntensiveShare(), w.lookAhead,
                actionName, taken == null ? -1 : taken.iteration(), reason,
                w.advised == null ? ActionKind.NONE.recordName() : w.advised.kind().recordName(),
                taken != null && taken.kind() == ActionKind.RAISE_DOWNTIME ? taken.downtimeMillis() : -1,
                confirmed, postcopyRequests, w.error != null ? w.error : fin.strings().get("errmsg"), w.passes);
        LOG.info("{}: migration {} in {} ms, downtime {} ms, {} passes, strategy {}, action {} at pass {}", vm.name, outcome,
                record.totalTimeMs(), record.downtimeMs(), record.iterations(), record.strategy(), record.action(), record.actionIteration());
        try {
            recordSink.write(record);
        } catch (IOException e) {
            errors.incrementAndGet();
            LOG.error("{}: cannot write the migration record: {}", vm.name, e.getMessage());
        }
    }

    // =========================================================================== events

    @Override
    public void onMigrationIteration(String uuid, int iteration) {
        steering.execute(() -> {
            VmState vm = vms.get(uuid);
            if (vm == null) {
                return; // not profiled yet; the next tick adopts it and reads the job
            }
            try {
                onJob(vm, hypervisor.jobStats(uuid), ticker.getAsLong());
            } catch (HypervisorException e) {
                LOG.debug("{}: job stats after pass {}: {}", vm.name, iteration, e.getMessage());
            }
        });
    }

    @Override
    public void onJobCompleted(String uuid, JobStats finalStats) {
        steering.execute(() -> {
            VmState vm = vms.get(uuid);
            if (vm == null) {
                return;
            }
            synchronized (vm) {
                if (vm.watch != null) {
                    vm.watch.completedStats = finalStats;
                    if (finalStats.type() == JobStats.Type.COMPLETED) {
                        finish(vm, finalStats, true);
                    }
                }
            }
        });
    }

    @Override
    public void onLifecycle(String uuid, int event, int detail) {
        if (event == EVENT_SUSPENDED && detail == SUSPENDED_POSTCOPY) {
            steering.execute(() -> {
                VmState vm = vms.get(uuid);
                if (vm != null) {
                    synchronized (vm) {
                        if (vm.watch != null) {
                            vm.watch.postcopyConfirmed = true;
                        }
                    }
                }
            });
        }
    }

    @Override
    public void onConnectionLost(String reason) {
        connected = false;
    }

    @Override
    public void onConnectionRestored() {
        connected = true;
    }

    // =========================================================================== models

    /**
     * Writes each VM's model to its domain metadata and its checkpoint when their intervals have
     * elapsed. libvirt calls are made outside the VM's lock: a metadata write that races a starting
     * migration waits up to 30 s for the migration's job lock, and the profiler tick must not wait
     * with it.
     */
    public void persistModels() {
        GovernorSettings s = settings.get();
        long now = ticker.getAsLong();
        for (VmState vm : vms.values()) {
            String json;
            long samples;
            boolean syncDue;
            boolean checkpointDue;
            synchronized (vm) {
                if (vm.watch != null) {
                    continue; // libvirt holds the domain's job lock during a migration: don't queue behind it
                }
                samples = vm.profile.samples();
                syncDue = samples != vm.lastSyncedSamples && now - vm.lastSyncNanos >= s.modelSyncIntervalSeconds() * 1_000_000_000L;
                checkpointDue = samples != vm.lastCheckpointedSamples
                        && now - vm.lastCheckpointNanos >= s.checkpointIntervalSeconds() * 1_000_000_000L;
                if (!syncDue && !checkpointDue) {
                    continue;
                }
                json = vm.profile.exportModel();
                if (syncDue) {
                    vm.lastSyncNanos = now;
                }
                if (checkpointDue) {
                    vm.lastCheckpointNanos = now;
                }
            }
            if (syncDue && writeMetadata(vm, json)) {
                synchronized (vm) {
                    vm.lastSyncedSamples = samples;
                }
            }
            if (checkpointDue && save(vm, json)) {
                synchronized (vm) {
                    vm.lastCheckpointedSamples = Math.max(vm.lastCheckpointedSamples, samples);
                }
            }
        }
    }

    private boolean writeMetadata(VmState vm, String json) {
        try {
            if (hypervisor.jobStats(vm.uuid).isActive()) {
                return false; // any job (a migration starting now) holds the lock the write would wait for
            }
            hypervisor.setMetadata(vm.uuid, ModelMetadata.toElement(json));
            return true;
        } catch (HypervisorException e) {
            LOG.debug("{}: metadata not written: {}", vm.name, e.getMessage());
            return false;
        }
    }

    private boolean save(VmState vm, String json) {
        try {
            modelStore.save(vm.uuid, json);
            return true;
        } catch (IOException e) {
            errors.incrementAndGet();
            LOG.warn("{}: checkpoint failed: {}", vm.name, e.getMessage());
            return false;
        }
    }

    /** Checkpoints every VM's model now (shutdown). */
    public void checkpointAll() {
        for (VmState vm : vms.values()) {
            synchronized (vm) {
                checkpoint(vm);
            }
        }
    }

    private void checkpoint(VmState vm) {
        long samples = vm.profile.samples();
        if (samples != vm.lastCheckpointedSamples && samples > 0 && save(vm, vm.profile.exportModel())) {
            vm.lastCheckpointedSamples = samples;
        }
    }

    /**
     * Hands over a VM's model before the VM appears on this host (the libvirt hook reads it from
     * the incoming domain XML at {@code migrate begin}). Used when the VM is adopted, if no other
     * source has more samples. Returns false, changing nothing, for a model that does not decode.
     */
    public boolean offerModel(String uuid, String modelJson) {
        MarkovModel model;
        try {
            model = ModelCodec.decode(modelJson, prior, priorWeight);
        } catch (IllegalArgumentException e) {
            LOG.warn("{}: ignoring a handed-over model ({})", uuid, e.getMessage());
            return false;
        }
        if (vms.containsKey(uuid)) {
            return false; // already here with its own model
        }
        offered.put(uuid, model);
        return true;
    }

    // =========================================================================== views

    public void recordMissedTick() {
        missedTicks.incrementAndGet();
    }

    public GovernorStats stats() {
        return new GovernorStats(ticks.get(), missedTicks.get(), vms.size(), migrationsSeen.get(), migrationsSteered.get(),
                switches.get(), fallbacks.get(), errors.get(), connected && hypervisor.connected());
    }

    /** The profile of a VM by UUID, if this host knows it. */
    public Optional<WorkloadProfile> profile(String uuid) {
        VmState vm = vms.get(uuid);
        return vm == null ? Optional.empty() : Optional.of(vm.profile);
    }

    /** Point-in-time view of every VM known here. */
    public List<VmView> vms() {
        List<VmView> out = new ArrayList<>();
        for (VmState vm : vms.values()) {
            synchronized (vm) {
                out.add(VmView.of(vm, core));
            }
        }
        out.sort(java.util.Comparator.comparing(VmView::name));
        return out;
    }

    public DecisionCore core() {
        return core;
    }

    // =========================================================================== management

    /** The view of one VM by UUID, if this host knows it. */
    public Optional<VmView> vm(String uuid) {
        VmState vm = vms.get(uuid);
        if (vm == null) {
            return Optional.empty();
        }
        synchronized (vm) {
            return Optional.of(VmView.of(vm, core));
        }
    }

    /** Every outgoing migration being watched now, by VM name. */
    public List<MigrationView> activeMigrations() {
        List<MigrationView> out = new ArrayList<>();
        for (VmState vm : vms.values()) {
            synchronized (vm) {
                if (vm.watch != null) {
                    out.add(MigrationView.of(vm.uuid, vm.name, vm.watch, clock.millis(), steeringPaused));
                }
            }
        }
        out.sort(java.util.Comparator.comparing(MigrationView::vm));
        return out;
    }

    /** The outgoing migration of a VM being watched now, if any. */
    public Optional<MigrationView> activeMigration(String uuid) {
        VmState vm = vms.get(uuid);
        if (vm == null) {
            return Optional.empty();
        }
        synchronized (vm) {
            return vm.watch == null ? Optional.empty()
                    : Optional.of(MigrationView.of(vm.uuid, vm.name, vm.watch, clock.millis(), steeringPaused));
        }
    }

    /**
     * Pauses steering: migrations are still watched, decided, logged and recorded (as advised), but
     * no action is carried out until {@link #resumeSteering()}. Idempotent.
     *
     * @return true when this call paused it, false when it was already paused
     */
    public boolean pauseSteering() {
        boolean changed = !steeringPaused;
        steeringPaused = true;
        if (changed) {
            LOG.info("steering paused: decisions are logged and recorded, no action is carried out");
        }
        return changed;
    }

    /** Resumes steering after {@link #pauseSteering()}. Idempotent: true when this call resumed it. */
    public boolean resumeSteering() {
        boolean changed = steeringPaused;
        steeringPaused = false;
        if (changed) {
            LOG.info("steering resumed");
        }
        return changed;
    }

    public boolean steeringPaused() {
        return steeringPaused;
    }

    /** Builder for the one governor of a daemon. */
    public static final class Builder {
        private Hypervisor hypervisor;
        private DecisionCore core;
        private PriorMatrix prior;
        private double priorWeight;
        private Supplier<GovernorSettings> settings = () -> GovernorSettings.DEFAULTS;
        private Clock clock = Clock.systemUTC();
        private LongSupplier ticker = System::nanoTime;
        private MigrationRecordSink recordSink;
        private ModelStore modelStore;
        private Executor steering;

        public Builder hypervisor(Hypervisor h) {
            this.hypervisor = h;
            return this;
        }

        public Builder core(DecisionCore c) {
            this.core = c;
            return this;
        }

        public Builder prior(PriorMatrix p, double weight) {
            this.prior = p;
            this.priorWeight = weight;
            return this;
        }

        public Builder settings(Supplier<GovernorSettings> s) {
            this.settings = s;
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = c;
            return this;
        }

        public Builder ticker(LongSupplier t) {
            this.ticker = t;
            return this;
        }

        public Builder recordSink(MigrationRecordSink sink) {
            this.recordSink = sink;
            return this;
        }

        public Builder modelStore(ModelStore store) {
            this.modelStore = store;
            return this;
        }

        public Builder executor(Executor e) {
            this.steering = e;
            return this;
        }

        /** Builds the governor and registers it as the hypervisor's listener. */
        public Governor build() {
            Governor g = new Governor(this);
            g.hypervisor.setListener(g);
            return g;
        }
    }
}
