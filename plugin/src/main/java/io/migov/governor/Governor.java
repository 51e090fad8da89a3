// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

import io.migov.core.DecisionCore;
import io.migov.core.MarkovModel;
import io.migov.core.ModelCodec;
import io.migov.core.PriorMatrix;
import io.migov.core.WorkloadProfile;
import io.migov.port.DomainState;
import io.migov.port.DomainStats;
import io.migov.port.Hypervisor;
import io.migov.port.HypervisorException;
import io.migov.port.HypervisorListener;
import io.migov.port.JobStats;
import io.migov.port.PeerHosts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
 * The engine of the daemon: profiles every running VM once per {@link #tick()} and keeps each VM's
 * model from one bulk statistics call; every outgoing migration it learns of (libvirt's iteration
 * and lifecycle events, a one-off job read when a VM appears, pauses or the connection comes back)
 * is handed to {@link MigrationSteering}, which steers it with the configured policy, reading its
 * job every tick while it runs. Depends on the decision core and the {@link Hypervisor} port only;
 * time is injected.
 *
 * <p>Threads: {@link #tick()} and {@link #persistModels()} run on the scheduler's threads; libvirt
 * events, job reads and steering run on the steering executor, in one {@link SerialLanes lane} per
 * VM (in order for a VM, side by side across VMs); per-VM state is guarded by the VM's monitor.
 */
public final class Governor implements HypervisorListener {

    private static final Logger LOG = LoggerFactory.getLogger(Governor.class);
    /** libvirt lifecycle: VIR_DOMAIN_EVENT_SUSPENDED with detail VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY. */
    static final int EVENT_SUSPENDED = 3;
    static final int SUSPENDED_POSTCOPY = 7;
    /** VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY_FAILED: libvirt gave up a post-copy migration and paused the domain. */
    static final int SUSPENDED_POSTCOPY_FAILED = 8;
    /** VIR_DOMAIN_EVENT_SUSPENDED_MIGRATED: the source paused for the migration's final stop-and-copy. */
    static final int SUSPENDED_MIGRATED = 1;
    /** VIR_DOMAIN_EVENT_STOPPED: its detail says whether the VM stopped here for the migration or for something else. */
    static final int EVENT_STOPPED = 5;
    /** Job reads for VMs whose job is unknown (adopted, paused, after a reconnect), per tick. */
    static final int PROBES_PER_TICK = 25;
    /** New VMs adopted per tick (each costs a metadata read and a checkpoint load). */
    static final int ADOPTIONS_PER_TICK = 50;

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
    private final MigrationJournal journal;
    private final PeerHosts peers;

    private final Map<String, VmState> vms = new ConcurrentHashMap<>();
    /** VMs whose job is to be read once; drained {@link #PROBES_PER_TICK} per tick. */
    private final Set<String> toProbe = ConcurrentHashMap.newKeySet();
    /** Changes whenever a VM arrives, leaves or is renamed: readers rebuild their view of the set only then. */
    private final AtomicLong membership = new AtomicLong();
    private final SerialLanes lanes;
    /** Models handed over before their VM appears here (the libvirt hook at an incoming migration). */
    private final Map<String, MarkovModel> offered = new ConcurrentHashMap<>();
    private final GovernorCounters counters = new GovernorCounters();
    private final MigrationSteering steeringRunner;
    private final WriteIntensitySampler writeSampler;
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
        this.journal = Objects.requireNonNull(b.journal, "journal");
        this.peers = Objects.requireNonNull(b.peers, "peers");
        this.lanes = new SerialLanes(steering);
        this.writeSampler = new WriteIntensitySampler(hypervisor);
        this.steeringRunner = new MigrationSteering(hypervisor, settings, clock, recordSink, steering, counters, () -> steeringPaused,
                journal);
        if (prior.stateCount() != core.discretiser().stateCount()) {
            throw new IllegalArgumentException("prior.states: expected " + core.discretiser().stateCount() + ", got " + prior.stateCount());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    // =========================================================================== the profiler tick

    /**
     * One profiler tick: one bulk statistics call, and nothing per VM that costs a libvirt call.
     * Job statistics are read only where a migration runs or may run: every tick for each watched
     * migration (the policy sees time pass between passes), once for a VM just adopted, paused, or
     * re-checked after a reconnect (at most {@link #PROBES_PER_TICK} a tick). Those reads and what
     * they lead to run on the VM's steering lane, not here, so one slow migration holds up neither
     * the tick nor another migration. A new migration is announced by libvirt's events
     * ({@link #onMigrationIteration}: QEMU reports pass 1 as the migration starts).
     */
    public void tick() {
        counters.ticks.incrementAndGet();
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
        Set<String> present = new HashSet<>(stats.size() * 2);
        int adopted = 0;
        for (DomainStats d : stats) {
            present.add(d.uuid());
            VmState vm = vms.get(d.uuid());
            if (vm == null) {
                boolean journalled = steeringRunner.journalled(d.uuid());
                if (!d.running() && !d.pausedInPostCopy() && !journalled) {
                    // a paused newcomer is usually an incoming migration: libvirt holds its job lock, and
                    // its model (metadata, hook) is complete only once it runs here. A source paused in
                    // post-copy (the daemon restarted after the switch) is adopted: its migration gets a record
                    continue;
                }
                if (adopted >= ADOPTIONS_PER_TICK && !journalled) {
                    continue; // a daemon starting beside hundreds of VMs adopts them over a few ticks
                }
                adopted++;
                vm = adopt(d, now);
                synchronized (vm) {
                    steeringRunner.readopt(vm); // a migration the last daemon was steering: taken up from its journal
                }
                vms.put(vm.uuid, vm);
                membership.incrementAndGet();
                toProbe.add(vm.uuid); // a migration that began before we saw the VM sent its first event already
            }
            if (!d.name().equals(vm.name)) {
                vm.name = d.name();
                membership.incrementAndGet();
            }
            boolean wasRunning = profile(vm, d, now, s);
            if (d.pausedPostCopyFailed()) {
                if (!vm.postcopyFailureReported) {
                    postCopyFailed(vm, "statistics"); // the event may have been lost (a reconnect, a daemon started afterwards)
                }
            } else if (d.running()) {
                vm.postcopyFailureReported = false; // recovered or resumed: a later failure is a new episode
            }
            if (vm.watch != null) {
                poll(vm);
            } else if (wasRunning && !d.running()) {
                toProbe.add(vm.uuid); // paused: stop-and-copy or post-copy of a migration whose events we missed
            }
        }
        for (Map.Entry<String, String> j : steeringRunner.journalledVms().entrySet()) {
            if (!present.contains(j.getKey()) && !vms.containsKey(j.getKey())) {
                // journalled, but gone from this host while no daemon watched: settled as a departure, from evidence
                VmState vm = new VmState(j.getKey(), j.getValue(), new WorkloadProfile(core, new MarkovModel(prior, priorWeight)),
                        "journal", now);
                synchronized (vm) {
                    steeringRunner.readopt(vm);
                }
                vms.put(vm.uuid, vm);
                membership.incrementAndGet();
            }
        }
        for (VmState vm : new ArrayList<>(vms.values())) {
            if (!present.contains(vm.uuid)) {
                departed(vm, now);
            }
        }
        probeSome();
    }

    /** Hands a post-copy failure to steering on the VM's lane (steering reports each failure once). */
    private void postCopyFailed(VmState vm, String seenBy) {
        lanes.execute(vm.uuid, () -> {
            synchronized (vm) {
                steeringRunner.postCopyFailed(vm, seenBy);
            }
        });
    }

    /** Reads the job of a watched migration on its lane; one read queued at a time per VM. */
    private void poll(VmState vm) {
        if (vm.pollQueued.compareAndSet(false, true)) {
            lanes.execute(vm.uuid, () -> {
                vm.pollQueued.set(false);
                readJob(vm, "poll");
            });
        }
    }

    /** One job read each for a few VMs whose job is unknown. */
    private void probeSome() {
        int n = 0;
        Iterator<String> it = toProbe.iterator();
        while (it.hasNext() && n < PROBES_PER_TICK) {
            String uuid = it.next();
            it.remove();
            VmState vm = vms.get(uuid);
            if (vm != null && vm.watch == null) {
                n++;
                poll(vm);
            }
        }
    }

    private void readJob(VmState vm, String why) {
        JobStats job;
        try {
            job = hypervisor.jobStats(vm.uuid);
        } catch (HypervisorException e) {
            if (e.kind() != HypervisorException.Kind.NO_DOMAIN) {
                LOG.debug("{}: job stats ({}): {}", vm.name, why, e.getMessage());
            }
            return;
        }
        onJob(vm, job, ticker.getAsLong());
    }

    /**
     * Starts and collects dirty-rate calculations ({@link WriteIntensitySampler}); each VM's next
     * samples carry the result. Called by the daemon's persistence job, not the tick: a call that
     * races a starting migration may wait for libvirt's job lock.
     */
    public void measureWriteIntensity() {
        writeSampler.tick(vms.values(), ticker.getAsLong(), settings.get());
    }

    /** Learns the second from two readings; returns whether the VM was running at the previous one. */
    private boolean profile(VmState vm, DomainStats d, long now, GovernorSettings s) {
        synchronized (vm) {
            DomainStats previous = vm.lastStats;
            long elapsed = now - vm.lastStatsNanos;
            vm.lastStats = d;
            vm.lastStatsNanos = now;
            boolean wasRunning = previous == null || previous.running();
            if (previous != null && elapsed > 0) {
                vm.diskRate = UsageCalculator.diskRate(previous, d, elapsed);
            }
            if (vm.watch != null) {
                return wasRunning; // the migration's own load is not the workload: don't learn it
            }
            if (previous == null || !d.running() || !previous.running() || elapsed <= 0) {
                return wasRunning;
            }
            UsageCalculator.Usage usage = UsageCalculator.usage(previous, d, elapsed, s.linkCapacityBitsPerSecond(), vm.writePercent);
            vm.memorySource = usage.memorySource();
            vm.profile.tick(usage.sample(), s.lookAhead());
            return true;
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
            steeringRunner.onJob(vm, job, now);
        }
    }

    private void departed(VmState vm, long now) {
        MigrationSteering.Departure d;
        synchronized (vm) {
            d = steeringRunner.departed(vm, now);
            if (d == MigrationSteering.Departure.GONE) {
                checkpoint(vm);
                vms.remove(vm.uuid);
                toProbe.remove(vm.uuid);
                membership.incrementAndGet();
                LOG.info("{}: left this host", vm.name);
            }
        }
        if (d == MigrationSteering.Departure.READ_STATE) {
            lanes.execute(vm.uuid, () -> readStateAfterLeaving(vm));
        }
    }

    /**
     * Asks libvirt what is left of a VM that left during its migration with no event saying how; on
     * its lane, not the tick. The next tick lets the VM go once it is recorded.
     */
    private void readStateAfterLeaving(VmState vm) {
        synchronized (vm) {
            if (vm.watch == null) {
                return; // an event queued before this read settled it
            }
        }
        VanishEvidence evidence;
        try {
            evidence = new VanishEvidence.StateAfter(hypervisor.domainState(vm.uuid));
        } catch (HypervisorException e) {
            if (e.kind() != HypervisorException.Kind.NO_DOMAIN) {
                LOG.info("{}: state after leaving unknown: {}", vm.name, e.getMessage());
            }
            evidence = new VanishEvidence.NoTrace(e.getMessage());
        }
        if (evidence instanceof VanishEvidence.NoTrace || evidence instanceof VanishEvidence.StateAfter a
                && a.state().state() == DomainState.SHUTOFF && a.state().reason() == DomainState.SHUTOFF_UNKNOWN) {
            // nothing here says where it went: the destination can (config peers)
            Optional<PeerHosts.Sighting> seen = peers.find(vm.uuid);
            if (seen.isPresent()) {
                LOG.info("{}: gone from this host, found on {} (state {}, reason {})", vm.name, seen.get().uri(),
                        seen.get().state().state() == DomainState.RUNNING ? "running" : seen.get().state().state(), seen.get().state().reason());
                evidence = new VanishEvidence.OnPeer(seen.get().uri(), seen.get().state());
            }
        }
        synchronized (vm) {
            steeringRunner.vanished(vm, evidence);
        }
    }

    // =========================================================================== events

    @Override
    public void onMigrationIteration(String uuid, int iteration) {
        lanes.execute(uuid, () -> {
            VmState vm = vms.get(uuid);
            if (vm == null) {
                return; // not profiled yet; adopting it reads its job once
            }
            readJob(vm, "pass " + iteration);
        });
    }

    @Override
    public void onJobCompleted(String uuid, JobStats finalStats) {
        lanes.execute(uuid, () -> {
            VmState vm = vms.get(uuid);
            if (vm == null) {
                return;
            }
            synchronized (vm) {
                steeringRunner.completed(vm, finalStats);
            }
        });
    }

    @Override
    public void onLifecycle(String uuid, int event, int detail) {
        if (event == EVENT_STOPPED) {
            lanes.execute(uuid, () -> {
                VmState vm = vms.get(uuid);
                if (vm != null) {
                    synchronized (vm) {
                        steeringRunner.stopped(vm, detail); // only a watched migration's VM is of interest
                    }
                }
            });
            return;
        }
        if (event == EVENT_SUSPENDED && detail == SUSPENDED_POSTCOPY_FAILED) {
            VmState vm = vms.get(uuid);
            if (vm != null) {
                postCopyFailed(vm, "event");
            }
            return;
        }
        if (event != EVENT_SUSPENDED || (detail != SUSPENDED_POSTCOPY && detail != SUSPENDED_MIGRATED)) {
            return;
        }
        lanes.execute(uuid, () -> {
            VmState vm = vms.get(uuid);
            if (vm == null) {
                return;
            }
            boolean unseen;
            synchronized (vm) {
                if (detail == SUSPENDED_POSTCOPY) {
                    steeringRunner.postCopyStarted(vm);
                }
                unseen = vm.watch == null;
            }
            if (unseen) {
                readJob(vm, "paused for migration"); // a migration whose pass events we missed: record it
            }
        });
    }

    @Override
    public void onConnectionLost(String reason) {
        connected = false;
        for (VmState vm : vms.values()) {
            synchronized (vm) {
                if (vm.watch != null) {
                    vm.watch.contactLost = reason;
                }
            }
        }
    }

    @Override
    public void onConnectionRestored() {
        connected = true;
        // events sent while the connection was down are lost: read each VM's job once, a few per tick
        toProbe.addAll(vms.keySet());
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
            // no job read first (one more RPC per write): migrating VMs were skipped above, known from
            // libvirt's events as the migration starts
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
            counters.errors.incrementAndGet();
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
        counters.missedTicks.incrementAndGet();
    }

    public GovernorStats stats() {
        return new GovernorStats(counters.ticks.get(), counters.missedTicks.get(), vms.size(), counters.migrationsSeen.get(),
                counters.migrationsSteered.get(), counters.switches.get(), counters.fallbacks.get(), counters.errors.get(),
                connected && hypervisor.connected(), writeSampler.started.get(), writeSampler.measured.get(), writeSampler.failed.get(),
                counters.postcopyFailures.get());
    }

    /**
     * The VMs on this host paused because their post-copy migration failed (libvirt's paused reason
     * post-copy failed), by name, from the last statistics: each needs an operator — its memory is split
     * between two hosts and migov does not recover it (yet).
     */
    public List<String> vmsPausedPostCopyFailed() {
        List<String> out = new ArrayList<>();
        for (VmState vm : vms.values()) {
            DomainStats d;
            synchronized (vm) {
                d = vm.lastStats;
            }
            if (d != null && d.pausedPostCopyFailed()) {
                out.add(vm.name);
            }
        }
        out.sort(null);
        return out;
    }

    /** A number that changes whenever a VM arrives, leaves or is renamed (cheap; for the per-VM MBeans). */
    public long membershipVersion() {
        return membership.get();
    }

    /** UUID → name of every VM known here, without building their views. */
    public Map<String, String> vmNames() {
        Map<String, String> out = new LinkedHashMap<>();
        for (VmState vm : vms.values()) {
            out.put(vm.uuid, vm.name);
        }
        return out;
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
        private MigrationJournal journal = MigrationJournal.NONE;
        private PeerHosts peers = PeerHosts.NONE;
        private java.util.function.Predicate<String> recordWritten = id -> false;

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

        /** The in-flight journal (default none: nothing survives a restart). */
        public Builder journal(MigrationJournal j) {
            this.journal = j;
            return this;
        }

        /** The other hosts, asked where a VM went when it left with no trace here (default none). */
        public Builder peers(PeerHosts p) {
            this.peers = p;
            return this;
        }

        /**
         * Whether the record of a migration id is already in the records (a daemon killed between
         * writing a record and removing its journal); default: never.
         */
        public Builder recordWritten(java.util.function.Predicate<String> written) {
            this.recordWritten = Objects.requireNonNull(written, "recordWritten");
            return this;
        }

        /**
         * Builds the governor, reads the journals the last daemon left (records it died writing are
         * written now), and registers it as the hypervisor's listener.
         */
        public Governor build() {
            Governor g = new Governor(this);
            g.steeringRunner.loadJournals(recordWritten);
            g.hypervisor.setListener(g);
            return g;
        }
    }
}
