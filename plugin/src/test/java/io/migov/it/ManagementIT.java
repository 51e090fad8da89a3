// SPDX-License-Identifier: Apache-2.0
package io.migov.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.migov.daemon.management.ManagementPlane;
import io.migov.jmx.JmxClient;
import io.migov.jmx.MBeanNames;
import io.migov.testbed.Lab;
import io.migov.testbed.LabExtension;
import io.migov.testbed.MigrationOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The management plane of real migov daemons (the packaged jar) on the two lab hosts: per-VM MBeans
 * following a VM across a real migration, and the {@code migov} CLI as a separate process (remote
 * JMX with a password, and local attach by PID).
 */
@ExtendWith(LabExtension.class)
class ManagementIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OPS_PASSWORD = "it-s3cret";

    private final Lab lab;
    private final List<String> vms = new ArrayList<>();
    private final List<MigovDaemon> daemons = new ArrayList<>();
    private final List<JMXConnector> connectors = new ArrayList<>();
    private String testName;

    @TempDir
    Path dir;

    private Path daemonPasswords;
    private Path cliPassword;

    ManagementIT(Lab lab) {
        this.lab = lab;
    }

    @BeforeEach
    void setUp(TestInfo info) throws IOException {
        testName = info.getTestMethod().map(java.lang.reflect.Method::getName).orElse("test");
        daemonPasswords = Files.writeString(dir.resolve("jmx.password"), "ops " + OPS_PASSWORD + "\n");
        Files.setPosixFilePermissions(daemonPasswords, PosixFilePermissions.fromString("rw-------"));
        cliPassword = Files.writeString(dir.resolve("ops.password"), OPS_PASSWORD + "\n");
    }

    @AfterEach
    void cleanUp() {
        for (JMXConnector c : connectors) {
            try {
                c.close();
            } catch (IOException | RuntimeException e) {
                // the daemon is going anyway
            }
        }
        for (MigovDaemon d : daemons) {
            d.close();
        }
        for (String vm : vms) {
            lab.run(Duration.ofMinutes(1), "vm", "stop", vm);
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** A daemon with remote JMX on two free loopback ports, password-protected. */
    private Daemon daemon(String host) throws IOException {
        int registry = freePort();
        ObjectNode extra = JSON.createObjectNode();
        extra.put("jmxRemote", true);
        extra.put("jmxRegistryPort", registry);
        extra.put("jmxServerPort", freePort());
        extra.put("jmxPasswordFile", daemonPasswords.toString());
        MigovDaemon d = MigovDaemon.start(host, "enforce", testName, extra);
        daemons.add(d);
        d.awaitLog(l -> l.contains("remote JMX: service:jmx:"), Duration.ofSeconds(30));
        String url = "127.0.0.1:" + registry;
        JMXConnector c = JmxClient.connect(JmxClient.parseUrl(url), "ops", OPS_PASSWORD, false);
        connectors.add(c);
        return new Daemon(d, url, c.getMBeanServerConnection(), pidOf(d));
    }

    private record Daemon(MigovDaemon process, String url, MBeanServerConnection jmx, long pid) {
    }

    /** The daemon's PID, found the way the CLI finds daemons: by its command line (which names its own config file). */
    private static long pidOf(MigovDaemon d) {
        String config = d.stateDir.getParent().resolve("migov.json").toAbsolutePath().toString();
        List<JmxClient.LocalJvm> found = JmxClient.findLocal(cmd -> cmd.contains(config));
        assertEquals(1, found.size(), "daemon JVMs with config " + config + ": " + found);
        return found.get(0).pid();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private String vm(String name, String workload) {
        vms.add(name);
        lab.startVm(name, Lab.HOST_A, workload);
        return name;
    }

    private static ObjectName vmMBean(String vm) {
        return MBeanNames.of(ManagementPlane.VM_TYPE, vm);
    }

    private static boolean registered(Daemon d, ObjectName name) {
        try {
            return d.jmx().isRegistered(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within " + timeout + ": " + what);
            MigovDaemon.sleep(250);
        }
    }

    private record Cli(int exit, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON (exit " + exit + ", stderr " + err + "):\n" + out, e);
            }
        }
    }

    /** {@code java -jar migov.jar ARGS} as its own process, as an operator would run it. */
    private static Cli cli(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", MigovDaemon.jar().toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).start();
            p.getOutputStream().close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread o = pump(p.getInputStream(), out);
            Thread e = pump(p.getErrorStream(), err);
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("migov " + String.join(" ", args) + " did not finish within 90 s");
            }
            o.join(5000);
            e.join(5000);
            return new Cli(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream sink) {
        Thread t = new Thread(() -> {
            try {
                in.transferTo(sink);
            } catch (IOException ignored) {
                // the process ended
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    private Cli remote(Daemon d, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--jmx-url", d.url(), "--user", "ops", "--password-file", cliPassword.toString()));
        return cli(all.toArray(new String[0]));
    }

    // ------------------------------------------------------------------------------------------ tests

    @Test
    void vmMBean_registeredOnItsHost_followsTheVmThroughAMigration() throws Exception {
        Daemon a = daemon(Lab.HOST_A);
        Daemon b = daemon(Lab.HOST_B);
        String vm = vm("jmx-mover", "idle");
        String uuid = lab.virsh(Lab.HOST_A, "domuuid", vm).requireSuccess().stdout().strip();
        ObjectName name = vmMBean(vm);

        await(vm + "'s MBean on A", Duration.ofSeconds(30), () -> registered(a, name));
        assertFalse(registered(b, name), "not on B while the VM runs on A");
        assertEquals(uuid, a.jmx().getAttribute(name, "Uuid"));
        await(vm + " profiled on A", Duration.ofSeconds(20), () -> {
            try {
                return (Long) a.jmx().getAttribute(name, "Samples") >= 3;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        TabularData predictions = (TabularData) a.jmx().getAttribute(name, "Predictions");
        assertEquals(5, predictions.size(), "k = 1..lookAhead");

        MigrationOutcome m = lab.migrate(vm, Lab.HOST_A, Lab.HOST_B, "precopy", 100, 60);
        assertTrue(m.completed(), m.fields().toString());

        await(vm + "'s MBean gone from A", Duration.ofSeconds(30), () -> !registered(a, name));
        await(vm + "'s MBean on B", Duration.ofSeconds(30), () -> registered(b, name));
        assertEquals(uuid, b.jmx().getAttribute(name, "Uuid"));
        assertEquals("metadata", b.jmx().getAttribute(name, "ModelSource"), "the model travelled with the VM");

        await("the migration in A's history", Duration.ofSeconds(30), () -> {
            try {
                return ((TabularData) a.jmx().getAttribute(ManagementPlane.MIGRATIONS, "History")).size() == 1;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        CompositeData record = ((TabularData) a.jmx().getAttribute(ManagementPlane.MIGRATIONS, "History")).get(new Object[] {1});
        assertEquals(vm, record.get("vm"));
        assertEquals(true, record.get("completed"));
        assertEquals(1L, a.jmx().getAttribute(ManagementPlane.STATE, "MigrationsSeen"));

        // the CLI, a separate process: remote JMX on A (history), local attach by PID on B (the VM now there)
        Cli migrations = remote(a, "migrations", "--json");
        assertEquals(0, migrations.exit(), migrations.err());
        assertEquals(vm, migrations.json().path("history").get(0).path("vm").asText());
        Cli vms = cli("vms", "--json", "--pid", Long.toString(b.pid()));
        assertEquals(0, vms.exit(), vms.err());
        assertEquals(vm, vms.json().get(0).path("name").asText());
        Cli detail = cli("vm", vm, "--pid", Long.toString(b.pid()));
        assertEquals(0, detail.exit(), detail.err());
        assertTrue(detail.out().contains(uuid) && detail.out().contains("predictions (k steps of 1 s ahead)"), detail.out());
        Cli reset = remote(b, "reset-model", vm);
        assertEquals(0, reset.exit(), reset.err());
        assertTrue(reset.out().startsWith("model of " + vm + " reset ("), reset.out());
    }

    @Test
    void cli_againstARunningDaemon_statusGetSetRejectAndUnreachable() throws Exception {
        Daemon a = daemon(Lab.HOST_A);

        Cli status = cli("status", "--json", "--pid", Long.toString(a.pid()));
        assertEquals(0, status.exit(), status.err());
        JsonNode s = status.json();
        assertEquals(Lab.uri(Lab.HOST_A), s.path("libvirtUri").asText());
        assertTrue(s.path("libvirtConnected").asBoolean(), s.toString());
        assertEquals("enforce", s.path("mode").asText());
        Cli human = remote(a, "status");
        assertEquals(0, human.exit(), human.err());
        assertTrue(human.out().contains("libvirtUri") && human.out().contains(Lab.uri(Lab.HOST_A)), human.out());

        Cli set = remote(a, "set", "lookAhead", "7");
        assertEquals(0, set.exit(), set.err());
        assertEquals("lookAhead: 5 → 7", set.out().strip());
        assertEquals(7, a.jmx().getAttribute(ManagementPlane.TUNABLES, "LookAhead"));
        assertEquals("7", cli("get", "lookAhead", "--pid", Long.toString(a.pid())).out().strip());
        a.process().awaitLog(l -> l.contains("tunable lookAhead set to 7 (was 5) through JMX"), Duration.ofSeconds(5));

        Cli rejected = remote(a, "set", "lookAhead", "0");
        assertEquals(2, rejected.exit(), rejected.out());
        assertEquals("migov: rejected: lookAhead: expected 1..1000, got 0", rejected.err().strip());
        Cli badMode = remote(a, "set", "mode", "fast", "--json");
        assertEquals(2, badMode.exit());
        assertEquals("migov: rejected: mode: expected one of enforce, advise, off, got 'fast'", badMode.err().strip());
        assertEquals(7, a.jmx().getAttribute(ManagementPlane.TUNABLES, "LookAhead"), "rejected sets changed nothing");
        assertEquals("enforce", a.jmx().getAttribute(ManagementPlane.TUNABLES, "Mode"));

        Cli unreachable = cli("status", "--jmx-url", "127.0.0.1:" + freePort(), "--user", "ops", "--password-file", cliPassword.toString());
        assertEquals(3, unreachable.exit(), unreachable.out());
        assertTrue(unreachable.err().startsWith("migov: cannot reach the daemon: "), unreachable.err());
        Path wrong = Files.writeString(dir.resolve("wrong.password"), "guess\n");
        Cli refused = cli("status", "--jmx-url", a.url(), "--user", "ops", "--password-file", wrong.toString());
        assertEquals(3, refused.exit(), refused.out());
        assertTrue(refused.err().contains("Authentication failed! Invalid username or password"), refused.err());
        Cli gone = cli("status", "--pid", "2147483000");
        assertEquals(3, gone.exit(), gone.out());
        assertEquals("migov: cannot reach the daemon: no process with pid 2147483000", gone.err().strip());

        a.process().close();
        Cli stopped = remote(a, "status");
        assertEquals(3, stopped.exit(), "the daemon is gone: " + stopped.out());
    }
}
