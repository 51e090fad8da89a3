// SPDX-License-Identifier: Apache-2.0
package io.migov.storage;

import io.migov.core.storage.HostIoSample;
import io.migov.governor.MigrationRecord;
import io.migov.governor.MigrationRecordSink;
import io.migov.governor.StorageSettings;
import io.migov.port.HypervisorException;
import io.migov.port.StorageCopy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Storage-migration steering (issue 11), on its own thread, independent of the profiler tick: every
 * second it polls the host I/O collector (/proc/diskstats only) and, for each outgoing migration the
 * governor watches whose job copies disks ({@link StorageCopy#diskCopy}), steps that migration's
 * {@link StorageController}. Runs only when {@code storageDevice} is configured; without it the
 * daemon does not create it and nothing changes.
 *
 * <p>The finished controllers' summaries are kept (a few, for a while) until the governor writes the
 * migration's record: {@link #recording} adds them to it.
 */
public final class StorageSteering implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StorageSteering.class);
    public static final long STEP_MILLIS = 1000;
    /** Other VMs asked for a disk copy each step (see {@link #probing}). */
    static final int PROBES_PER_STEP = 16;
    /** Summaries of finished storage migrations waiting for their record: at most this many … */
    static final int FINISHED_KEPT = 32;

    /** An outgoing migration the governor watches. */
    public record Migration(String uuid, String vm) {
    }

    private final HostIoCollector collector;
    private final StorageCopy port;
    private final Supplier<List<Migration>> migrations;
    private final Supplier<StorageSettings> settings;
    private final BooleanSupplier acting;
    private final PrefetchReader prefetcher;
    private final LongSupplier tickerNanos;

    private final Map<String, StorageController> active = new ConcurrentHashMap<>();
    private final Map<String, MigrationRecord.Storage> finished = new LinkedHashMap<>();
    private final Set<String> ignored = new HashSet<>();
    private final ArrayDeque<String> probeQueue = new ArrayDeque<>();
    private Supplier<Map<String, String>> hostVms = Map::of;
    private long lastStepNanos = Long.MIN_VALUE;
    private volatile double lastProbability = Double.NaN;
    private volatile HostIoSample lastSample;
    private volatile long steps;
    private ScheduledExecutorService executor;

    public StorageSteering(HostIoCollector collector, StorageCopy port, Supplier<List<Migration>> migrations,
                           Supplier<StorageSettings> settings, BooleanSupplier acting, PrefetchReader prefetcher, LongSupplier tickerNanos) {
        this.collector = Objects.requireNonNull(collector, "collector");
        this.port = Objects.requireNonNull(port, "port");
        this.migrations = Objects.requireNonNull(migrations, "migrations");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.acting = Objects.requireNonNull(acting, "acting");
        this.prefetcher = Objects.requireNonNull(prefetcher, "prefetcher");
        this.tickerNanos = Objects.requireNonNull(tickerNanos, "tickerNanos");
    }

    /**
     * The host's VMs (uuid → name), of which {@link #PROBES_PER_STEP} a step, in turn, are asked for
     * a disk copy: libvirt copies the disks before the first memory pass, and only the passes tell
     * the governor of a migration, so without probing the copy would be over before it is seen. At
     * 16 a second a host of 500 VMs sees a copy within 32 s, at 16 job-stats calls a second, not 500.
     */
    public StorageSteering probing(Supplier<Map<String, String>> vms) {
        this.hostVms = Objects.requireNonNull(vms, "vms");
        return this;
    }

    /** Steps every second on the given executor (the daemon's own storage thread). */
    public synchronized StorageSteering start(ScheduledExecutorService on) {
        if (executor != null) {
            throw new IllegalStateException("already started");
        }
        executor = on;
        on.scheduleAtFixedRate(this::stepLogged, 0, STEP_MILLIS, TimeUnit.MILLISECONDS);
        return this;
    }

    /** A single daemon thread for {@link #start}. */
    public static ScheduledExecutorService thread() {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "migov-storage");
            t.setDaemon(true);
            return t;
        });
    }

    private void stepLogged() {
        try {
            step();
        } catch (RuntimeException e) {
            LOG.warn("storage steering step failed: {}", e.toString(), e);
        }
    }

    /** One step: one host I/O sample, one control step per storage migration. */
    public void step() {
        long now = tickerNanos.getAsLong();
        double stepSeconds = lastStepNanos == Long.MIN_VALUE ? STEP_MILLIS / 1000.0 : Math.max(1e-3, (now - lastStepNanos) / 1e9);
        lastStepNanos = now;
        steps++;
        StorageSettings s = settings.get();
        Optional<HostIoSample> sample = collector.poll();
        sample.ifPresent(x -> {
            lastSample = x;
            lastProbability = s.model().probability(x);
        });
        // who to look at: the governor's migrations, the copies already steered, and a few other VMs
        // in turn: the disk copy comes before the memory passes whose events tell the governor
        Map<String, String> candidates = new LinkedHashMap<>();
        Set<String> governed = new HashSet<>();
        for (Migration m : migrations.get()) {
            candidates.put(m.uuid(), m.vm());
            governed.add(m.uuid());
        }
        for (StorageController c : active.values()) {
            candidates.putIfAbsent(c.uuid(), c.vm());
        }
        probeBatch(candidates);
        Set<String> present = new HashSet<>();
        for (Map.Entry<String, String> m : candidates.entrySet()) {
            String uuid = m.getKey();
            if (ignored.contains(uuid)) {
                present.add(uuid);
                continue;
            }
            StorageCopy.DiskCopy copy;
            try {
                copy = port.diskCopy(uuid);
            } catch (HypervisorException e) {
                LOG.debug("{}: job stats for storage steering: {}", m.getValue(), e.getMessage());
                if (governed.contains(uuid) || active.containsKey(uuid)) {
                    present.add(uuid);
                }
                continue;
            }
            StorageController c = active.get(uuid);
            if (copy.copying() || governed.contains(uuid)) {
                present.add(uuid);
            }
            if (c == null) {
                if (!copy.copying()) {
                    continue; // not migrating, a memory-only migration, or its disk copy has not started yet
                }
                try {
                    c = StorageController.start(uuid, m.getValue(), collector.device(), port, prefetcher, s);
                } catch (HypervisorException e) {
                    LOG.warn("{}: cannot find the disks being copied ({}); storage steering leaves this migration alone",
                            m.getValue(), e.getMessage());
                    ignored.add(uuid);
                    continue;
                }
                active.put(uuid, c);
            }
            if (sample.isPresent() && present.contains(uuid)) {
                c.step(sample.get(), stepSeconds, s, acting.getAsBoolean(), copy.copying() ? copy : StorageCopy.DiskCopy.NONE);
            }
        }
        ignored.retainAll(present);
        for (StorageController c : new ArrayList<>(active.values())) {
            if (!present.contains(c.uuid()) && active.remove(c.uuid(), c)) {
                keep(c.uuid(), c.summary());
            }
        }
    }

    /** Adds up to {@link #PROBES_PER_STEP} of the host's other VMs, in turn, to this step's candidates. */
    private void probeBatch(Map<String, String> candidates) {
        Map<String, String> all = hostVms.get();
        if (probeQueue.isEmpty()) {
            probeQueue.addAll(all.keySet());
        }
        int n = 0;
        while (n < PROBES_PER_STEP && !probeQueue.isEmpty()) {
            String uuid = probeQueue.poll();
            String name = all.get(uuid);
            if (name != null && candidates.putIfAbsent(uuid, name) == null) {
                n++;
            }
        }
    }

    private void keep(String uuid, MigrationRecord.Storage summary) {
        synchronized (finished) {
            finished.remove(uuid);
            finished.put(uuid, summary);
            while (finished.size() > FINISHED_KEPT) {
                finished.remove(finished.keySet().iterator().next());
            }
        }
    }

    /** The storage summary of a migration of {@code uuid}, taken (a second record of the same migration gets none). */
    Optional<MigrationRecord.Storage> take(String uuid) {
        StorageController c = active.remove(uuid);
        if (c != null) {
            return Optional.of(c.summary());
        }
        synchronized (finished) {
            return Optional.ofNullable(finished.remove(uuid));
        }
    }

    /** The record sink, adding each storage migration's {@link MigrationRecord.Storage} to its record. */
    public MigrationRecordSink recording(MigrationRecordSink sink) {
        Objects.requireNonNull(sink, "sink");
        return r -> sink.write(r.storage() != null ? r : take(r.uuid()).map(r::withStorage).orElse(r));
    }

    /** The storage migrations being steered now, by VM name. */
    public List<StorageView> views() {
        List<StorageView> out = new ArrayList<>();
        for (StorageController c : active.values()) {
            out.add(c.view());
        }
        out.sort(Comparator.comparing(StorageView::vm));
        return out;
    }

    public HostIoCollector collector() {
        return collector;
    }

    /** The interference probability of the last host I/O sample (NaN before the first). */
    public double lastProbability() {
        return lastProbability;
    }

    /** The last host I/O sample, if any. */
    public Optional<HostIoSample> lastSample() {
        return Optional.ofNullable(lastSample);
    }

    public long steps() {
        return steps;
    }

    public long prefetchedBytes() {
        return prefetcher.bytesRead();
    }

    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
