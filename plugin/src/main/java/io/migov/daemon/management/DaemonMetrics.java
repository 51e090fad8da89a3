// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon.management;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.codahale.metrics.jmx.JmxReporter;
import io.migov.daemon.ScheduledWork;
import io.migov.governor.MigrationRecord;
import io.migov.governor.MigrationRecordSink;
import io.migov.governor.ModelStore;
import io.migov.jmx.MBeanNames;
import io.migov.port.Hypervisor;
import io.migov.port.HypervisorException;

import javax.management.MBeanServer;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The daemon's dropwizard metrics, exposed through {@link JmxReporter} in the domain
 * {@value MBeanNames#METRICS_DOMAIN} (durations in milliseconds, rates per second). Every name is
 * listed in docs/management.md:
 * <ul>
 *   <li>{@code tick.duration}, {@code persist.duration}, {@code write_sampling.duration} (timers): the scheduled work;</li>
 *   <li>{@code libvirt.<call>} (timers), e.g. {@code libvirt.runningDomainStats}: each hypervisor
 *       port call, through {@link #metered(Hypervisor)};</li>
 *   <li>{@code migrations}, {@code migrations.completed}, {@code switches}, {@code fallbacks},
 *       {@code errors}, {@code libvirt.errors} (counters);</li>
 *   <li>{@code migration.total_time_ms}, {@code migration.downtime_ms} (histograms, ms);</li>
 *   <li>{@code model.prediction_hit_rate_percent}, {@code model.persistence_hit_rate_percent} (histograms, %):
 *       the migrating VM's rolling prediction hit rate and persistence's, when its migration started.</li>
 * </ul>
 */
public final class DaemonMetrics implements AutoCloseable {

    /** Port methods that are not libvirt calls, so not timed. */
    private static final Set<String> UNTIMED = Set.of("uri", "connected", "setListener", "close", "toString", "hashCode", "equals");

    private final MetricRegistry registry = new MetricRegistry();
    private final Timer tick = registry.timer("tick.duration");
    private final Timer persist = registry.timer("persist.duration");
    private final Timer writeSampling = registry.timer("write_sampling.duration");
    private final Counter migrations = registry.counter("migrations");
    private final Counter completed = registry.counter("migrations.completed");
    private final Counter switches = registry.counter("switches");
    private final Counter fallbacks = registry.counter("fallbacks");
    private final Counter errors = registry.counter("errors");
    private final Counter libvirtErrors = registry.counter("libvirt.errors");
    private final Histogram totalTime = registry.histogram("migration.total_time_ms");
    private final Histogram downtime = registry.histogram("migration.downtime_ms");
    private final Histogram predictionHitRate = registry.histogram("model.prediction_hit_rate_percent");
    private final Histogram persistenceHitRate = registry.histogram("model.persistence_hit_rate_percent");
    private JmxReporter reporter;

    public MetricRegistry registry() {
        return registry;
    }

    /** Registers every metric (present and future) as an MBean. */
    public synchronized void start(MBeanServer server) {
        if (reporter == null) {
            reporter = JmxReporter.forRegistry(registry).registerWith(server).inDomain(MBeanNames.METRICS_DOMAIN)
                    .convertDurationsTo(TimeUnit.MILLISECONDS).convertRatesTo(TimeUnit.SECONDS).build();
            reporter.start();
        }
    }

    @Override
    public synchronized void close() {
        if (reporter != null) {
            reporter.stop();
            reporter = null;
        }
    }

    /** The port with every libvirt call timed ({@code libvirt.<method>}) and its failures counted. */
    public Hypervisor metered(Hypervisor hypervisor) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (UNTIMED.contains(method.getName()) || method.getDeclaringClass() == Object.class) {
                return invoke(hypervisor, method, args);
            }
            Timer.Context t = registry.timer("libvirt." + method.getName()).time();
            try {
                return invoke(hypervisor, method, args);
            } catch (HypervisorException e) {
                if (e.kind() != HypervisorException.Kind.NO_DOMAIN) { // a VM that just left is no error
                    libvirtErrors.inc();
                    errors.inc();
                }
                throw e;
            } finally {
                t.stop();
            }
        };
        return (Hypervisor) Proxy.newProxyInstance(Hypervisor.class.getClassLoader(), new Class<?>[] {Hypervisor.class}, handler);
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Counts and measures each finished migration, then hands it on. */
    public MigrationRecordSink counting(MigrationRecordSink sink) {
        return record -> {
            observe(record);
            try {
                sink.write(record);
            } catch (IOException e) {
                errors.inc();
                throw e;
            }
        };
    }

    void observe(MigrationRecord r) {
        migrations.inc();
        if (r.completed()) {
            completed.inc();
            if (r.totalTimeMs() >= 0) {
                totalTime.update(r.totalTimeMs());
            }
            if (r.downtimeMs() >= 0) {
                downtime.update(r.downtimeMs());
            }
        }
        // the model's track record on the VMs that migrate, against persistence's on the same ticks
        if (r.model() != null && r.model().predictionHitRate() != null && r.model().persistenceHitRate() != null) {
            predictionHitRate.update(Math.round(r.model().predictionHitRate() * 100));
            persistenceHitRate.update(Math.round(r.model().persistenceHitRate() * 100));
        }
        if ("switch_to_postcopy".equals(r.action())) {
            switches.inc();
        } else if ("raise_downtime".equals(r.action())) {
            fallbacks.inc();
        }
    }

    /** Counts failed checkpoints as errors. */
    public ModelStore counting(ModelStore store) {
        return new ModelStore() {
            @Override
            public Optional<String> load(String uuid) throws IOException {
                return store.load(uuid);
            }

            @Override
            public void save(String uuid, String modelJson) throws IOException {
                try {
                    store.save(uuid, modelJson);
                } catch (IOException e) {
                    errors.inc();
                    throw e;
                }
            }
        };
    }

    /** Times the two jobs; {@code afterTick} runs after every tick (the per-VM MBean reconciler). */
    public ScheduledWork timed(ScheduledWork work, Runnable afterTick) {
        return new ScheduledWork() {
            @Override
            public void tick() {
                try (Timer.Context t = tick.time()) {
                    work.tick();
                } finally {
                    afterTick.run();
                }
            }

            @Override
            public void persistModels() {
                try (Timer.Context t = persist.time()) {
                    work.persistModels();
                }
            }

            @Override
            public void measureWriteIntensity() {
                try (Timer.Context t = writeSampling.time()) {
                    work.measureWriteIntensity();
                }
            }

            @Override
            public void recordMissedTick() {
                work.recordMissedTick();
            }
        };
    }
}
