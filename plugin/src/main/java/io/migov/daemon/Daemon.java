// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon;

import io.migov.core.DecisionCore;
import io.migov.daemon.management.ConfigReloader;
import io.migov.daemon.management.ManagementPlane;
import io.migov.daemon.management.PrometheusEndpoint;
import io.migov.governor.Governor;
import io.migov.governor.GovernorSettings;
import io.migov.governor.GovernorStats;
import io.migov.governor.MigrationRecordSink;
import io.migov.governor.Mode;
import io.migov.libvirt.LibvirtHypervisor;
import io.migov.libvirt.LibvirtPeerHosts;
import io.migov.libvirt.LibvirtStorageCopy;
import io.migov.port.PeerHosts;
import io.migov.port.Hypervisor;
import io.migov.port.StorageCopy;
import io.migov.storage.HostIoCollector;
import io.migov.storage.PrefetchReader;
import io.migov.storage.ProcDiskStats;
import io.migov.storage.StorageSteering;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The daemon's main: wires everything by hand, in one place — config → decision core → prior →
 * hypervisor → governor (steering threads) → Quartz — and takes it down in reverse on
 * {@link #stop()} (the shutdown hook): scheduler (waiting for running jobs), checkpoints,
 * hypervisor, steering threads. Nothing else lives here.
 */
public final class Daemon {

    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
    private static final long STEERING_DRAIN_SECONDS = 5;
    /** Migrations steered at the same moment, at most (a host rarely sends more than a few at once). */
    static final int STEERING_THREADS = 4;

    /** Opens the hypervisor connection for a URI. */
    @FunctionalInterface
    public interface HypervisorFactory {
        Hypervisor open(String uri) throws Exception;
    }

    /**
     * The production adapter: libvirt. It does not fail fast: when libvirtd is not up yet the daemon
     * starts disconnected and the adapter connects in the background (logging once per outage).
     */
    public static final HypervisorFactory LIBVIRT =
            // NOWAIT: a domain in a job (an incoming migration on the destination) must not hold the
            // bulk stats call, and so the tick, for libvirt's 30 s job wait
            uri -> LibvirtHypervisor.open(LibvirtHypervisor.Options.defaults(uri).withFailFast(false).withStatsNoWait(true));

    private final DaemonConfig config;
    private final AtomicReference<GovernorSettings> settings;
    private final Hypervisor hypervisor;
    private final ExecutorService steering;
    private final Governor governor;
    private final DaemonScheduler scheduler;
    private final ManagementPlane management;
    private final HookSpool hookSpool; // the libvirt hook's spool (issue 6)
    private final PrometheusEndpoint prometheus; // null: prometheusAddress not set
    private final StorageThreads storage; // storage-migration steering (issue 11); null without storageDevice
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Daemon(DaemonConfig config, AtomicReference<GovernorSettings> settings, Hypervisor hypervisor,
                   ExecutorService steering, Governor governor, DaemonScheduler scheduler, ManagementPlane management,
                   HookSpool hookSpool, PrometheusEndpoint prometheus, StorageThreads storage) {
        this.config = config;
        this.settings = settings;
        this.hypervisor = hypervisor;
        this.steering = steering;
        this.governor = governor;
        this.scheduler = scheduler;
        this.management = management;
        this.hookSpool = hookSpool;
        this.prometheus = prometheus;
        this.storage = storage;
    }

    /**
     * Makes the storage port of an opened hypervisor (issue 11): libvirt's for the libvirt adapter;
     * null where there is none (storage steering then stays off, with a warning).
     */
    @FunctionalInterface
    public interface StorageCopyFactory {
        StorageCopy of(Hypervisor opened);
    }

    /** The production storage port: block jobs on the libvirt adapter's connection. */
    public static final StorageCopyFactory LIBVIRT_STORAGE = h -> h instanceof LibvirtHypervisor l ? new LibvirtStorageCopy(l) : null;

    /** Storage steering and its two threads (steps; prefetch reads). */
    private record StorageThreads(StorageSteering steering, java.util.concurrent.ExecutorService prefetch) {
        void close() {
            steering.close();
            prefetch.shutdownNow();
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public DaemonConfig config() {
        return config;
    }

    /**
     * The runtime-mutable settings: the governor reads this reference on every tick and pass, so
     * swapping in a new {@link GovernorSettings} changes them without a restart.
     */
    public AtomicReference<GovernorSettings> settings() {
        return settings;
    }

    public Governor governor() {
        return governor;
    }

    /** MBeans, metrics and remote JMX (docs/management.md). */
    public ManagementPlane management() {
        return management;
    }

    /** The Prometheus endpoint, when {@code prometheusAddress} is set. */
    public Optional<PrometheusEndpoint> prometheus() {
        return Optional.ofNullable(prometheus);
    }

    /** The reader of the libvirt hook's spool (issue 6). */
    public HookSpool hookSpool() {
        return hookSpool;
    }

    /** Storage-migration steering (issue 11), present when {@code storageDevice} is configured. */
    public Optional<StorageSteering> storage() {
        return storage == null ? Optional.empty() : Optional.of(storage.steering());
    }

    /** Stops the daemon once (later calls wait for the first to finish). */
    public void stop() {
        if (!stopping.compareAndSet(false, true)) {
            awaitStopped();
            return;
        }
        try {
            LOG.info("stopping");
            closeIfStarted(prometheus); // no scrape of a daemon going down
            management.close(); // management plane (issue 5): no JMX access while going down
            hookSpool.close(); // the libvirt hook's spool (issue 6)
            if (storage != null) {
                storage.close(); // storage steering (issue 11): no speed change while going down
            }
            scheduler.shutdown();
            try {
                governor.checkpointAll();
            } catch (RuntimeException e) {
                LOG.warn("checkpoints at shutdown failed", e);
            }
            try {
                hypervisor.close();
            } catch (RuntimeException e) {
                LOG.warn("closing {}: {}", hypervisor.uri(), e.toString());
            }
            steering.shutdown();
            try {
                if (!steering.awaitTermination(STEERING_DRAIN_SECONDS, TimeUnit.SECONDS)) {
                    LOG.warn("steering threads still busy after {} s; leaving it", STEERING_DRAIN_SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            GovernorStats s = governor.stats();
            LOG.info("stopped: {} ticks, {} missed, {} migrations seen, {} steered ({} post-copy switches, {} downtime raises)",
                    s.ticks(), s.missedTicks(), s.migrationsSeen(), s.migrationsSteered(), s.switches(), s.fallbacks());
        } finally {
            stopped.countDown();
        }
    }

    /** Blocks until {@link #stop()} has finished. */
    public void awaitStopped() {
        boolean interrupted = false;
        while (true) {
            try {
                stopped.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the daemon on SIGTERM/SIGINT (JVM shutdown). */
    public void installShutdownHook() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "migov-shutdown"));
    }

    /** The configured peers, this host's own URI left out (one config file is often shared by every host). */
    static PeerHosts peerHosts(DaemonConfig c) {
        List<String> others = c.peers().stream().filter(u -> !u.equals(c.connect())).toList();
        return others.isEmpty() ? PeerHosts.NONE : new LibvirtPeerHosts(others);
    }

    /** Creates the state dir (0750) if missing and proves it writable. */
    static void prepareStateDir(Path dir) throws ConfigException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw ConfigException.of("stateDir", "not a directory", dir.toString());
        }
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(FileModelStore.DIR_PERMISSIONS));
                Files.setPosixFilePermissions(dir, FileModelStore.DIR_PERMISSIONS); // 0750 whatever the umask
            }
            Path probe = Files.createTempFile(dir, ".migov-probe-", ".tmp");
            Files.delete(probe);
        } catch (IOException | UnsupportedOperationException e) {
            String why = e instanceof IOException io ? DaemonConfig.reason(io) : e.toString();
            throw ConfigException.of("stateDir", "cannot create or write the directory (" + why + ")", dir.toString());
        }
    }

    /** Builds and starts the daemon. */
    public static final class Builder {
        private DaemonConfig config;
        private String version = "migov";
        private HypervisorFactory hypervisors = LIBVIRT;
        private ConfigReloader reloader = ConfigReloader.NONE;
        private StorageCopyFactory storageCopies = LIBVIRT_STORAGE;
        private HostIoCollector.Source diskStats = () -> ProcDiskStats.read(ProcDiskStats.PATH);

        public Builder config(DaemonConfig c) {
            this.config = c;
            return this;
        }

        /** For the startup log, e.g. {@code migov 0.1.0}. */
        public Builder version(String v) {
            this.version = v;
            return this;
        }

        public Builder hypervisors(HypervisorFactory f) {
            this.hypervisors = f;
            return this;
        }

        /** The storage port for storage steering (issue 11; used only with {@code storageDevice}). */
        public Builder storageCopies(StorageCopyFactory f) {
            this.storageCopies = f;
            return this;
        }

        /** Where host I/O counters come from (default /proc/diskstats; used only with {@code storageDevice}). */
        public Builder diskStats(HostIoCollector.Source source) {
            this.diskStats = source;
            return this;
        }

        /** Where the management plane's reloadConfig reads the configuration again: the same file and overrides. */
        public Builder reloadFrom(Path configFile, DaemonConfig.Overrides overrides) {
            this.reloader = new ConfigReloader() {
                @Override
                public DaemonConfig reload() throws ConfigException {
                    return DaemonConfig.load(configFile, overrides);
                }

                @Override
                public String source() {
                    return configFile == null ? "(no config file: defaults and command-line options)" : configFile.toString();
                }
            };
            return this;
        }

        /**
         * Starts everything, or nothing: a failure part-way closes what was opened.
         *
         * @throws ConfigException the state dir cannot be used (exit 2)
         * @throws DaemonException the hypervisor, governor or scheduler could not be started
         */
        public Daemon start() throws ConfigException, DaemonException {
            DaemonConfig c = Objects.requireNonNull(config, "config");
            Path stateDir = c.stateDir();
            prepareStateDir(stateDir);
            HookSpool.prepare(c.spoolDir()); // the libvirt hook's spool (issue 6)
            FileModelStore models;
            FileMigrationJournal journal;
            try {
                models = new FileModelStore(stateDir);
            } catch (IOException e) {
                throw ConfigException.of("stateDir", "cannot create " + stateDir.resolve("models") + " ("
                        + DaemonConfig.reason(e) + ")", stateDir.toString());
            }
            try {
                journal = new FileMigrationJournal(stateDir);
            } catch (IOException e) {
                throw ConfigException.of("stateDir", "cannot create " + stateDir.resolve("inflight") + " ("
                        + DaemonConfig.reason(e) + ")", stateDir.toString());
            }
            JsonLinesRecordSink records = new JsonLinesRecordSink(stateDir, c.records());
            DecisionCore core = DecisionCore.of(c.discretiser(), c.dwellAware());
            AtomicReference<GovernorSettings> settings = new AtomicReference<>(c.settings());
            // management plane (issue 5): MBeans, metrics (decorating the hypervisor, records, checkpoints), remote JMX
            ManagementPlane management = ManagementPlane.create(c, settings, reloader, version);

            LOG.info("{} starting", version);
            LOG.info("libvirt: {}", c.connect());
            LOG.info("mode: {}", c.settings().mode().configName());
            LOG.info("state dir: {}", stateDir);
            LOG.info("state scheme: {}", c.discretiser());
            LOG.info("prior: {}, weight {}", c.priorFile() == null ? "uniform" : c.priorFile(), c.priorWeight());

            Hypervisor hypervisor;
            Hypervisor opened;
            try {
                opened = Objects.requireNonNull(hypervisors.open(c.connect()), "hypervisor");
                hypervisor = management.metered(opened);
            } catch (Exception e) {
                throw new DaemonException("cannot open " + c.connect() + ": " + e.getMessage(), e);
            }
            // storage-migration steering (issue 11): only with storageDevice, on its own threads
            AtomicReference<Governor> governorRef = new AtomicReference<>();
            StorageThreads storage;
            try {
                storage = storage(c, settings, opened, governorRef);
            } catch (ConfigException e) {
                management.close();
                hypervisor.close();
                throw e;
            }
            MigrationRecordSink recordSink = management.recording(records);
            if (storage != null) {
                recordSink = storage.steering().recording(recordSink);
            }
            // scheduled: a post-copy switch libvirt is not ready for yet is retried 200 ms later. Several
            // threads: the governor keeps each VM's work in order (one lane per VM), and concurrent
            // migrations are steered side by side instead of queueing behind one slow libvirt call
            AtomicInteger steeringThreads = new AtomicInteger();
            ExecutorService steering = Executors.newScheduledThreadPool(STEERING_THREADS, r -> {
                Thread t = new Thread(r, "migov-steering-" + steeringThreads.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            Governor governor;
            DaemonScheduler scheduler;
            PrometheusEndpoint prometheus = null;
            try {
                governor = Governor.builder()
                        .hypervisor(hypervisor)
                        .core(core)
                        .prior(c.prior(), c.priorWeight())
                        .settings(settings::get)
                        .clock(Clock.systemUTC())
                        .ticker(System::nanoTime)
                        .recordSink(recordSink)
                        .modelStore(management.counting(models))
                        .executor(steering)
                        .journal(journal)
                        .recordWritten(records::contains)
                        .peers(peerHosts(c))
                        .build();
                management.start(governor);
                prometheus = startPrometheus(c, management);
                if (storage != null) {
                    governorRef.set(governor);
                    management.startStorage(storage.steering());
                    storage.steering().start(StorageSteering.thread());
                }
                scheduler = DaemonScheduler.start(management.timed(work(governor)));
            } catch (ConfigException e) { // a remote JMX file the connector server cannot use
                closeIfStarted(prometheus);
                if (storage != null) {
                    storage.close();
                }
                management.close();
                steering.shutdownNow();
                hypervisor.close();
                throw e;
            } catch (SchedulerException | IOException | RuntimeException e) {
                closeIfStarted(prometheus);
                if (storage != null) {
                    storage.close();
                }
                management.close();
                steering.shutdownNow();
                hypervisor.close();
                throw new DaemonException("cannot start: " + e.getMessage(), e);
            }
            // the libvirt hook's spool (issue 6): events, and models handed over before their VM arrives
            HookSpool hookSpool = new HookSpool(c.spoolDir(), governor::offerModel, System::currentTimeMillis).start();
            LOG.info("running: profiler every {} ms, records in {}", DaemonScheduler.TICK_MILLIS, records.file());
            return new Daemon(c, settings, hypervisor, steering, governor, scheduler, management, hookSpool, prometheus, storage);
        }

        /**
         * Storage steering when {@code storageDevice} is set (null otherwise): the collector must
         * find the device now, so a misspelt name fails the start instead of steering nothing.
         */
        private StorageThreads storage(DaemonConfig c, AtomicReference<GovernorSettings> settings, Hypervisor opened,
                                       AtomicReference<Governor> governor) throws ConfigException {
            String device = c.storageDevice();
            if (device == null) {
                return null;
            }
            StorageCopy port = storageCopies.of(opened);
            if (port == null) {
                LOG.warn("storageDevice {}: this hypervisor adapter has no block-job control; storage steering is off", device);
                return null;
            }
            HostIoCollector collector = new HostIoCollector(device, diskStats, System::nanoTime, HostIoCollector.DEFAULT_CAPACITY);
            collector.poll();
            if (!collector.lastProblem().isEmpty()) {
                throw ConfigException.of(Settings.STORAGE_DEVICE.key(), collector.lastProblem(), "'" + device + "'");
            }
            java.util.concurrent.ExecutorService prefetch = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "migov-prefetch");
                t.setDaemon(true);
                return t;
            });
            StorageSteering steering = new StorageSteering(collector, port,
                    () -> migrations(governor.get()),
                    () -> settings.get().storage(),
                    () -> settings.get().mode() == Mode.ENFORCE && governor.get() != null && !governor.get().steeringPaused(),
                    PrefetchReader.files(prefetch), System::nanoTime)
                    .probing(() -> governor.get() == null ? java.util.Map.of() : governor.get().vmNames());
            LOG.info("storage steering: host I/O of {} every {} ms, interference model {}", device, StorageSteering.STEP_MILLIS,
                    settings.get().storage().interferenceModel().isEmpty() ? "research default" : settings.get().storage().interferenceModel());
            return new StorageThreads(steering, prefetch);
        }

        private static List<StorageSteering.Migration> migrations(Governor g) {
            if (g == null) {
                return List.of();
            }
            return g.activeMigrations().stream().map(m -> new StorageSteering.Migration(m.uuid(), m.vm())).toList();
        }
    }

    /** The Prometheus endpoint over the management plane's metrics, or null when {@code prometheusAddress} is not set. */
    private static PrometheusEndpoint startPrometheus(DaemonConfig c, ManagementPlane management) throws IOException {
        if (c.prometheusAddress() == null) {
            return null;
        }
        try {
            return PrometheusEndpoint.start(c.prometheusAddress(), management.metrics().registry());
        } catch (IOException e) { // a port in use or a host that does not resolve: exit 1, like a JMX port
            throw new IOException(Settings.PROMETHEUS_ADDRESS.key() + ": " + e.getMessage(), e);
        }
    }

    private static void closeIfStarted(PrometheusEndpoint endpoint) {
        if (endpoint != null) {
            endpoint.close();
        }
    }

    private static ScheduledWork work(Governor governor) {
        return new ScheduledWork() {
            @Override
            public void tick() {
                governor.tick();
            }

            @Override
            public void persistModels() {
                governor.persistModels();
            }

            @Override
            public void measureWriteIntensity() {
                governor.measureWriteIntensity();
            }

            @Override
            public void recordMissedTick() {
                governor.recordMissedTick();
            }
        };
    }
}
