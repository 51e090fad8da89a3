// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon.management;

import io.migov.daemon.ConfigException;
import io.migov.daemon.DaemonConfig;
import io.migov.daemon.Setting;
import io.migov.daemon.Settings;
import io.migov.governor.GovernorSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.ImmutableDescriptor;
import javax.management.InvalidAttributeValueException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanException;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.ReflectionException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code io.migov:type=Governor,name=Tunables}: the governor's settings as a dynamic MBean derived
 * from the one declaration of every config key ({@link Settings}). Runtime-mutable keys are
 * read-write attributes (the jobs read them afresh on every tick and pass, so a change takes effect
 * at the next tick), startup-only keys read-only ones (a restart changes them); each attribute is
 * the key with a capital initial ({@code LookAhead}) and carries the key's description, unit,
 * bounds and default, so JConsole shows what it means. Besides: {@code StateCount},
 * {@code ConfigFile} and {@link #reloadConfig()}.
 *
 * <p>A set validates with the configuration's own rules (the core records'), so a value the config
 * file would reject is rejected here with the same message, naming the config key, e.g.
 * {@code lookAhead: expected 1..1000, got 0}; a rejected set changes nothing. Values set here are
 * not written to the config file: a restart or {@link #reloadConfig()} returns to the file's.
 */
public final class GovernorTunablesBean implements DynamicMBean {

    private static final Logger LOG = LoggerFactory.getLogger(GovernorTunablesBean.class);

    /** The runtime-mutable keys, in the documentation's order. */
    static final Map<String, Setting<?>> TUNABLES = new LinkedHashMap<>();
    /** Attribute name → the setting it shows. */
    private static final Map<String, Setting<?>> ATTRIBUTES = new LinkedHashMap<>();
    private static final String STATE_COUNT = "StateCount";
    private static final String CONFIG_FILE = "ConfigFile";
    private static final String RELOAD = "reloadConfig";
    private static final MBeanInfo INFO;

    static {
        List<MBeanAttributeInfo> attributes = new ArrayList<>();
        for (Setting<?> s : Settings.ALL) {
            if (s.runtimeMutable()) {
                TUNABLES.put(s.key(), s);
            }
            if (s.exposed()) {
                ATTRIBUTES.put(s.attributeName(), s);
                attributes.add(new MBeanAttributeInfo(s.attributeName(), openType(s.attributeType()), s.description(), true,
                        s.runtimeMutable(), false, new ImmutableDescriptor(
                                "units=" + Setting.plain(s.unit()), "configKey=" + s.key(), "configBounds=" + Setting.plain(s.bounds()),
                                "configDefault=" + Setting.plain(s.defaultText()), "scope=" + (s.runtimeMutable() ? "runtime-mutable" : "startup-only"))));
            }
        }
        attributes.add(new MBeanAttributeInfo(STATE_COUNT, "int",
                "States of the scheme (count; product of thresholds + 1 per resource, startup-only)", true, false, false,
                new ImmutableDescriptor("units=count", "scope=startup-only")));
        attributes.add(new MBeanAttributeInfo(CONFIG_FILE, "java.lang.String",
                "The file reloadConfig reads (path, or a note that the daemon runs without one)", true, false, false,
                new ImmutableDescriptor("units=path")));
        MBeanOperationInfo reload = new MBeanOperationInfo(RELOAD, "Re-read the config file and apply its runtime-mutable keys, "
                + "all or nothing (same validation as at startup; returns what changed). Values set through JMX are replaced by the "
                + "file's", new MBeanParameterInfo[0], "java.lang.String", MBeanOperationInfo.ACTION);
        INFO = new MBeanInfo(GovernorTunablesBean.class.getName(), "The governor's settings: runtime-mutable ones read-write, "
                + "startup-only ones read-only (docs/configuration.md)", attributes.toArray(MBeanAttributeInfo[]::new), null,
                new MBeanOperationInfo[] {reload}, null);
    }

    private final AtomicReference<GovernorSettings> settings;
    private final DaemonConfig startup;
    private final ConfigReloader reloader;

    GovernorTunablesBean(AtomicReference<GovernorSettings> settings, DaemonConfig startup, ConfigReloader reloader) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.startup = Objects.requireNonNull(startup, "startup");
        this.reloader = Objects.requireNonNull(reloader, "reloader");
    }

    private static String openType(Class<?> type) {
        if (type == Integer.class) {
            return "int";
        }
        if (type == Long.class) {
            return "long";
        }
        if (type == Double.class) {
            return "double";
        }
        if (type == Boolean.class) {
            return "boolean";
        }
        if (type == String.class) {
            return "java.lang.String";
        }
        throw new IllegalArgumentException("no attribute type for " + type);
    }

    // =============================================================================== DynamicMBean

    @Override
    public MBeanInfo getMBeanInfo() {
        return INFO;
    }

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException {
        if (STATE_COUNT.equals(attribute)) {
            return startup.discretiser().stateCount();
        }
        if (CONFIG_FILE.equals(attribute)) {
            return reloader.source();
        }
        Setting<?> s = attribute == null ? null : ATTRIBUTES.get(attribute);
        if (s == null) {
            throw new AttributeNotFoundException(attribute);
        }
        return s.runtimeMutable() ? s.value(settings.get()) : s.current(startup);
    }

    @Override
    public void setAttribute(Attribute attribute) throws AttributeNotFoundException, InvalidAttributeValueException, MBeanException {
        Setting<?> s = ATTRIBUTES.get(attribute.getName());
        if (s == null || !s.runtimeMutable()) {
            throw new AttributeNotFoundException(attribute.getName() + " is not a writable attribute");
        }
        Object value = attribute.getValue();
        if (!s.attributeType().isInstance(value)) {
            throw new InvalidAttributeValueException(attribute.getName() + ": expected " + openType(s.attributeType()) + ", got "
                    + (value == null ? "null" : value.getClass().getName()));
        }
        try {
            update(s, value);
        } catch (IllegalArgumentException e) {
            throw new MBeanException(e, e.getMessage());
        }
    }

    /** Applies one change atomically; the change's validation failure propagates and nothing changes. */
    private void update(Setting<?> s, Object value) {
        GovernorSettings before;
        GovernorSettings after;
        do {
            before = settings.get();
            after = s.with(before, value);
        } while (!settings.compareAndSet(before, after));
        Object old = s.value(before);
        Object now = s.value(after);
        if (!old.equals(now)) {
            LOG.info("tunable {} set to {} (was {}) through JMX", s.key(), now, old);
        }
    }

    @Override
    public AttributeList getAttributes(String[] attributes) {
        AttributeList out = new AttributeList();
        for (String name : attributes) {
            try {
                out.add(new Attribute(name, getAttribute(name)));
            } catch (AttributeNotFoundException e) {
                // left out, as the JMX contract says
            }
        }
        return out;
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        AttributeList out = new AttributeList();
        for (Attribute a : attributes.asList()) {
            try {
                setAttribute(a);
                out.add(new Attribute(a.getName(), getAttribute(a.getName())));
            } catch (AttributeNotFoundException | InvalidAttributeValueException | MBeanException e) {
                // left out, as the JMX contract says
            }
        }
        return out;
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) throws MBeanException, ReflectionException {
        if (RELOAD.equals(actionName) && (params == null || params.length == 0)) {
            try {
                return reloadConfig();
            } catch (IllegalArgumentException e) {
                throw new MBeanException(e, e.getMessage());
            }
        }
        throw new ReflectionException(new NoSuchMethodException(actionName), "no operation " + actionName);
    }

    // =============================================================================== operations

    /**
     * Reads the configuration again (the same file and command-line overrides as at startup) and
     * applies its runtime-mutable keys, all or nothing: an invalid file changes nothing and the
     * error names the key. Startup-only keys that differ are reported, not applied.
     */
    public String reloadConfig() {
        DaemonConfig fresh;
        try {
            fresh = reloader.reload();
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage() + " (nothing changed)");
        }
        GovernorSettings before = settings.getAndSet(fresh.settings());
        List<String> changed = new ArrayList<>();
        List<String> restart = new ArrayList<>();
        for (Setting<?> s : Settings.ALL) {
            if (s.runtimeMutable()) {
                Object was = s.value(before);
                Object now = s.value(fresh.settings());
                if (!was.equals(now)) {
                    changed.add(s.key() + " " + was + " → " + now);
                }
            } else if (!Objects.equals(s.current(startup), s.current(fresh))) {
                restart.add(s.key());
            }
        }
        String result = "reloaded " + reloader.source() + ": "
                + (changed.isEmpty() ? "no runtime-mutable key changed" : String.join(", ", changed))
                + (restart.isEmpty() ? "" : "; startup-only keys differ, restart to apply: " + String.join(", ", restart));
        LOG.info("{}", result);
        return result;
    }

    /** The current value of a config key (runtime-mutable), for messages and tests. */
    static Object value(GovernorSettings s, String key) {
        Setting<?> setting = TUNABLES.get(key);
        if (setting == null) {
            throw new IllegalArgumentException("key: expected one of " + TUNABLES.keySet() + ", got " + key);
        }
        return setting.value(s);
    }
}
