// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon.management;

import io.migov.daemon.ConfigException;
import io.migov.daemon.DaemonConfig;
import io.migov.daemon.ScheduledWork;
import io.migov.governor.Governor;
import io.migov.governor.GovernorSettings;
import io.migov.governor.MigrationRecordSink;
import io.migov.governor.ModelStore;
import io.migov.jmx.MBeanNames;
import io.migov.jmx.ManagedExports;
import io.migov.jmx.RemoteJmxServer;
import io.migov.port.Hypervisor;
import io.migov.storage.StorageSteering;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The daemon's management plane, wired by {@code Daemon}: the MBeans (docs/management.md), the
 * dropwizard metrics and their decorators of the hypervisor port, the record sink and the model
 * store, the per-VM MBean reconciler (run after every profiler tick) and, when configured, the remote
 * JMX connector server. MBeans live in the platform MBean server, so local tools reach them through
 * the attach API without any port.
 */
public final class ManagementPlane implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementPlane.class);
    public static final ObjectName STATE = MBeanNames.of("Governor", "State");
    public static final ObjectName TUNABLES = MBeanNames.of("Governor", "Tunables");
    public static final ObjectName MIGRATIONS = MBeanNames.of("Migrations");
    public static final ObjectName STORAGE = MBeanNames.of("Storage");
    public static final String VM_TYPE = "Vm";
    private static final String VM_SET = "vms";

    private final DaemonConfig config;
    private final AtomicReference<GovernorSettings> settings;
    private final ConfigReloader reloader;
    private final String version;
    private final ManagedExports exports;
    private final DaemonMetrics metrics = new DaemonMetrics();
    private final MigrationHistory history = new MigrationHistory(MigrationHistory.DEFAULT_CAPACITY);
    private volatile Governor governor;
    private volatile boolean closed;
    /** The governor's membership version the per-VM MBeans were last synced to. */
    private volatile long reconciledVersion = Long.MIN_VALUE;
    private volatile RemoteJmxServer remote;

    private ManagementPlane(DaemonConfig config, AtomicReference<GovernorSettings> settings, ConfigReloader reloader, String version,
                            MBeanServer server) {
        this.config = Objects.requireNonNull(config, "config");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.reloader = Objects.requireNonNull(reloader, "reloader");
        this.version = Objects.requireNonNull(version, "version");
        this.exports = new ManagedExports(server);
    }

    /** In the platform MBean server (what JConsole and the attach API see). */
    public static ManagementPlane create(DaemonConfig config, AtomicReference<GovernorSettings> settings, ConfigReloader reloader,
                                         String version) {
        return create(config, settings, reloader, version, ManagementFactory.getPlatformMBeanServer());
    }

    public static ManagementPlane create(DaemonConfig config, AtomicReference<GovernorSettings> settings, ConfigReloader reloader,
                                         String version, MBeanServer server) {
        return new ManagementPlane(config, settings, reloader, version, server);
    }

    public MBeanServer server() {
        return exports.server();
    }

    public DaemonMetrics metrics() {
        return metrics;
    }

    /** The hypervisor port with every libvirt call timed. */
    public Hypervisor metered(Hypervisor hypervisor) {
        return metrics.metered(hypervisor);
    }

    /** The record sink, feeding the migration history and metrics first. */
    public MigrationRecordSink recording(MigrationRecordSink sink) {
        return history.recording(metrics.counting(sink));
    }

    /** The model store, counting failed checkpoints. */
    public ModelStore counting(ModelStore store) {
        return metrics.counting(store);
    }

    /** The scheduled work, timed, with the per-VM MBean reconciler after every tick. */
    public ScheduledWork timed(ScheduledWork work) {
        return metrics.timed(work, this::reconcileVms);
    }

    /**
     * Registers the MBeans and the metrics, then starts the remote connector server when configured.
     *
     * @throws IOException the remote connector server cannot bind its ports
     * @throws ConfigException a remote JMX file is unusable (the message names the config key)
     */
    public void start(Governor g) throws IOException, ConfigException {
        this.governor = Objects.requireNonNull(g, "governor");
        exports.export(STATE, new GovernorStateBean(g, config.connect(), version, System::currentTimeMillis, this::remoteUrlText));
        exports.export(TUNABLES, new GovernorTunablesBean(settings, config, reloader));
        exports.export(MIGRATIONS, new MigrationsBean(g, history));
        metrics.start(exports.server());
        reconcileVms();
        if (config.jmx().remote()) {
            try {
                remote = RemoteJmxServer.start(exports.server(), config.jmx());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("config: " + e.getMessage());
            }
        }
    }

    /** Registers the storage-steering MBean (issue 11; only when {@code storageDevice} is configured). */
    public synchronized void startStorage(StorageSteering steering) {
        if (!closed) {
            exports.export(STORAGE, new StorageBean(Objects.requireNonNull(steering, "steering")));
        }
    }

    /** One MBean per VM the governor knows: registers arrivals, unregisters departures (and renames). */
    public void reconcileVms() {
        Governor g = governor;
        if (g == null || closed) {
            return;
        }
        long version = g.membershipVersion();
        if (version == reconciledVersion) {
            return; // no VM arrived, left or was renamed: the MBeans are right (their attributes are read live)
        }
        Map<String, ObjectName> wanted = new HashMap<>();
        Set<ObjectName> taken = new HashSet<>();
        List<Map.Entry<String, String>> byName = new ArrayList<>(g.vmNames().entrySet());
        byName.sort(Map.Entry.comparingByValue());
        for (Map.Entry<String, String> vm : byName) {
            ObjectName name = MBeanNames.of(VM_TYPE, vm.getValue());
            if (!taken.add(name)) { // two domains with one name (a moment during a rename): keep both visible
                name = MBeanNames.of(VM_TYPE, vm.getValue() + " (" + vm.getKey() + ")");
            }
            wanted.put(vm.getKey(), name);
        }
        synchronized (this) {
            if (!closed) {
                int changes = exports.sync(VM_SET, wanted, uuid -> new VmBean(g, uuid, settings::get, config.prior(), config.priorWeight()));
                reconciledVersion = version;
                if (changes > 0) {
                    LOG.debug("VM MBeans: {} registered", exports.names(VM_SET).size());
                }
            }
        }
    }

    /** The per-VM MBeans registered now. */
    public Set<ObjectName> vmNames() {
        return exports.names(VM_SET);
    }

    public Optional<JMXServiceURL> remoteUrl() {
        RemoteJmxServer r = remote;
        return r == null ? Optional.empty() : Optional.of(r.url());
    }

    private String remoteUrlText() {
        return remoteUrl().map(JMXServiceURL::toString).orElse("");
    }

    /** Stops the connector server and unregisters every MBean. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        RemoteJmxServer r = remote;
        remote = null;
        if (r != null) {
            r.close();
        }
        metrics.close();
        exports.close();
    }
}
