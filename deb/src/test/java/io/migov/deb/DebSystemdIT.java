// SPDX-License-Identifier: Apache-2.0
package io.migov.deb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged unit under a real systemd: a fresh Debian 12 with systemd, booted with
 * {@code systemd-nspawn --boot} ({@link Container}), {@code apt-get install ./migov_*.deb} there;
 * then the service as the package starts it: up and staying up as user {@code migov} (libvirtd does
 * not run there: the daemon keeps retrying), its sandbox holding in the running process, the hook's
 * spool drained, {@code migov status} attaching locally, the log in journald, {@code systemctl stop}
 * clean, and a bad configuration failing the unit without restarts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DebSystemdIT {

    static final String UNIT = "migov.service";
    static final String CONFIG = "/etc/migov/migov.json";
    static final String SPOOL = "/var/lib/migov/spool";
    /** The daemon's last start-up line: profiler scheduled, the hook spool watched. */
    static final String RUNNING = "running: profiler every";

    final ObjectMapper json = new ObjectMapper();
    Path work;
    Chroot chroot;
    Container container;
    Path deb;
    String version;
    long t0Class;

    @BeforeAll
    void bootDebianWithSystemd() throws Exception {
        if (!Cmd.isRoot()) {
            throw new IllegalStateException("the systemd test needs root (debootstrap, systemd-nspawn)");
        }
        if (!Container.available()) {
            throw new IllegalStateException("systemd-nspawn not found: install systemd-container (testbed/lab deps does)");
        }
        t0Class = System.nanoTime();
        deb = Deb.file();
        Map<String, String> control = DebPackageIT.control(deb);
        version = control.get("Version");
        work = Files.createDirectories(Path.of("target", "it-systemd").toAbsolutePath());
        long t0 = System.nanoTime();
        // systemd, and the package's dependencies, so that the container needs no network to install it
        log("Debian 12 with systemd and the package's dependencies (" + control.get("Depends") + ")");
        chroot = Chroot.fresh(work, List.of("systemd, dbus", control.get("Depends")));
        log("fresh root in " + ms(t0) + " ms: " + chroot.root);
        t0 = System.nanoTime();
        container = Container.boot(chroot, "migov-deb-it", work.resolve("container.log"), Duration.ofMinutes(2));
        log("booted with systemd-nspawn --boot in " + ms(t0) + " ms");
    }

    @AfterAll
    void tearDown() throws IOException {
        try {
            if (container != null) {
                long t0 = System.nanoTime();
                container.close();
                log("container gone, nothing of it runs (" + ms(t0) + " ms)");
            }
        } finally {
            if (chroot != null && !Boolean.getBoolean("migov.deb.keepChroot")) {
                chroot.close();
            }
            log("whole class in " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0Class) + " s");
        }
    }

    private static void log(String s) {
        System.out.println("deb-systemd: " + s);
        System.out.flush();
    }

    private static long ms(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    @Test
    @Order(1)
    void aptInstall_startsTheService_asMigov_andItStaysUpWithoutLibvirtd() throws Exception {
        String inside = "/var/tmp/" + deb.getFileName(); // /tmp is the container's own tmpfs
        Files.copy(deb, chroot.path(inside));
        long t0 = System.nanoTime();
        Cmd.Result install = container.exec(Duration.ofMinutes(5), "apt-get", "install", "-y", "-q", "--no-install-recommends", inside);
        Files.delete(chroot.path(inside));
        log("apt-get install ./" + deb.getFileName() + ": exit " + install.exit() + " in " + ms(t0) + " ms");
        install.ok();

        // the postinst started it: systemd runs here
        String invocation = awaitJournal(l -> l.contains(RUNNING), Duration.ofSeconds(90));
        Map<String, String> s = show("MainPID", "ActiveState", "SubState", "InvocationID");
        assertEquals(invocation, s.get("InvocationID"));
        String pid = s.get("MainPID");
        log(UNIT + " " + s.get("ActiveState") + "/" + s.get("SubState") + ", MainPID " + pid + ", daemon running " + ms(t0) + " ms after the install began");
        for (int second = 1; second <= 10; second++) {
            Thread.sleep(1000);
            s = show("MainPID", "ActiveState", "SubState", "NRestarts");
            assertEquals(Map.of("MainPID", pid, "ActiveState", "active", "SubState", "running", "NRestarts", "0"), s, "after " + second + " s");
            if (second % 5 == 0) {
                log("still active/running, same MainPID, no restart, " + second + " s later");
            }
        }

        Map<String, String> status = procStatus(pid);
        String uid = field(getent("passwd", "migov"), 2);
        String gid = field(getent("group", "migov"), 2);
        String libvirtGid = field(getent("group", "libvirt"), 2);
        assertEquals(List.of(uid, uid, uid, uid), List.of(status.get("Uid").split("\\s+")), "the user migov, every uid");
        assertEquals(List.of(gid, gid, gid, gid), List.of(status.get("Gid").split("\\s+")), "the group migov, every gid");
        assertTrue(List.of(status.get("Groups").split("\\s+")).contains(libvirtGid), "in group libvirt (the socket): " + status.get("Groups"));
        String cmdline = container.exec(Duration.ofSeconds(10), "cat", "/proc/" + pid + "/cmdline").ok().out().replace('\0', ' ').strip();
        assertTrue(cmdline.endsWith("migov.jar daemon --config " + CONFIG), cmdline);
        // no libvirtd in the container: the daemon says so once and keeps trying in the background
        assertTrue(journal(invocation).stream().anyMatch(l -> l.contains("cannot connect to libvirt at qemu:///system")
                && l.contains("retrying in the background")), String.join("\n", journal(invocation)));
    }

    /** Every line the daemon printed is in the journal, under the unit, from the user migov. */
    @Test
    @Order(2)
    void journal_hasTheDaemonsLog_underTheUnit_fromUserMigov() {
        String invocation = show("InvocationID").get("InvocationID");
        String uid = field(getent("passwd", "migov"), 2);
        List<String> daemonLines = List.of(container.exec(Duration.ofSeconds(30), "journalctl", "--no-pager", "-o", "cat",
                "_SYSTEMD_INVOCATION_ID=" + invocation, "_UID=" + uid).ok().out().split("\n"));
        for (String expected : List.of("migov " + version + " starting", "libvirt: qemu:///system", "mode: enforce", "state dir: /var/lib/migov",
                RUNNING, "hook spool: " + SPOOL)) {
            assertTrue(daemonLines.stream().anyMatch(l -> l.contains(expected)), "'" + expected + "' not in\n" + String.join("\n", daemonLines));
        }
        String manager = container.exec(Duration.ofSeconds(30), "journalctl", "--no-pager", "-o", "cat", "UNIT=" + UNIT, "_PID=1").ok().out();
        assertTrue(manager.contains("Started " + UNIT), manager);
        log("journal: " + daemonLines.size() + " lines of the daemon (uid " + uid + ") under " + UNIT);
    }

    /**
     * The unit's sandbox, in the running daemon: its credentials and seccomp state, its mounts, and
     * writes tried inside its mount namespace — as {@code migov} and, where only a read-only mount can
     * stop it, as root — beside the same writes outside it, which succeed.
     */
    @Test
    @Order(3)
    void sandbox_holdsInTheRunningDaemon() throws Exception {
        String pid = show("MainPID").get("MainPID");
        Map<String, String> status = procStatus(pid);
        assertEquals("1", status.get("NoNewPrivs"), "NoNewPrivileges");
        assertEquals("2", status.get("Seccomp"), "a seccomp filter (SystemCallFilter, RestrictAddressFamilies, ...)");
        for (String cap : List.of("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")) {
            assertEquals("0000000000000000", status.get(cap), cap + ": no capabilities (CapabilityBoundingSet=)");
        }

        Map<String, List<String>> mounts = mounts(pid);
        assertTrue(mounts.get("/").contains("ro"), "ProtectSystem=strict: / read-only " + mounts.get("/"));
        assertTrue(mounts.get("/var/lib/migov").contains("rw"), "ReadWritePaths=/var/lib/migov " + mounts.get("/var/lib/migov"));
        assertTrue(mounts.get("/proc").contains("hidepid=invisible"), "ProtectProc=invisible " + mounts.get("/proc"));
        assertTrue(mounts.get("/proc/sys").contains("ro"), "ProtectKernelTunables " + mounts.get("/proc/sys"));
        for (String hidden : List.of("/home", "/root", "/run/user")) {
            assertTrue(mounts.containsKey(hidden) && mounts.get(hidden).contains("ro"), "ProtectHome: " + hidden + " " + mounts.get(hidden));
        }

        // a directory of migov's own outside /var/lib/migov: only the sandbox can stop the write
        container.exec(Duration.ofSeconds(10), "install", "-d", "-o", "migov", "-g", "migov", "/srv/migov-probe").ok();
        Map<String, String> outside = new LinkedHashMap<>();
        Map<String, String> inside = new LinkedHashMap<>();
        try {
            for (String path : List.of("/srv/migov-probe/x", "/var/tmp/migov-probe")) {
                outside.put("migov " + path, outcome(container.exec(Duration.ofSeconds(10), "migov", List.of("touch", path))));
                container.exec(Duration.ofSeconds(10), "rm", "-f", path).ok();
            }
            for (String path : List.of("/var/lib/migov/probe", SPOOL + "/probe", "/tmp/migov-probe", "/srv/migov-probe/x", "/var/tmp/migov-probe")) {
                inside.put("migov " + path, outcome(inDaemonsMounts(pid, "migov", "touch", path)));
            }
            for (String path : List.of("/etc/migov-probe", "/usr/migov-probe", "/var/log/migov-probe", "/home/migov-probe", "/root/migov-probe")) {
                inside.put("root " + path, outcome(inDaemonsMounts(pid, null, "touch", path)));
            }
        } finally {
            container.exec(Duration.ofSeconds(10), "rm", "-rf", "/srv/migov-probe", "/var/lib/migov/probe", SPOOL + "/probe", "/tmp/migov-probe");
        }
        log("writes outside the daemon's mounts: " + outside);
        log("writes inside the daemon's mounts: " + inside);
        assertEquals(Map.of("migov /srv/migov-probe/x", "ok", "migov /var/tmp/migov-probe", "ok"), outside, "the same writes outside the sandbox");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("migov /var/lib/migov/probe", "ok");
        expected.put("migov " + SPOOL + "/probe", "ok");
        // shared with the host's /tmp, where the local attach of the JDK 17 client looks (see the unit)
        expected.put("migov /tmp/migov-probe", "ok");
        expected.put("migov /srv/migov-probe/x", "Read-only file system");
        expected.put("migov /var/tmp/migov-probe", "Read-only file system");
        for (String path : List.of("/etc", "/usr", "/var/log", "/home", "/root")) {
            expected.put("root " + path + "/migov-probe", "Read-only file system");
        }
        assertEquals(expected, inside);

        // ProtectProc=invisible: the daemon's user sees no other user's processes
        assertEquals(0, container.exec(Duration.ofSeconds(10), "migov", List.of("test", "-e", "/proc/1")).exit(), "outside: /proc/1 visible");
        assertEquals(1, inDaemonsMounts(pid, "migov", "test", "-e", "/proc/1").exit(), "inside: /proc/1 (root's systemd) invisible");

        assertEquals(Map.of("MainPID", pid, "ActiveState", "active", "NRestarts", "0"), show("MainPID", "ActiveState", "NRestarts"));
    }

    /** The installed hook with the service up: quick as ever, and the daemon empties the spool and takes the model. */
    @Test
    @Order(4)
    void hook_withTheServiceUp_staysQuick_andTheDaemonDrainsTheSpool() throws Exception {
        HookTiming.run(chroot.path("/var/tmp"), "/var/tmp", script -> container.exec(Duration.ofMinutes(2), "sh", script), "service up",
                DebSystemdIT::log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!spoolFiles().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the daemon did not empty the spool: " + spoolFiles() + "\n" + String.join("\n", journal(show("InvocationID").get("InvocationID"))));
            }
            Thread.sleep(100);
        }
        awaitJournal(l -> l.contains("hook: model for " + HookRig.UUID + " handed over before the VM arrives"), Duration.ofSeconds(10));
        assertEquals(Map.of("ActiveState", "active", "NRestarts", "0"), show("ActiveState", "NRestarts"));
    }

    /** As root (the README's way) and as the daemon's user, from the host's namespaces into the sandboxed JVM. */
    @Test
    @Order(5)
    void migovStatus_attachesLocallyToTheSandboxedDaemon_asRootAndAsMigov() throws Exception {
        String pid = show("MainPID").get("MainPID");
        for (String user : new String[] {null, "migov"}) {
            long t0 = System.nanoTime();
            Cmd.Result r = container.exec(Duration.ofSeconds(90), user, List.of("migov", "status", "--json"));
            String who = user == null ? "root" : user;
            log("migov status --json as " + who + ": exit " + r.exit() + " in " + ms(t0) + " ms");
            assertEquals(0, r.exit(), "as " + who + ": " + r);
            JsonNode s = json.readTree(r.out());
            assertEquals("pid " + pid, s.path("daemon").asText(), r.out());
            assertEquals("migov " + version, s.path("version").asText(), r.out());
            assertEquals("enforce", s.path("mode").asText(), r.out());
            assertFalse(s.path("libvirtConnected").asBoolean(true), r.out());
        }
    }

    /** The unit as systemd reads it: no unknown or misspelt directive (systemd would ignore it), and its exposure. */
    @Test
    @Order(6)
    void unit_verifiesClean_andItsExposureStaysOk() {
        Cmd.Result verify = container.exec(Duration.ofSeconds(60), "systemd-analyze", "verify", "--man=no", "/lib/systemd/system/" + UNIT);
        assertEquals(0, verify.exit(), verify.toString());
        assertEquals("", (verify.out() + verify.err()).strip(), "systemd-analyze verify warns");
        Cmd.Result security = container.exec(Duration.ofSeconds(60), "systemd-analyze", "security", "--no-pager", UNIT).ok();
        Matcher m = Pattern.compile("Overall exposure level for " + Pattern.quote(UNIT) + ": (\\d+\\.\\d+) (\\S+)").matcher(security.out());
        assertTrue(m.find(), security.out());
        log("systemd-analyze security: " + m.group(1) + " " + m.group(2));
        assertTrue(Double.parseDouble(m.group(1)) <= 2.0, "exposure " + m.group(1) + " (was 1.7 OK)\n" + security.out());
    }

    @Test
    @Order(7)
    void systemctlStop_stopsCleanly_withinTheUnitsTimeout() throws Exception {
        Map<String, String> before = show("MainPID", "InvocationID", "TimeoutStopUSec");
        long t0 = System.nanoTime();
        container.exec(Duration.ofMinutes(3), "systemctl", "stop", UNIT).ok();
        long stopMillis = ms(t0);
        Map<String, String> s = show("ActiveState", "SubState", "Result", "ExecMainCode", "ExecMainStatus", "NRestarts");
        log("systemctl stop in " + stopMillis + " ms (TimeoutStopSec " + before.get("TimeoutStopUSec") + "): " + s);
        assertTrue(stopMillis < timeSpanMillis(before.get("TimeoutStopUSec")), stopMillis + " ms");
        // the JVM ends with 143 after its shutdown hook: SuccessExitStatus=143 makes that a success
        assertEquals(Map.of("ActiveState", "inactive", "SubState", "dead", "Result", "success", "ExecMainCode", "1", "ExecMainStatus", "143",
                "NRestarts", "0"), s);
        List<String> lines = journal(before.get("InvocationID"));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("stopped:") || l.contains(" Daemon - stopped: ")), String.join("\n", lines));
        assertEquals(0, container.exec(Duration.ofSeconds(10), "sh", "-c", "test ! -e /tmp/.java_pid" + before.get("MainPID")).exit(),
                "the attach socket outlived the JVM");
    }

    static Stream<Arguments> badConfigs() {
        return Stream.of(
                Arguments.of("not JSON", (java.util.function.UnaryOperator<String>) c -> c.substring(0, c.length() / 2),
                        List.of("not valid JSON"), true),
                Arguments.of("a bad value", (java.util.function.UnaryOperator<String>) c -> c.replace("\"mode\": \"enforce\"", "\"mode\": \"bogus\""),
                        List.of("mode", "bogus"), false),
                Arguments.of("a state dir outside the sandbox",
                        (java.util.function.UnaryOperator<String>) c -> c.replace("\"stateDir\": \"/var/lib/migov\"", "\"stateDir\": \"/srv/migov\""),
                        List.of("stateDir", "/srv/migov", "Read-only file system"), false));
    }

    /** Exit 2 (RestartPreventExitStatus): failed at once, one line naming the problem, never restarted. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    @Order(8)
    void badConfig_failsTheUnit_withoutRestarting(String what, java.util.function.UnaryOperator<String> breakIt, List<String> named,
            boolean waitOutRestartSec) throws Exception {
        Path config = chroot.path(CONFIG);
        String good = Files.readString(config);
        String bad = breakIt.apply(good);
        assertFalse(bad.equals(good), "the test did not change the config");
        Files.writeString(config, bad);
        try {
            container.exec(Duration.ofSeconds(30), "systemctl", "reset-failed", UNIT);
            long t0 = System.nanoTime();
            container.exec(Duration.ofSeconds(60), "systemctl", "start", UNIT).ok(); // Type=exec: started once the JVM runs
            Map<String, String> s = awaitState(Duration.ofSeconds(60));
            log("config with " + what + ": " + s.get("ActiveState") + "/" + s.get("SubState") + " " + ms(t0) + " ms after the start, exit "
                    + s.get("ExecMainStatus") + ", NRestarts " + s.get("NRestarts"));
            assertEquals(List.of("failed", "failed", "exit-code", "2", "0"),
                    List.of(s.get("ActiveState"), s.get("SubState"), s.get("Result"), s.get("ExecMainStatus"), s.get("NRestarts")), s.toString());
            if (waitOutRestartSec) {
                long wait = timeSpanMillis(show("RestartUSec").get("RestartUSec")) + 2000;
                log("waiting out RestartSec and 2 s (" + wait + " ms): no restart may come");
                Thread.sleep(wait);
                Map<String, String> later = show("ActiveState", "NRestarts", "InvocationID");
                assertEquals(Map.of("ActiveState", "failed", "NRestarts", "0", "InvocationID", s.get("InvocationID")), later);
            }
            List<String> lines = journal(s.get("InvocationID"));
            String problem = lines.stream().filter(l -> l.startsWith("migov: config:")).findFirst()
                    .orElseThrow(() -> new AssertionError("no 'migov: config:' line\n" + String.join("\n", lines)));
            for (String n : named) {
                assertTrue(problem.contains(n), "'" + n + "' not in: " + problem);
            }
            assertEquals(1, lines.stream().filter(l -> l.startsWith("migov:")).count(), "one line: " + lines);
        } finally {
            Files.writeString(config, good);
            container.exec(Duration.ofSeconds(30), "systemctl", "reset-failed", UNIT);
        }
    }

    // ------------------------------------------------------------------------------- helpers

    private Map<String, String> show(String... properties) {
        return container.show(UNIT, properties);
    }

    /** Polls until the unit is neither activating nor active; a pending restart (auto-restart) fails at once. */
    private Map<String, String> awaitState(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, String> s = show("ActiveState", "SubState", "Result", "ExecMainStatus", "NRestarts", "InvocationID");
            assertFalse(s.get("SubState").equals("auto-restart"), "systemd is restarting it: " + s);
            if (!s.get("ActiveState").equals("active") && !s.get("ActiveState").equals("activating")) {
                return s;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still " + s + " after " + timeout);
            }
            Thread.sleep(200);
        }
    }

    /** The unit's current invocation, once a line of it matches; its InvocationID. */
    private String awaitJournal(Predicate<String> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextNote = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            String invocation = show("InvocationID").get("InvocationID");
            List<String> lines = invocation.isEmpty() ? List.of() : journal(invocation);
            if (lines.stream().anyMatch(match)) {
                return invocation;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected journal line not seen in " + timeout + "; " + show("ActiveState", "SubState", "Result")
                        + "\n" + String.join("\n", lines));
            }
            if (System.nanoTime() > nextNote) {
                log("waiting for the daemon's log line, " + show("ActiveState", "SubState") + ", " + lines.size() + " lines so far");
                nextNote += TimeUnit.SECONDS.toNanos(10);
            }
            Thread.sleep(250);
        }
    }

    /** The journal of one invocation of the unit: the manager's lines about it and the daemon's own. */
    private List<String> journal(String invocation) {
        String out = container.exec(Duration.ofSeconds(30), "journalctl", "--no-pager", "-o", "cat", "_SYSTEMD_INVOCATION_ID=" + invocation,
                "+", "INVOCATION_ID=" + invocation).ok().out();
        return out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
    }

    /** Runs {@code command} in the daemon's mount namespace (its sandboxed view of the files), as {@code user} or root. */
    private Cmd.Result inDaemonsMounts(String pid, String user, String... command) {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "--target", pid, "--mount", "--"));
        if (user != null) {
            cmd.addAll(List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups", "--"));
        }
        cmd.addAll(List.of(command));
        return container.exec(Duration.ofSeconds(10), null, cmd);
    }

    /** "ok", or the error's reason (touch: cannot touch 'x': REASON). */
    private static String outcome(Cmd.Result r) {
        if (r.exit() == 0) {
            return "ok";
        }
        String err = r.err().strip();
        int colon = err.lastIndexOf(": ");
        return colon >= 0 ? err.substring(colon + 2) : err;
    }

    private Map<String, String> procStatus(String pid) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String l : container.exec(Duration.ofSeconds(10), "cat", "/proc/" + pid + "/status").ok().out().split("\n")) {
            int colon = l.indexOf(':');
            if (colon > 0) {
                out.put(l.substring(0, colon), l.substring(colon + 1).strip());
            }
        }
        return out;
    }

    /** The process's mounts: mount point to its options and its file system's (of the mount on top, for a point mounted twice). */
    private Map<String, List<String>> mounts(String pid) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String l : container.exec(Duration.ofSeconds(10), "cat", "/proc/" + pid + "/mountinfo").ok().out().split("\n")) {
            String[] f = l.split(" ");
            int dash = List.of(f).indexOf("-");
            List<String> options = new ArrayList<>(List.of(f[5].split(",")));
            if (dash > 0 && f.length > dash + 3) {
                options.addAll(List.of(f[dash + 3].split(",")));
            }
            out.put(f[4].replace("\\040", " "), options);
        }
        return out;
    }

    private List<String> spoolFiles() throws IOException {
        try (Stream<Path> s = Files.list(chroot.path(SPOOL))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private String getent(String db, String key) {
        return container.exec(Duration.ofSeconds(10), "getent", db, key).ok().out().strip();
    }

    private static String field(String line, int index) {
        return line.split(":")[index];
    }

    /** A systemd time span as {@code systemctl show} prints it ("30s", "1min 30s", "500ms") in milliseconds. */
    static long timeSpanMillis(String span) {
        long total = 0;
        Matcher m = Pattern.compile("(\\d+)(ms|s|min|h)").matcher(span);
        int matched = 0;
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total += switch (m.group(2)) {
                case "ms" -> n;
                case "s" -> n * 1000;
                case "min" -> n * 60_000;
                default -> n * 3_600_000;
            };
            matched += m.group().length();
        }
        if (matched != span.replace(" ", "").length()) {
            throw new IllegalArgumentException("not a time span: " + span);
        }
        return total;
    }
}
