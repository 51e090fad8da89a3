// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon.management;

import io.migov.testing.FakeHypervisor;
import io.migov.port.DomainStats;
import io.migov.testing.TestStats;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.migov.core.DecisionCore;
import io.migov.daemon.ConfigException;
import io.migov.daemon.DaemonConfig;
import io.migov.daemon.ScheduledWork;
import io.migov.governor.Governor;
import io.migov.governor.GovernorSettings;
import io.migov.governor.MigrationRecord;
import io.migov.governor.ModelStore;
import io.migov.jmx.JmxClient;
import io.migov.jmx.MBeanNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.Attribute;
import javax.management.AttributeNotFoundException;
import javax.management.JMX;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanException;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServerConnection;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The management plane through a real JMX connector server on localhost (random free ports, a
 * password file): every MBean read and driven as a remote client would, with a fake hypervisor under
 * a real governor.
 */
class ManagementPlaneTest {

    private static final String UUID_A = "6c653893-0e90-474e-a49a-0bf763b94100";
    private static final String UUID_B = "6c653893-0e90-474e-a49a-0bf763b94101";
    private static final long MIB = 1024 * 1024;
    private static final long SECOND = 1_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final FakeHypervisor host = new FakeHypervisor();
    private final AtomicLong nanos = new AtomicLong(1_000 * SECOND);
    private final List<MigrationRecord> written = new CopyOnWriteArrayList<>();
    private final Map<String, long[]> counters = new HashMap<>();
    private Path configFile;
    private DaemonConfig config;
    private AtomicReference<GovernorSettings> settings;
    private Governor governor;
    private ManagementPlane plane;
    private ScheduledWork work;
    private JMXConnector client;
    private MBeanServerConnection jmx;

    @BeforeEach
    void setUp() throws Exception {
        Path passwords = Files.writeString(dir.resolve("jmx.password"), "ops s3cret\n");
        Files.setPosixFilePermissions(passwords, PosixFilePermissions.fromString("rw-------"));
        configFile = dir.resolve("migov.json");
        writeConfig("\"lookAhead\": 5");
        config = DaemonConfig.load(configFile, DaemonConfig.Overrides.NONE);
        settings = new AtomicReference<>(config.settings());
        plane = ManagementPlane.create(config, settings, reloader(), "migov test", MBeanServerFactory.newMBeanServer());
        governor = Governor.builder().hypervisor(plane.metered(host)).core(DecisionCore.of(config.discretiser()))
                .settings(settings::get)
                .clock(Clock.fixed(Instant.parse("2026-11-22T00:00:00Z"), ZoneOffset.UTC))
                .ticker(nanos::get)
                .recordSink(plane.recording(written::add))
                .modelStore(plane.counting(new ModelStore() {
                    @Override
                    public Optional<String> load(String uuid) {
                        return Optional.empty();
                    }

                    @Override
                    public void save(String uuid, String json) {
                    }
                }))
                .executor(Runnable::run)
                .build();
        plane.start(governor);
        work = plane.timed(new ScheduledWork() {
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
        });
        client = JmxClient.connect(plane.remoteUrl().orElseThrow(), "ops", "s3cret", false);
        jmx = client.getMBeanServerConnection();
    }

    @AfterEach
    void tearDown() throws IOException {
        client.close();
        plane.close();
    }

    private void writeConfig(String extra) throws IOException {
        Files.writeString(configFile, "{\"connect\": \"fake:///system\", \"stateDir\": \"" + dir.resolve("state") + "\", "
                + "\"jmxRemote\": true, \"jmxRegistryPort\": " + freePort() + ", \"jmxServerPort\": " + freePort() + ", "
                + "\"jmxPasswordFile\": \"jmx.password\", \"stateSpace\": \"usage\"" + (extra.isEmpty() ? "" : ", " + extra) + "}");
    }

    private ConfigReloader reloader() {
        return new ConfigReloader() {
            @Override
            public DaemonConfig reload() throws ConfigException {
                return DaemonConfig.load(configFile, DaemonConfig.Overrides.NONE);
            }

            @Override
            public String source() {
                return configFile.toString();
            }
        };
    }

    private static final Set<Integer> PORTS = new java.util.HashSet<>();

    /** A free loopback port not handed out before in this run (the registry and the server port must differ). */
    private static synchronized int freePort() throws IOException {
        while (true) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (PORTS.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            }
        }
    }

    /** One second of a VM on the fake host (cpu and memory in percent), then one profiler tick (with the reconciler). */
    private void second(String uuid, String name, double cpuPercent, double memPercent) {
        long[] c = counters.computeIfAbsent(uuid, u -> new long[1]);
        c[0] += (long) (cpuPercent / 100 * SECOND);
        host.put(TestStats.running(uuid, name, c[0], memPercent, 0, 0));
        nanos.addAndGet(SECOND);
        work.tick();
        work.measureWriteIntensity();
    }

    private void tick() {
        nanos.addAndGet(SECOND);
        work.tick();
    }

    private void pass(String uuid, int iteration, long dirty, long remaining) {
        host.jobs.put(uuid, TestStats.migrating(iteration, dirty, remaining));
        host.listener.onMigrationIteration(uuid, iteration);
    }

    private void complete(String uuid) {
        host.jobs.remove(uuid);
        host.listener.onJobCompleted(uuid, TestStats.completed(4321));
    }

    private <T> T proxy(ObjectName name, Class<T> type) {
        return JMX.newMXBeanProxy(jmx, name, type);
    }

    private static ObjectName vm(String name) {
        return MBeanNames.of(ManagementPlane.VM_TYPE, name);
    }

    private Set<ObjectName> vmMBeans() throws IOException {
        return jmx.queryNames(MBeanNames.pattern(ManagementPlane.VM_TYPE), null);
    }

    // =============================================================================== attributes

    /** Every attribute of every migov MBean, read remotely; each value of an open type (or null), each described. */
    @Test
    void everyMBean_everyAttribute_readableAsOpenTypesWithDescriptions() throws Exception {
        second(UUID_A, "jmx-a", 10, 70);
        second(UUID_A, "jmx-a", 10, 70);
        pass(UUID_A, 1, 0, 512 * MIB); // a migration in progress, so that Migration and Active have content
        List<ObjectName> names = new ArrayList<>(List.of(ManagementPlane.STATE, ManagementPlane.TUNABLES, ManagementPlane.MIGRATIONS,
                vm("jmx-a")));
        int read = 0;
        for (ObjectName name : names) {
            MBeanInfo info = jmx.getMBeanInfo(name);
            for (MBeanAttributeInfo a : info.getAttributes()) {
                assertFalse(a.getDescription() == null || a.getDescription().isBlank() || a.getDescription().equals(a.getName()),
                        name + " " + a.getName() + " has no description");
                Object value = jmx.getAttribute(name, a.getName());
                assertTrue(value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                        || value instanceof CompositeData || value instanceof TabularData, name + " " + a.getName() + ": " + value);
                assertTrue(value == null || value.getClass().getName().startsWith("java") || value.getClass().getName().startsWith("javax"),
                        name + " " + a.getName() + " is a " + value.getClass());
                read++;
            }
            for (MBeanOperationInfo o : info.getOperations()) {
                assertFalse(o.getDescription() == null || o.getDescription().isBlank() || o.getDescription().equals(o.getName()),
                        name + " " + o.getName() + "() has no description");
            }
        }
        assertTrue(read >= 60, "attributes read: " + read);
    }

    @Test
    void stateMBean_throughAnMXBeanProxy_reportsTheGovernorsCounters() throws Exception {
        second(UUID_A, "jmx-a", 10, 70);
        second(UUID_A, "jmx-a", 10, 70);
        Proxies.State state = proxy(ManagementPlane.STATE, Proxies.State.class);
        assertEquals("migov test", state.getVersion());
        assertEquals("fake:///system", state.getLibvirtUri());
        assertTrue(state.isLibvirtConnected());
        assertEquals(1, state.getVmsProfiled());
        assertEquals(2, state.getTicks());
        assertEquals(0, state.getMigrationsSeen());
        assertEquals(plane.remoteUrl().orElseThrow().toString(), state.getRemoteJmxUrl());
        pass(UUID_A, 1, 0, 512 * MIB); // memory-intensive: POST_COPY, switched at once
        assertEquals(1, state.getMigrationsSeen());
        assertEquals(1, state.getMigrationsActive());
        assertEquals(1, state.getSwitches());
        assertEquals(1, state.getMigrationsSteered());
        assertEquals(0, state.getErrors());
        assertEquals(0, state.getPostCopyFailures());
        assertEquals("", state.getVmsPausedPostCopyFailed());
    }

    @Test
    void stateMBean_postCopyFailed_countsItAndNamesTheVmWhileItStaysPaused() throws Exception {
        second(UUID_A, "jmx-a", 10, 70);
        second(UUID_A, "jmx-a", 10, 70);
        Proxies.State state = proxy(ManagementPlane.STATE, Proxies.State.class);
        pass(UUID_A, 1, 0, 512 * MIB); // switched to post-copy
        host.listener.onLifecycle(UUID_A, 3 /* SUSPENDED */, 8 /* POSTCOPY_FAILED */);
        host.put(TestStats.paused(UUID_A, "jmx-a", 0, DomainStats.PAUSED_POSTCOPY_FAILED));
        tick();
        tick();
        assertEquals(1, state.getPostCopyFailures(), "the event and the statistics are one failure");
        assertEquals("jmx-a", state.getVmsPausedPostCopyFailed());
        host.put(TestStats.running(UUID_A, "jmx-a", 0, 70, 0, 0)); // resumed (recovered by hand)
        tick();
        assertEquals("", state.getVmsPausedPostCopyFailed());
        assertEquals(1, state.getPostCopyFailures());
    }

    // =============================================================================== tunables

    /** key → {valid value, invalid value} for every runtime-mutable setting. */
    private static Map<String, Object[]> tunableValues() {
        Map<String, Object[]> m = new LinkedHashMap<>();
        m.put("mode", new Object[] {"advise", "fast"});
        m.put("lookAhead", new Object[] {7, 0});
        m.put("maxIterations", new Object[] {6, 1001});
        m.put("memoryIntensiveShare", new Object[] {0.75, 0.0});
        m.put("fallbackMaxDowntimeMillis", new Object[] {2000L, 0L});
        m.put("noiseMarginPercent", new Object[] {2.5, 100.0});
        m.put("stallWindowIterations", new Object[] {2, 0});
        m.put("patienceIterations", new Object[] {3, -1});
        m.put("completionPasses", new Object[] {1, 11});
        m.put("pageSizeBytes", new Object[] {65536, 1000});
        m.put("linkCapacityBitsPerSecond", new Object[] {10_000_000_000L, 999L});
        m.put("modelSyncIntervalSeconds", new Object[] {5, 0});
        m.put("checkpointIntervalSeconds", new Object[] {10, 86_401});
        m.put("policy", new Object[] {"always-postcopy", "hybrid(0)"});
        m.put("kubevirtStallWindowSeconds", new Object[] {20, 0});
        m.put("kubevirtCompletionTimeoutPerGiB", new Object[] {60, 86_401});
        m.put("postcopyGuard", new Object[] {false, null}); // a boolean has no invalid value of its type
        m.put("postcopyGuardSecondsPerGiB", new Object[] {300, 0});
        m.put("postcopyGuardBudgetFactor", new Object[] {3.0, 0.5});
        m.put("postcopyGuardStallMillis", new Object[] {5000L, 999L});
        m.put("postcopyGuardCollapseShare", new Object[] {0.2, 1.0});
        m.put("dirtyRateIntervalSeconds", new Object[] {20, -1});
        m.put("dirtyRateCalcSeconds", new Object[] {2, 0});
        m.put("migrationBandwidthBytesPerSecond", new Object[] {104_857_600L, -1L});
        m.put("dirtyRateMaxCalcsPerSecond", new Object[] {0.5, 0.0});
        m.put("interferenceModel", new Object[] {"", "relative/model.json"});
        m.put("interferenceOnProbability", new Object[] {0.6, 0.0});
        m.put("interferenceOnSeconds", new Object[] {3, 0});
        m.put("interferenceOffProbability", new Object[] {0.2, 1.0});
        m.put("interferenceOffSeconds", new Object[] {4, 3601});
        m.put("interferenceThresholdProbability", new Object[] {0.6, 1.0});
        m.put("storageKpBytesPerSecond", new Object[] {1e6, -1.0});
        m.put("storageKiBytesPerSecondSquared", new Object[] {2.5e5, -1.0});
        m.put("storageKdBytes", new Object[] {3e4, -1.0});
        m.put("storageMinBytesPerSecond", new Object[] {2_097_152L, 0L});
        m.put("storageMaxBytesPerSecond", new Object[] {209_715_200L, 1L});
        m.put("prefetchFactor", new Object[] {20.0, 10_001.0});
        m.put("prefetchMemoryCapBytes", new Object[] {536_870_912L, -1L});
        return m;
    }

    private static String attribute(String key) {
        return Character.toUpperCase(key.charAt(0)) + key.substring(1);
    }

    @Test
    void tunables_everyRuntimeKeyIsWritable_everyStartupKeyReadOnly() throws Exception {
        MBeanInfo info = jmx.getMBeanInfo(ManagementPlane.TUNABLES);
        Set<String> writable = new java.util.TreeSet<>();
        for (MBeanAttributeInfo a : info.getAttributes()) {
            if (a.isWritable()) {
                writable.add(a.getName());
            }
        }
        Set<String> expected = new java.util.TreeSet<>();
        for (String key : tunableValues().keySet()) {
            expected.add(attribute(key));
        }
        assertEquals(expected, writable);
        assertEquals(GovernorTunablesBean.TUNABLES.keySet(), tunableValues().keySet(), "the test covers every tunable");
        assertThrows(AttributeNotFoundException.class, () -> jmx.setAttribute(ManagementPlane.TUNABLES,
                new Attribute("Connect", "qemu:///session")));
        assertEquals("fake:///system", jmx.getAttribute(ManagementPlane.TUNABLES, "Connect"));
    }

    /** What JConsole shows of each tunable is the catalogue's: description, unit, bounds, default, access. */
    @Test
    void tunables_attributeInfo_describesEachSettingFromTheCatalogue() throws Exception {
        Map<String, MBeanAttributeInfo> infos = new HashMap<>();
        for (MBeanAttributeInfo a : jmx.getMBeanInfo(ManagementPlane.TUNABLES).getAttributes()) {
            infos.put(a.getName(), a);
        }
        for (io.migov.daemon.Setting<?> s : io.migov.daemon.Settings.ALL) {
            MBeanAttributeInfo a = infos.get(s.attributeName());
            if (!s.exposed()) {
                assertNull(a, s.key());
                continue;
            }
            assertNotNull(a, s.key());
            assertEquals(s.description(), a.getDescription());
            assertTrue(a.getDescription().contains(io.migov.daemon.Setting.plain(s.meaning())), a.getDescription());
            assertEquals(s.runtimeMutable(), a.isWritable(), s.key());
            assertEquals(s.key(), a.getDescriptor().getFieldValue("configKey"));
            assertEquals(io.migov.daemon.Setting.plain(s.unit()), a.getDescriptor().getFieldValue("units"));
            assertEquals(io.migov.daemon.Setting.plain(s.bounds()), a.getDescriptor().getFieldValue("configBounds"));
            assertEquals(io.migov.daemon.Setting.plain(s.defaultText()), a.getDescriptor().getFieldValue("configDefault"));
            assertEquals(s.runtimeMutable() ? "runtime-mutable" : "startup-only", a.getDescriptor().getFieldValue("scope"));
        }
        assertEquals("lookAhead (runtime-mutable): n: steps predicted at migration start. Unit: steps (seconds); bounds: 1..1000; "
                + "default: 5", infos.get("LookAhead").getDescription());
    }

    @Test
    void tunables_setEachValidValue_theGovernorsSettingsReturnItAtTheNextTick() throws Exception {
        for (Map.Entry<String, Object[]> e : tunableValues().entrySet()) {
            String key = e.getKey();
            Object value = e.getValue()[0];
            jmx.setAttribute(ManagementPlane.TUNABLES, new Attribute(attribute(key), value));
            assertEquals(value, jmx.getAttribute(ManagementPlane.TUNABLES, attribute(key)), key);
            assertEquals(value, GovernorTunablesBean.value(settings.get(), key), key + " in the settings the governor reads");
        }
        // and the governor acts on them at its next tick: a migration seen now is decided with n = 7 in advise mode
        second(UUID_A, "jmx-a", 10, 70);
        second(UUID_A, "jmx-a", 10, 70);
        pass(UUID_A, 1, 0, 512 * MIB);
        CompositeData m = (CompositeData) jmx.getAttribute(vm("jmx-a"), "Migration");
        assertEquals(7, m.get("lookAhead"));
        assertEquals("advise", m.get("mode"));
        assertEquals("switch_to_postcopy", m.get("advisedAction"));
        assertEquals("none", m.get("takenAction"));
        assertTrue(host.calls.isEmpty(), "advise mode set over JMX: nothing carried out, " + host.calls);
    }

    @Test
    void tunables_setEachInvalidValue_rejectedNamingThePropertyAndNothingChanges() throws Exception {
        for (Map.Entry<String, Object[]> e : tunableValues().entrySet()) {
            String key = e.getKey();
            if (e.getValue()[1] == null) {
                continue;
            }
            GovernorSettings before = settings.get();
            Object shown = jmx.getAttribute(ManagementPlane.TUNABLES, attribute(key));
            MBeanException x = assertThrows(MBeanException.class,
                    () -> jmx.setAttribute(ManagementPlane.TUNABLES, new Attribute(attribute(key), e.getValue()[1])), key);
            Exception cause = x.getTargetException();
            assertInstanceOf(IllegalArgumentException.class, cause, key);
            assertTrue(cause.getMessage().startsWith(key + ": expected "), cause.getMessage());
            assertTrue(cause.getMessage().contains("got "), cause.getMessage());
            assertSame(before, settings.get(), key + ": a rejected set changes nothing");
            assertEquals(shown, jmx.getAttribute(ManagementPlane.TUNABLES, attribute(key)));
        }
    }

    @Test
    void tunables_throughAnMXBeanProxy_validSetsAndInvalidThrowsTheMessage() {
        Proxies.Tunables t = proxy(ManagementPlane.TUNABLES, Proxies.Tunables.class);
        t.setLookAhead(9);
        t.setMode("off");
        t.setMemoryIntensiveShare(0.6);
        assertEquals(9, settings.get().lookAhead());
        assertEquals("off", t.getMode());
        assertEquals(0.6, settings.get().controller().memoryIntensiveShare());
        RuntimeException e = assertThrows(RuntimeException.class, () -> t.setFallbackMaxDowntimeMillis(0));
        Throwable cause = e instanceof IllegalArgumentException ? e : e.getCause();
        assertTrue(cause.getMessage().contains("fallbackMaxDowntimeMillis: expected 1..2000000"), String.valueOf(cause));
        assertEquals(5000, t.getFallbackMaxDowntimeMillis());
        assertEquals("fake:///system", t.getConnect());
        assertEquals(81, t.getStateCount());
        assertTrue(t.isJmxRemote());
    }

    // =============================================================================== operations

    @Test
    void pauseAndResumeSteering_idempotent_pausedDecidesButCarriesOutNothing() throws Exception {
        Proxies.State state = proxy(ManagementPlane.STATE, Proxies.State.class);
        assertEquals("steering paused", state.pauseSteering());
        assertEquals("steering was already paused", state.pauseSteering());
        assertTrue(state.isSteeringPaused());
        second(UUID_A, "jmx-a", 10, 70);
        second(UUID_A, "jmx-a", 10, 70);
        pass(UUID_A, 1, 0, 512 * MIB);
        assertTrue(host.calls.isEmpty(), "paused: " + host.calls);
        complete(UUID_A);
        MigrationRecord r = written.get(0);
        assertEquals("none", r.action());
        assertEquals("switch_to_postcopy", r.advisedAction());
        assertTrue(r.reason().startsWith("steering paused: would switch_to_postcopy"), r.reason());

        assertEquals("steering resumed", state.resumeSteering());
        assertEquals("steering was not paused", state.resumeSteering());
        assertFalse(state.isSteeringPaused());
        tick();
        pass(UUID_A, 1, 0, 512 * MIB);
        assertEquals(List.of("startPostCopy " + UUID_A), host.calls);
    }

    @Test
    void reloadConfig_validFile_appliesTheRuntimeKeysAndReportsStartupOnlyOnes() throws Exception {
        Proxies.Tunables t = proxy(ManagementPlane.TUNABLES, Proxies.Tunables.class);
        t.setLookAhead(9);
        Files.writeString(configFile, Files.readString(configFile).replace("\"lookAhead\": 5", "\"lookAhead\": 8, \"mode\": \"advise\"")
                .replace("fake:///system", "qemu:///session"));
        String result = t.reloadConfig();
        assertTrue(result.contains("lookAhead 9 → 8"), result);
        assertTrue(result.contains("mode enforce → advise"), result);
        assertTrue(result.endsWith("startup-only keys differ, restart to apply: connect"), result);
        assertEquals(8, settings.get().lookAhead());
        assertEquals("fake:///system", t.getConnect(), "startup-only: unchanged");
        assertTrue(t.reloadConfig().contains("no runtime-mutable key changed"), "idempotent");
    }

    @Test
    void reloadConfig_invalidFile_rejectedNamingTheKeyAndNothingChanges() throws Exception {
        Files.writeString(configFile, Files.readString(configFile).replace("\"lookAhead\": 5", "\"lookAhead\": 7, \"maxIterations\": 0"));
        GovernorSettings before = settings.get();
        MBeanException e = assertThrows(MBeanException.class,
                () -> jmx.invoke(ManagementPlane.TUNABLES, "reloadConfig", new Object[0], new String[0]));
        assertEquals("config: maxIterations: expected 1..1000, got 0 (nothing changed)", e.getTargetException().getMessage());
        assertSame(before, settings.get(), "all or nothing: lookAhead 7 was not applied either");
    }

    // =============================================================================== per-VM MBeans

    @Test
    void vmMBeans_appearWithTheirVmAndDisappearWhenItLeaves() throws Exception {
        assertEquals(Set.of(), vmMBeans());
        second(UUID_A, "jmx-a", 10, 10);
        assertEquals(Set.of(vm("jmx-a")), vmMBeans());
        second(UUID_B, "jmx,b:odd\"name", 10, 10);
        assertEquals(Set.of(vm("jmx-a"), vm("jmx,b:odd\"name")), vmMBeans());
        assertEquals(UUID_B, proxy(vm("jmx,b:odd\"name"), Proxies.Vm.class).getUuid());

        host.domains.remove(UUID_A);
        tick();
        assertEquals(Set.of(vm("jmx,b:odd\"name")), vmMBeans());
        host.domains.clear();
        tick();
        assertEquals(Set.of(), vmMBeans());
    }

    @Test
    void vmMBean_migratingAway_staysUntilTheMigrationEndsThenGoes() throws Exception {
        second(UUID_A, "jmx-a", 10, 70);
        second(UUID_A, "jmx-a", 10, 70);
        pass(UUID_A, 1, 0, 512 * MIB);
        assertTrue(proxy(vm("jmx-a"), Proxies.Vm.class).isMigrating());
        TabularData active = (TabularData) jmx.getAttribute(ManagementPlane.MIGRATIONS, "Active");
        assertEquals(1, active.size());
        complete(UUID_A);
        host.domains.remove(UUID_A); // arrived on the destination
        tick();
        assertEquals(Set.of(), vmMBeans());
        TabularData history = (TabularData) jmx.getAttribute(ManagementPlane.MIGRATIONS, "History");
        assertEquals(1, history.size());
        CompositeData row = history.get(new Object[] {1});
        assertEquals("jmx-a", row.get("vm"));
        assertEquals("switch_to_postcopy", row.get("action"));
        assertEquals(9000L, row.get("totalTimeMs"));
        assertEquals(12L, row.get("downtimeMs"));
        assertEquals(0, ((TabularData) jmx.getAttribute(ManagementPlane.MIGRATIONS, "Active")).size());
        Proxies.Migrations m = proxy(ManagementPlane.MIGRATIONS, Proxies.Migrations.class);
        assertEquals(1, m.getRecorded());
        assertEquals(MigrationHistory.DEFAULT_CAPACITY, m.getHistorySize());
    }

    @Test
    void vmMBean_stateAndPredictions_describeTheWorkload() throws Exception {
        second(UUID_A, "jmx-a", 80, 60);
        for (int i = 0; i < 5; i++) {
            second(UUID_A, "jmx-a", 80, 60);
        }
        Proxies.Vm v = proxy(vm("jmx-a"), Proxies.Vm.class);
        assertEquals("jmx-a", v.getName());
        assertEquals(72, v.getState());
        assertEquals("cpu=high,mem=high,net_in=low,net_out=low", v.getLevels());
        assertEquals(5, v.getSamples(), "six readings, five samples (a sample needs two readings)");
        assertEquals("POST_COPY", v.getStrategy());
        assertFalse(v.getStrategyReason().isBlank());
        assertFalse(v.isMigrating());
        assertNull(jmx.getAttribute(vm("jmx-a"), "Migration"));

        TabularData predictions = (TabularData) jmx.getAttribute(vm("jmx-a"), "Predictions");
        assertEquals(5, predictions.size(), "k = 1..lookAhead");
        CompositeData k1 = predictions.get(new Object[] {1});
        assertEquals(72, k1.get("state"), "it stayed in 72 every second");
        assertEquals(1.0, (Double) k1.get("probability"), 1e-9);
        assertEquals("POST_COPY", k1.get("strategy"));
        TabularData row = (TabularData) jmx.getAttribute(vm("jmx-a"), "TransitionRow");
        assertEquals(1, row.size(), "only 72 → 72 observed");
        assertEquals(72, row.get(new Object[] {1}).get("state"));
        CompositeData behaviour = (CompositeData) jmx.getAttribute(vm("jmx-a"), "PredictedBehaviour");
        assertEquals(true, behaviour.get("memoryIntensive"));

        proxy(ManagementPlane.TUNABLES, Proxies.Tunables.class).setLookAhead(3);
        assertEquals(3, ((TabularData) jmx.getAttribute(vm("jmx-a"), "Predictions")).size(), "the look-ahead tunable, read fresh");
    }

    @Test
    void vmMBean_guestDiskIo_ratesOfTheLastSecondThroughAProxy() throws Exception {
        second(UUID_A, "jmx-a", 10, 30);
        Proxies.Vm v = proxy(vm("jmx-a"), Proxies.Vm.class);
        assertEquals(-1, v.getDiskReadBytesPerSecond(), "TestStats reports no block statistics");
        assertEquals(-1.0, v.getDiskOpsPerSecond());

        DomainStats base = TestStats.running(UUID_A, "jmx-a", 0, 30, 0, 0);
        host.put(withBlock(base, new DomainStats.BlockIo(0, 0, 0, 0)));
        tick();
        host.put(withBlock(base, new DomainStats.BlockIo(200 * 4096, 3 * MIB, 200, 3)));
        tick();
        assertEquals(200 * 4096, v.getDiskReadBytesPerSecond());
        assertEquals(3 * MIB, v.getDiskWriteBytesPerSecond());
        assertEquals(203.0, v.getDiskOpsPerSecond(), 1e-9);
    }

    private static DomainStats withBlock(DomainStats d, DomainStats.BlockIo block) {
        return new DomainStats(d.uuid(), d.name(), d.running(), d.vcpus(), d.cpuTimeNanos(), d.currentMemoryKiB(), d.maximumMemoryKiB(),
                d.availableKiB(), d.usableKiB(), d.unusedKiB(), d.rssKiB(), d.netRxBytes(), d.netTxBytes(), block);
    }

    @Test
    void vmMBean_writeIntensityAndPredictionScore_throughAProxy() throws Exception {
        host.dirtyRatesMiBPerSecond.put(UUID_A, 60L);
        Proxies.Vm v = proxy(vm("jmx-a"), Proxies.Vm.class);
        for (int i = 0; i < 12; i++) {
            second(UUID_A, "jmx-a", 80, 60);
            if (i == 0) {
                v = proxy(vm("jmx-a"), Proxies.Vm.class);
                assertEquals(-1, v.getPredictedState(), "no sample yet");
                assertTrue(Double.isNaN(v.getPredictionHitRate()));
            }
        }
        // 60 MiB/s against the default reference, the 1 Gbit/s link (125 MB/s)
        assertEquals(60.0 * MIB / 125e6 * 100, v.getWritePercent(), 1e-9);
        assertEquals(60 * MIB, v.getDirtyRateBytesPerSecond());
        assertEquals(72, v.getPredictedState());
        // 11 samples, n = 5, a prediction made at samples 1, 6 and 11: two came due. The first was made by an
        // untrained model (a uniform row: the lowest state wins the tie) and missed; the second, after five
        // 72 → 72, hit. Persistence hit both.
        assertEquals(2, v.getPredictionsScored());
        assertEquals(72, v.getLastPredictedState());
        assertEquals(72, v.getLastRealisedState());
        assertEquals(0.5, v.getPredictionHitRate());
        assertEquals(1.0, v.getPersistenceHitRate());
        // 12 seconds span two of the default 10 s dirty-rate intervals
        assertEquals(2L, jmx.getAttribute(ManagementPlane.STATE, "DirtyRateCalcsMeasured"));
    }

    @Test
    void vmMBean_modelOperations_exportResetImport() throws Exception {
        for (int i = 0; i < 6; i++) {
            second(UUID_A, "jmx-a", 80, 60);
        }
        Proxies.Vm v = proxy(vm("jmx-a"), Proxies.Vm.class);
        String exported = v.exportModel();
        JsonNode model = JSON.readTree(exported);
        assertEquals("migov-markov", model.path("format").asText());
        assertEquals(5, model.path("samples").asLong());

        assertEquals("model of jmx-a reset (5 samples forgotten)", v.resetModel());
        assertEquals(0, v.getSamples());
        assertEquals("model of jmx-a reset (0 samples forgotten)", v.resetModel(), "idempotent");
        assertEquals(-1, v.getState());
        assertEquals(0, ((TabularData) jmx.getAttribute(vm("jmx-a"), "Predictions")).size());

        assertEquals("model of jmx-a replaced by the imported one (5 samples)", v.importPrior(exported));
        assertEquals(5, v.getSamples());

        StringBuilder prior = new StringBuilder("{\"format\":\"migov-prior\",\"version\":1,\"matrix\":[");
        for (int i = 0; i < 81; i++) {
            prior.append(i > 0 ? "," : "").append('[');
            for (int j = 0; j < 81; j++) {
                prior.append(j > 0 ? "," : "").append(j == 0 ? "1" : "0");
            }
            prior.append(']');
        }
        prior.append("]}");
        assertEquals("prior of jmx-a replaced; 5 learned samples kept", v.importPrior(prior.toString()));
        assertEquals(5, v.getSamples());

        RuntimeException bad = assertThrows(RuntimeException.class,
                () -> v.importPrior("{\"format\":\"migov-prior\",\"version\":1,\"matrix\":[[1]]}"));
        Throwable cause = bad instanceof IllegalArgumentException ? bad : bad.getCause();
        assertEquals("importPrior: matrix: expected 81×81 (this host's state scheme), got 1×1", cause.getMessage());
        // this host runs the usage space (see the config above): a prior learned in write, same size, is refused
        String writePrior = prior.toString().replace("\"version\":1,", "\"version\":1,\"scheme\":\"cpu[25,50] write[25,50] net_in[25,50] net_out[25,50] (81 states)\",");
        RuntimeException otherScheme = assertThrows(RuntimeException.class, () -> v.importPrior(writePrior));
        Throwable c1 = otherScheme instanceof IllegalArgumentException ? otherScheme : otherScheme.getCause();
        assertEquals("importPrior: scheme: expected this host's cpu[25,50] mem[25,50] net_in[25,50] net_out[25,50] (81 states), "
                + "got cpu[25,50] write[25,50] net_in[25,50] net_out[25,50] (81 states)", c1.getMessage());
        RuntimeException foreign = assertThrows(RuntimeException.class, () -> v.importPrior("{\"format\":\"other\"}"));
        Throwable c2 = foreign instanceof IllegalArgumentException ? foreign : foreign.getCause();
        assertEquals("importPrior: format: expected 'migov-prior' or 'migov-markov', got 'other'", c2.getMessage());
        assertEquals(5, v.getSamples(), "a rejected import changes nothing");
    }

    // =============================================================================== metrics and access

    @Test
    void metrics_tickLibvirtCallsAndMigrations_areMBeans() throws Exception {
        second(UUID_A, "jmx-a", 10, 70);
        second(UUID_A, "jmx-a", 10, 70);
        pass(UUID_A, 1, 0, 512 * MIB);
        complete(UUID_A);
        ObjectName tick = new ObjectName(MBeanNames.METRICS_DOMAIN + ":name=tick.duration,type=timers");
        assertEquals(2L, jmx.getAttribute(tick, "Count"));
        assertEquals("milliseconds", jmx.getAttribute(tick, "DurationUnit"));
        ObjectName stats = new ObjectName(MBeanNames.METRICS_DOMAIN + ":name=libvirt.runningDomainStats,type=timers");
        assertEquals(2L, jmx.getAttribute(stats, "Count"));
        ObjectName postCopy = new ObjectName(MBeanNames.METRICS_DOMAIN + ":name=libvirt.startPostCopy,type=timers");
        assertEquals(1L, jmx.getAttribute(postCopy, "Count"));
        assertEquals(1L, jmx.getAttribute(new ObjectName(MBeanNames.METRICS_DOMAIN + ":name=migrations,type=counters"), "Count"));
        assertEquals(1L, jmx.getAttribute(new ObjectName(MBeanNames.METRICS_DOMAIN + ":name=switches,type=counters"), "Count"));
        assertEquals(0L, jmx.getAttribute(new ObjectName(MBeanNames.METRICS_DOMAIN + ":name=errors,type=counters"), "Count"));
        ObjectName downtime = new ObjectName(MBeanNames.METRICS_DOMAIN + ":name=migration.downtime_ms,type=histograms");
        assertEquals(12L, ((Number) jmx.getAttribute(downtime, "Max")).longValue());
        ObjectName total = new ObjectName(MBeanNames.METRICS_DOMAIN + ":name=migration.total_time_ms,type=histograms");
        assertEquals(1L, jmx.getAttribute(total, "Count"));
    }

    @Test
    void documentation_namesEveryAttributeOperationAndMetric() throws Exception {
        second(UUID_A, "jmx-a", 10, 70);
        second(UUID_A, "jmx-a", 10, 70);
        pass(UUID_A, 1, 0, 512 * MIB);
        complete(UUID_A);
        String doc = Files.readString(Path.of("..", "docs", "management.md"));
        List<String> missing = new ArrayList<>();
        for (ObjectName name : List.of(ManagementPlane.STATE, ManagementPlane.TUNABLES, ManagementPlane.MIGRATIONS, vm("jmx-a"))) {
            MBeanInfo info = jmx.getMBeanInfo(name);
            for (MBeanAttributeInfo a : info.getAttributes()) {
                if (!doc.contains("| `" + a.getName() + "` |")) {
                    missing.add(name + " " + a.getName());
                }
            }
            for (MBeanOperationInfo o : info.getOperations()) {
                if (!doc.contains("`" + o.getName() + "(")) {
                    missing.add(name + " " + o.getName() + "()");
                }
            }
        }
        for (ObjectName metric : jmx.queryNames(new ObjectName(MBeanNames.METRICS_DOMAIN + ":*"), null)) {
            String n = metric.getKeyProperty("name");
            if (!doc.contains("`" + n + "`")) {
                missing.add(metric.toString());
            }
        }
        for (String item : VmBean.MIGRATION.keys()) {
            if (!doc.contains("`" + item + "`")) {
                missing.add("Migration item " + item);
            }
        }
        for (String item : MigrationsBean.RECORD.keys()) {
            if (!doc.contains("`" + item + "`")) {
                missing.add("History item " + item);
            }
        }
        assertEquals(List.of(), missing, "not in docs/management.md");
    }

    @Test
    void remote_wrongPasswordOrNoCredentials_refused() {
        assertThrows(SecurityException.class, () -> JmxClient.connect(plane.remoteUrl().orElseThrow(), "ops", "wrong", false).close());
        assertThrows(SecurityException.class, () -> JmxClient.connect(plane.remoteUrl().orElseThrow(), null, null, false).close());
    }

    @Test
    void close_unregistersEverythingAndStopsTheConnector() throws Exception {
        second(UUID_A, "jmx-a", 10, 10);
        javax.management.MBeanServer server = plane.server();
        assertTrue(server.isRegistered(vm("jmx-a")));
        plane.close();
        assertTrue(server.queryNames(new ObjectName("io.migov:*"), null).isEmpty());
        assertTrue(server.queryNames(new ObjectName(MBeanNames.METRICS_DOMAIN + ":*"), null).isEmpty());
        tick();
        assertTrue(server.queryNames(new ObjectName("io.migov:*"), null).isEmpty(), "the reconciler does not bring them back");
        assertThrows(IOException.class, () -> JmxClient.connect(plane.remoteUrl().isPresent() ? plane.remoteUrl().get()
                : JmxClient.parseUrl("127.0.0.1:" + config.jmx().registryPort()), "ops", "s3cret", false).close());
        assertNotNull(config);
    }
}
