// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon.management;

import io.migov.testing.PackagedConfig;
import io.migov.daemon.ConfigException;
import io.migov.daemon.DaemonConfig;
import io.migov.governor.GovernorSettings;
import io.migov.jmx.ManagedExports;
import io.migov.testing.BadJson;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import javax.management.Attribute;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanException;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JMX tunables (set through a real MBean server, as a remote client's set arrives), property
 * tested: for every runtime-mutable key and any value, the setter accepts exactly what the config
 * file accepts and refuses the rest with the config's own message, naming the key and the value;
 * a refused set, a value of the wrong type or a reload of a broken file leaves the settings the
 * governor reads the very same object.
 */
class TunablesProperties {

    private static final Map<String, String> PACKAGED = PackagedConfig.entries();
    private static Path dir;
    private static Path configFile;
    private static final AtomicReference<GovernorSettings> SETTINGS = new AtomicReference<>(GovernorSettings.DEFAULTS);
    private static MBeanServer server;
    private static final Map<String, String> TYPES = new HashMap<>();


    @BeforeContainer
    static void exportTheBean() throws Exception {
        dir = Files.createTempDirectory("migov-tunables");
        configFile = dir.resolve("migov.json");
        Files.writeString(configFile, BadJson.render(PACKAGED, null, null, false));
        ConfigReloader reloader = new ConfigReloader() {
            @Override
            public DaemonConfig reload() throws ConfigException {
                return DaemonConfig.load(configFile, DaemonConfig.Overrides.NONE);
            }

            @Override
            public String source() {
                return configFile.toString();
            }
        };
        server = MBeanServerFactory.newMBeanServer();
        new ManagedExports(server).export(ManagementPlane.TUNABLES,
                new GovernorTunablesBean(SETTINGS, DaemonConfig.defaults(DaemonConfig.Overrides.NONE), reloader));
        for (MBeanAttributeInfo a : server.getMBeanInfo(ManagementPlane.TUNABLES).getAttributes()) {
            TYPES.put(a.getName(), a.getType());
        }
    }

    @AfterContainer
    static void removeTheFiles() throws Exception {
        Files.deleteIfExists(configFile);
        Files.deleteIfExists(dir);
    }

    private static String attribute(String key) {
        return Character.toUpperCase(key.charAt(0)) + key.substring(1);
    }

    /** A key and a value of its attribute's type: every bound ± 1, NaN and the infinities, any string. */
    @Provide
    Arbitrary<Object[]> keyAndValue() {
        return Arbitraries.of(GovernorTunablesBean.TUNABLES.keySet()).flatMap(key -> {
            String type = TYPES.get(attribute(key));
            Arbitrary<?> values = switch (type) {
                case "int" -> Arbitraries.oneOf(Arbitraries.integers(), Arbitraries.of(-1, 0, 1, 2, 10, 11, 59, 60, 61, 100, 101, 511, 512, 513,
                        1000, 1001, 3600, 3601, 4096, 86400, 86401, 65536, Integer.MIN_VALUE, Integer.MAX_VALUE));
                case "long" -> Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(-1L, 0L, 1L, 5000L, 2_000_000L, 2_000_001L, 999_999L,
                        1_000_000L, 1_000_000_000_000L, 1_000_000_000_001L, Long.MIN_VALUE, Long.MAX_VALUE));
                case "double" -> Arbitraries.oneOf(Arbitraries.doubles(), Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY,
                        Double.NEGATIVE_INFINITY, -0.0, 0.0, Double.MIN_VALUE, 0.5, 1.0, 1.0000000001, 99.99, 100.0, -1.0));
                case "boolean" -> Arbitraries.of(true, false);
                default -> Arbitraries.oneOf(BadJson.strings(), Arbitraries.of("enforce", "ADVISE", " off ", "migov", "hybrid(3)",
                        "Hybrid(1000)", "hybrid(1001)", "nova", "kubevirt-stall", "precopy "));
            };
            return values.map(v -> new Object[] {key, v});
        });
    }

    @Property(tries = 500)
    void set_anyValue_acceptedExactlyWhenTheConfigFileWouldBe_refusedWithItsMessage(@ForAll("keyAndValue") Object[] kv) throws Exception {
        String key = (String) kv[0];
        Object value = kv[1];
        SETTINGS.set(GovernorSettings.DEFAULTS);
        GovernorSettings before = SETTINGS.get();
        String json = value instanceof String s ? BadJson.string(s) : value.toString();
        boolean inJson = !(value instanceof Double d) || Double.isFinite(d);

        String configError = null;
        GovernorSettings configured = null;
        if (inJson) {
            try {
                configured = DaemonConfig.parse("{" + BadJson.string(key) + ": " + json + "}", "t.json", dir, DaemonConfig.Overrides.NONE)
                        .settings();
            } catch (ConfigException e) {
                configError = e.getMessage();
            }
        }
        try {
            server.setAttribute(ManagementPlane.TUNABLES, new Attribute(attribute(key), value));
        } catch (MBeanException e) {
            Exception cause = e.getTargetException();
            assertInstanceOf(IllegalArgumentException.class, cause, key + " = " + value);
            String message = cause.getMessage();
            if (key.startsWith("dirtyRate") && message.startsWith("dirtyRateCalcSeconds: expected less than dirtyRateIntervalSeconds")) {
                // the constraint between the two keys names the calculation, whichever of them was set
                assertTrue(message.contains(value.toString()), message);
            } else {
                assertTrue(message.startsWith(key + ": expected "), message);
                assertTrue(message.contains("got " + value) || message.contains("got '" + value + "'"), "does not show the value: " + message);
            }
            assertSame(before, SETTINGS.get(), key + " = " + value + ": refused, yet the settings changed");
            if (inJson) {
                assertEquals(configError, "config: " + ConfigException.oneLine(message), key + " = " + value + ": the config file says");
            }
            return;
        }
        if (inJson) {
            assertNotNull(configured, key + " = " + value + " set through JMX, but the config file refuses it: " + configError);
            assertEquals(GovernorTunablesBean.value(configured, key), GovernorTunablesBean.value(SETTINGS.get(), key));
            assertEquals(configured, SETTINGS.get(), "only " + key + " changed");
        } else {
            throw new AssertionError(key + " = " + value + " accepted");
        }
    }

    @Provide
    Arbitrary<Object[]> wrongTypes() {
        return Arbitraries.of(GovernorTunablesBean.TUNABLES.keySet()).flatMap(key -> {
            String type = TYPES.get(attribute(key));
            Arbitrary<Object> wrong = Arbitraries.<Object>of("5", 5, 5L, 5.0, true, new int[] {5}, 'x', (short) 5).filter(v -> switch (type) {
                case "int" -> !(v instanceof Integer);
                case "long" -> !(v instanceof Long);
                case "double" -> !(v instanceof Double);
                case "boolean" -> !(v instanceof Boolean);
                default -> !(v instanceof String);
            });
            return wrong.map(v -> new Object[] {key, v});
        });
    }

    @Property(tries = 200)
    void set_valueOfTheWrongType_refusedByTheServerAndNothingChanges(@ForAll("wrongTypes") Object[] kv) {
        SETTINGS.set(GovernorSettings.DEFAULTS);
        GovernorSettings before = SETTINGS.get();
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> server.setAttribute(ManagementPlane.TUNABLES, new Attribute(attribute((String) kv[0]), kv[1])));
        assertTrue(e instanceof JMException || e instanceof javax.management.JMRuntimeException, "not a JMX exception: " + e);
        assertSame(before, SETTINGS.get());
    }

    @Provide
    Arbitrary<BadJson.Mutation> mutatedConfigFiles() {
        return BadJson.mutations(PACKAGED, Arbitraries.of("tickMillis", "look_ahead"));
    }

    @Property(tries = 300)
    void reloadConfig_mutatedFile_appliedWholeOrRefusedChangingNothing(@ForAll("mutatedConfigFiles") BadJson.Mutation m) throws Exception {
        SETTINGS.set(GovernorSettings.DEFAULTS.withMode(io.migov.governor.Mode.ADVISE)); // differs from the file's, so a reload shows
        GovernorSettings before = SETTINGS.get();
        Files.write(configFile, m.text().getBytes(java.nio.charset.StandardCharsets.UTF_8)); // a lone surrogate as "?"
        DaemonConfig fresh;
        try {
            fresh = DaemonConfig.load(configFile, DaemonConfig.Overrides.NONE);
        } catch (ConfigException e) {
            MBeanException x = org.junit.jupiter.api.Assertions.assertThrows(MBeanException.class,
                    () -> server.invoke(ManagementPlane.TUNABLES, "reloadConfig", new Object[0], new String[0]), m.toString());
            assertEquals(e.getMessage() + " (nothing changed)", x.getTargetException().getMessage());
            assertSame(before, SETTINGS.get(), "a refused reload changed the settings: " + m);
            return;
        }
        String result = (String) server.invoke(ManagementPlane.TUNABLES, "reloadConfig", new Object[0], new String[0]);
        assertTrue(result.startsWith("reloaded " + configFile + ": "), result);
        assertEquals(fresh.settings(), SETTINGS.get(), m.toString());
    }
}
