// SPDX-License-Identifier: Apache-2.0
package io.migov.jmx;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * migov's MBean naming convention: one domain, {@value #DOMAIN}; every name has a {@code type} key
 * and, where there is more than one of a type, a {@code name} key whose value is always quoted with
 * {@link ObjectName#quote(String)} (so a VM called {@code web,1} or {@code a:b} is still one name).
 * Examples: {@code io.migov:type=Governor,name="State"}, {@code io.migov:type=Vm,name="jmx-a"}.
 */
public final class MBeanNames {

    /** The domain of every migov MBean (metrics use {@value #METRICS_DOMAIN}). */
    public static final String DOMAIN = "io.migov";
    /** The domain of the dropwizard-metrics MBeans. */
    public static final String METRICS_DOMAIN = "io.migov.metrics";

    private MBeanNames() {
    }

    /** {@code io.migov:type=<type>}. */
    public static ObjectName of(String type) {
        return parse(DOMAIN + ":type=" + requireKeyValue("type", type));
    }

    /** {@code io.migov:type=<type>,name=<quoted name>}. */
    public static ObjectName of(String type, String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("name: expected a non-empty name, got '" + name + "'");
        }
        return parse(DOMAIN + ":type=" + requireKeyValue("type", type) + ",name=" + ObjectName.quote(name));
    }

    /** Pattern matching every MBean of a type: {@code io.migov:type=<type>,*}. */
    public static ObjectName pattern(String type) {
        return parse(DOMAIN + ":type=" + requireKeyValue("type", type) + ",*");
    }

    /** The unquoted {@code name} key of an ObjectName, or null when it has none. */
    public static String name(ObjectName objectName) {
        String raw = objectName.getKeyProperty("name");
        if (raw == null) {
            return null;
        }
        return raw.startsWith("\"") ? ObjectName.unquote(raw) : raw;
    }

    private static String requireKeyValue(String key, String value) {
        if (value == null || value.isEmpty() || !value.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException(key + ": expected letters, digits, '_', '.' or '-', got '" + value + "'");
        }
        return value;
    }

    private static ObjectName parse(String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("object name: " + e.getMessage() + ", got " + name, e);
        }
    }
}
