// SPDX-License-Identifier: Apache-2.0
package io.migov.jmx;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weakref.jmx.MBeanExporter;

import javax.management.DynamicMBean;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The MBeans one component exports with jmxutils ({@link MBeanExporter}: the {@code @Managed}
 * getters, setters and operations of a plain object become a dynamic MBean, with descriptions),
 * or, for an object that already is a {@link DynamicMBean} (its own MBeanInfo, e.g. one derived
 * from a declaration table), that object as it is; and their lifecycle: {@link #export} replaces an MBean of the same name, {@link #unexport} is
 * idempotent, {@link #sync} reconciles a keyed set (e.g. one MBean per VM) with what exists now,
 * and {@link #close} unregisters everything exported here. Thread-safe.
 */
public final class ManagedExports implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ManagedExports.class);

    private final MBeanServer server;
    private final MBeanExporter exporter;
    private final Set<ObjectName> exported = new HashSet<>();
    /** Names of the {@link DynamicMBean}s registered as they are. */
    private final Set<ObjectName> registered = new HashSet<>();
    /** key (of a synced set) → the name it is exported under. */
    private final Map<String, Map<String, ObjectName>> sets = new HashMap<>();

    public ManagedExports(MBeanServer server) {
        this.server = Objects.requireNonNull(server, "server");
        this.exporter = new MBeanExporter(server);
    }

    public MBeanServer server() {
        return server;
    }

    /** Exports {@code bean} under {@code name}, replacing whatever was registered there. */
    public synchronized void export(ObjectName name, Object bean) {
        if (server.isRegistered(name)) {
            unexport(name);
        }
        if (bean instanceof DynamicMBean dynamic) {
            try {
                server.registerMBean(dynamic, name);
            } catch (JMException e) {
                throw new IllegalStateException("cannot register " + name + ": " + e, e);
            }
            registered.add(name);
            return;
        }
        exporter.export(name, bean);
        exported.add(name);
    }

    /** Unregisters {@code name}; nothing happens when it is not registered. */
    public synchronized void unexport(ObjectName name) {
        if (exported.remove(name)) {
            try {
                exporter.unexport(name);
                return;
            } catch (RuntimeException e) {
                LOG.debug("unexport {}: {}", name, e.toString());
            }
        }
        registered.remove(name);
        try {
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        } catch (Exception e) {
            LOG.debug("unregister {}: {}", name, e.toString());
        }
    }

    /**
     * Reconciles the set {@code set} with {@code wanted} (key → object name): exports a bean (from
     * {@code create}) for each new key or a key whose name changed, unexports keys no longer wanted.
     *
     * @return the number of MBeans registered plus unregistered
     */
    public synchronized int sync(String set, Map<String, ObjectName> wanted, Function<String, Object> create) {
        Map<String, ObjectName> current = sets.computeIfAbsent(set, s -> new HashMap<>());
        int changes = 0;
        for (String key : List.copyOf(current.keySet())) {
            ObjectName now = current.get(key);
            ObjectName want = wanted.get(key);
            if (want == null || !want.equals(now)) {
                unexport(now);
                current.remove(key);
                changes++;
                LOG.debug("unregistered {}", now);
            }
        }
        for (Map.Entry<String, ObjectName> e : wanted.entrySet()) {
            if (!current.containsKey(e.getKey())) {
                try {
                    export(e.getValue(), create.apply(e.getKey()));
                    current.put(e.getKey(), e.getValue());
                    changes++;
                    LOG.debug("registered {}", e.getValue());
                } catch (RuntimeException ex) {
                    LOG.warn("cannot register {}: {}", e.getValue(), ex.toString());
                }
            }
        }
        return changes;
    }

    /** The names currently exported for a synced set. */
    public synchronized Set<ObjectName> names(String set) {
        return Set.copyOf(sets.getOrDefault(set, Map.of()).values());
    }

    @Override
    public synchronized void close() {
        sets.clear();
        for (ObjectName name : List.copyOf(registered)) {
            unexport(name);
        }
        for (ObjectName name : List.copyOf(exported)) {
            unexport(name);
        }
    }
}
