package io.migov.deb;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code apt-get install ./migov_*.deb} on a clean Debian 12 (a fresh debootstrap root, see
 * {@link Chroot}), then: files and permissions, the user, {@code migov --version}, a reinstall
 * (the upgrade path), the installed hook for every libvirt operation with the daemon down and up
 * (started from the unit's ExecStart as the unit's user; {@code migov status} reaches it), and
 * {@code apt-get purge} leaving nothing behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DebInstallIT {

    static final String HOOK = "/etc/libvirt/hooks/qemu.d/migov";
    static final String SPOOL = "/var/lib/migov/spool";
    static final long LIMIT_MILLIS = 100;

    Path work;
    Chroot chroot;
    Path deb;
    String version;
    Map<String, String> accountsBefore;
    Process daemon;
    Path daemonLog;

    @BeforeAll
    void freshDebian() throws Exception {
        if (!Cmd.isRoot()) {
            throw new IllegalStateException("the install test needs root (debootstrap, chroot, mounts in a private namespace)");
        }
        deb = Deb.file();
        version = DebPackageIT.control(deb).get("Version");
        work = Files.createDirectories(Path.of("target", "it-chroot").toAbsolutePath());
        long t0 = System.nanoTime();
        chroot = Chroot.fresh(work);
        log("fresh Debian root in " + ms(t0) + " ms: " + chroot.root);
        accountsBefore = accounts();
    }

    @AfterAll
    void cleanUp() throws IOException {
        stopDaemon();
        if (chroot != null && !Boolean.getBoolean("migov.deb.keepChroot")) {
            chroot.close();
        }
    }

    private static void log(String s) {
        System.out.println("deb-install: " + s);
    }

    private static long ms(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    @Test
    @Order(1)
    void aptInstall_ofTheDeb_pullsItsDependencies_andTellsAboutTheLibvirtRestart() throws Exception {
        Files.copy(deb, chroot.path("/tmp/" + deb.getFileName()));
        long t0 = System.nanoTime();
        List<String> install = List.of("apt-get", "install", "-y", "-q", "--no-install-recommends", "/tmp/" + deb.getFileName());
        Cmd.Result r = chroot.run(Duration.ofMinutes(15), null, null, Map.of(), install);
        if (r.exit() != 0 && (r.out() + r.err()).matches("(?s).*(404|Unable to fetch|Failed to fetch|has no installation candidate).*")) {
            log("stale package lists in the cached base: apt-get update, then again");
            chroot.run(Duration.ofMinutes(10), "apt-get", "update", "-q").ok();
            r = chroot.run(Duration.ofMinutes(15), null, null, Map.of(), install);
        }
        log("apt-get install ./" + deb.getFileName() + ": exit " + r.exit() + " in " + ms(t0) + " ms");
        r.ok();
        assertTrue(r.out().contains("migov: libvirt runs the new hook /etc/libvirt/hooks/qemu.d/migov only after it restarts"), r.out());
        Files.delete(chroot.path("/tmp/" + deb.getFileName()));
        Cmd.Result status = chroot.run(Duration.ofSeconds(30), "dpkg-query", "-W", "-f", "${db:Status-Abbrev} ${Version}", "migov").ok();
        assertEquals("ii  " + version, status.out());
    }

    @Test
    @Order(2)
    void filesAndPermissions_areInPlace() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("/usr/share/migov/migov.jar", "644 root:root regular file");
        expected.put("/usr/bin/migov", "755 root:root regular file");
        expected.put("/lib/systemd/system/migov.service", "644 root:root regular file");
        expected.put("/etc/migov/migov.json", "644 root:root regular file");
        expected.put(HOOK, "755 root:root regular file");
        expected.put("/usr/share/doc/migov/copyright", "644 root:root regular file");
        expected.put("/usr/share/doc/migov/changelog.gz", "644 root:root regular file");
        expected.put("/usr/share/man/man1/migov.1.gz", "644 root:root regular file");
        expected.put("/var/lib/migov", "750 migov:migov directory");
        expected.put(SPOOL, "750 migov:migov directory");
        expected.put("/etc/systemd/system/multi-user.target.wants/migov.service", "777 root:root symbolic link");
        List<String> cmd = new ArrayList<>(List.of("stat", "-c", "%n %a %U:%G %F"));
        cmd.addAll(expected.keySet());
        Cmd.Result r = chroot.run(Duration.ofSeconds(30), null, null, Map.of(), cmd).ok();
        Map<String, String> actual = new LinkedHashMap<>();
        for (String l : r.out().strip().split("\n")) {
            int sp = l.indexOf(' ');
            actual.put(l.substring(0, sp), l.substring(sp + 1));
        }
        assertEquals(expected, actual);
        assertEquals("/lib/systemd/system/migov.service",
                chroot.run(Duration.ofSeconds(30), "readlink", "/etc/systemd/system/multi-user.target.wants/migov.service").ok().out().strip());
        assertFalse(Files.exists(chroot.path("/etc/libvirt/hooks/qemu")), "never creates /etc/libvirt/hooks/qemu");
        String conffiles = chroot.run(Duration.ofSeconds(30), "dpkg-query", "-W", "-f", "${Conffiles}", "migov").ok().out();
        assertTrue(conffiles.contains(" /etc/migov/migov.json ") && conffiles.contains(" " + HOOK + " "), conffiles);
    }

    @Test
    @Order(3)
    void systemUserMigov_inGroupLibvirt() {
        String passwd = chroot.run(Duration.ofSeconds(30), "getent", "passwd", "migov").ok().out().strip();
        String[] f = passwd.split(":");
        assertTrue(Integer.parseInt(f[2]) < 1000, "a system uid: " + passwd);
        assertEquals("/var/lib/migov", f[5], passwd);
        assertEquals("/usr/sbin/nologin", f[6], passwd);
        List<String> groups = List.of(chroot.run(Duration.ofSeconds(30), "id", "-nG", "migov").ok().out().strip().split(" "));
        assertEquals(List.of("migov", "libvirt"), groups);
        assertTrue(Files.exists(chroot.path("/var/lib/migov/.libvirt-group-created-by-migov")),
                "without libvirt-daemon-system the package created the group libvirt, and remembers it");
    }

    @Test
    @Order(4)
    void migovVersion_runsAsTheServiceUser() {
        Cmd.Result r = chroot.run(Duration.ofSeconds(60), "migov:migov", null, Map.of("HOME", "/var/lib/migov"),
                List.of("/usr/bin/migov", "--version")).ok();
        assertEquals("migov " + version, r.out().strip());
    }

    /** The upgrade path (configure with the old version): idempotent, silent about libvirt, keeps the operator's config. */
    @Test
    @Order(5)
    void reinstall_keepsTheEditedConfig_andChangesNothingElse() throws Exception {
        Path config = chroot.path("/etc/migov/migov.json");
        String edited = Files.readString(config).replace("\"mode\": \"enforce\"", "\"mode\": \"advise\"");
        Files.writeString(config, edited);
        Files.copy(deb, chroot.path("/tmp/" + deb.getFileName()));
        Cmd.Result r = chroot.run(Duration.ofMinutes(5), "apt-get", "install", "--reinstall", "-y", "-q", "--no-install-recommends",
                "/tmp/" + deb.getFileName()).ok();
        Files.delete(chroot.path("/tmp/" + deb.getFileName()));
        assertFalse(r.out().contains("libvirt runs the new hook"), "the restart note is for the first install only:\n" + r.out());
        assertEquals(edited, Files.readString(config), "apt kept the operator's configuration (a conffile)");
        filesAndPermissions_areInPlace();
        systemUserMigov_inGroupLibvirt();
        Files.writeString(config, edited.replace("\"mode\": \"advise\"", "\"mode\": \"enforce\""));
    }

    @Test
    @Order(6)
    void hook_everyLibvirtOperation_daemonDown_exitsZeroQuicklyAndSpools() throws Exception {
        List<String[]> runs = runHookForEveryOperation("daemon down");
        assertEquals(5 * HookRig.LIBVIRT_OPERATIONS.size(), runs.size());
        // nobody reads the spool: everything is still there, one file per call, with the domain XML at migrate begin
        List<String> spool = spoolFiles();
        long domains = spool.stream().filter(n -> n.endsWith(".domain")).count();
        assertEquals(runs.size(), spool.stream().filter(n -> n.endsWith(".ev")).count() + domains, spool.toString());
        assertEquals(runs.stream().filter(f -> f[0].equals("migrate") && f[1].equals("begin")).count(), domains, spool.toString());
        assertEquals(List.of(), spool.stream().filter(n -> n.endsWith(".tmp")).toList());
    }

    @Test
    @Order(7)
    void daemonFromTheUnitsExecStart_readsTheSpool_andTheHookStaysQuick() throws Exception {
        startDaemonAsTheUnitDoes();
        awaitLog(l -> l.contains("hook spool: " + SPOOL), Duration.ofSeconds(60));
        awaitSpoolEmpty(Duration.ofSeconds(10));
        awaitLog(l -> l.contains("hook: model for " + HookRig.UUID + " handed over before the VM arrives"), Duration.ofSeconds(5));
        awaitLog(l -> l.contains("hook: deb-vm migrate begin"), Duration.ofSeconds(5)); // the events, at debug (MIGOV_JAVA_OPTS)

        List<String[]> runs = runHookForEveryOperation("daemon up");
        assertEquals(5 * HookRig.LIBVIRT_OPERATIONS.size(), runs.size());
        awaitSpoolEmpty(Duration.ofSeconds(10));
        assertTrue(daemon.isAlive(), "the daemon runs without libvirtd (it keeps trying to connect)");
        assertFalse(Files.readString(daemonLog).contains("ignoring"), Files.readString(daemonLog));

        // the installed CLI reaches the daemon by local attach (root, as an operator would), on the packaged
        // Java runtime and launcher options
        Cmd.Result status = chroot.run(Duration.ofSeconds(60), null, null, Map.of(), List.of("/usr/bin/migov", "status", "--json"));
        log("migov status --json: exit " + status.exit() + "\n" + status.out() + status.err());
        assertEquals(0, status.exit(), status.toString());

        daemon.destroy(); // SIGTERM, as systemctl stop
        assertTrue(daemon.waitFor(30, TimeUnit.SECONDS), "daemon did not stop on SIGTERM");
        Map<String, List<String>> unit = Deb.service(chroot.read("/lib/systemd/system/migov.service"));
        assertTrue(unit.get("SuccessExitStatus").contains(Integer.toString(daemon.exitValue())),
                "exit " + daemon.exitValue() + " on SIGTERM is not a success for systemd\n" + Files.readString(daemonLog));
    }

    @Test
    @Order(8)
    void aptPurge_leavesNothingBehind() throws Exception {
        stopDaemon();
        Files.deleteIfExists(chroot.path("/etc/default/migov")); // the operator's file (see startDaemonAsTheUnitDoes), not the package's
        Files.deleteIfExists(chroot.path("/tmp/domain.xml"));
        Files.deleteIfExists(chroot.path("/tmp/hook-timing.sh"));
        Files.deleteIfExists(chroot.path("/tmp/hook.out"));
        long t0 = System.nanoTime();
        Cmd.Result r = chroot.run(Duration.ofMinutes(5), "apt-get", "purge", "-y", "-q", "migov").ok();
        log("apt-get purge migov in " + ms(t0) + " ms");
        Cmd.Result q = chroot.run(Duration.ofSeconds(30), "dpkg-query", "-W", "-f", "${db:Status-Abbrev}", "migov");
        assertTrue(q.exit() != 0 || q.out().startsWith("un") || q.out().isBlank(), "still known to dpkg: " + q + "\n" + r);

        // nothing named migov, anywhere
        Cmd.Result named = chroot.run(Duration.ofMinutes(2), "find", "/", "-xdev", "(", "-path", "/proc", "-o", "-path", "/dev", ")", "-prune",
                "-o", "-name", "*migov*", "-print").ok();
        assertEquals("", named.out().strip(), "left behind");
        // the accounts are as before the install: no user or group migov, and no group libvirt (this package made it)
        assertEquals(accountsBefore, accounts());
        for (String p : List.of("/var/lib/migov", "/etc/migov", HOOK, "/usr/share/migov", "/usr/bin/migov", "/lib/systemd/system/migov.service",
                "/etc/systemd/system/multi-user.target.wants/migov.service")) {
            assertFalse(Files.exists(chroot.path(p), java.nio.file.LinkOption.NOFOLLOW_LINKS), p + " left behind");
        }
        Cmd.Result helper = chroot.run(Duration.ofSeconds(30), "sh", "-c",
                "grep -rl migov /var/lib/systemd/deb-systemd-helper-enabled /var/lib/systemd/deb-systemd-helper-masked 2>/dev/null; true").ok();
        assertEquals("", helper.out().strip(), "deb-systemd-helper state left");
    }

    /**
     * With the dependencies now present, install and purge once more: the system must be exactly as
     * before (every path, with its type, mode and owner; the accounts), apart from dpkg's and apt's
     * own records and logs.
     */
    @Test
    @Order(9)
    void installThenPurge_leavesTheSystemExactlyAsItWas() throws Exception {
        Map<String, String> before = tree();
        Map<String, String> accounts = accounts();
        Files.copy(deb, chroot.path("/tmp/" + deb.getFileName()));
        chroot.run(Duration.ofMinutes(5), "apt-get", "install", "-y", "-q", "--no-install-recommends", "/tmp/" + deb.getFileName()).ok();
        Files.delete(chroot.path("/tmp/" + deb.getFileName()));
        assertTrue(Files.isDirectory(chroot.path(SPOOL)));
        chroot.run(Duration.ofMinutes(5), "apt-get", "purge", "-y", "-q", "migov").ok();
        Map<String, String> after = tree();
        Predicate<String> records = p -> p.startsWith("/var/log/") || p.startsWith("/var/lib/dpkg/") || p.startsWith("/var/lib/apt/")
                || p.startsWith("/var/cache/debconf/") || p.startsWith("/var/cache/apt/") || p.startsWith("/var/cache/ldconfig/");
        List<String> changed = new ArrayList<>();
        for (String p : new TreeSet<>(union(before.keySet(), after.keySet()))) {
            if (!records.test(p) && !java.util.Objects.equals(before.get(p), after.get(p))) {
                changed.add(p + ": " + before.get(p) + " -> " + after.get(p));
            }
        }
        assertEquals(List.of(), changed, "install + purge changed the system");
        assertEquals(accounts, accounts());
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new HashSet<>(a);
        u.addAll(b);
        return u;
    }

    // ------------------------------------------------------------------------------- helpers

    /**
     * Runs the installed hook, as root (as libvirtd does), for every libvirt operation, 5 rounds, timing each
     * call inside the chroot; asserts exit 0, no output, and the time limit. Returns "op sub rc ms bytes".
     */
    private List<String[]> runHookForEveryOperation(String label) throws IOException {
        Files.writeString(chroot.path("/tmp/domain.xml"), HookRig.domainXml("deb-vm", HookRig.UUID, HookRig.MODEL_ELEMENT));
        StringBuilder ops = new StringBuilder();
        for (List<String> op : HookRig.LIBVIRT_OPERATIONS) {
            ops.append(op.get(0)).append(':').append(op.get(1)).append(' ');
        }
        String script = """
                #!/bin/sh
                # runs the installed hook as libvirt does; one line per call: op sub exit-status milliseconds output-bytes
                for round in 1 2 3 4 5; do
                    for pair in %s; do
                        op=${pair%%:*}
                        sub=${pair#*:}
                        t0=$(date +%%s%%N)
                        %s deb-vm "$op" "$sub" - </tmp/domain.xml >/tmp/hook.out 2>&1
                        rc=$?
                        t1=$(date +%%s%%N)
                        echo "$op $sub $rc $(((t1 - t0) / 1000000)) $(wc -c </tmp/hook.out)"
                    done
                done
                """.formatted(ops.toString().strip(), HOOK);
        Files.writeString(chroot.path("/tmp/hook-timing.sh"), script);
        Cmd.Result r = chroot.run(Duration.ofMinutes(2), "sh", "/tmp/hook-timing.sh").ok();
        List<String[]> runs = new ArrayList<>();
        Map<String, List<Long>> times = new LinkedHashMap<>();
        for (String l : r.out().strip().split("\n")) {
            String[] f = l.split(" ");
            runs.add(f);
            assertEquals("0", f[2], "exit status: " + l);
            assertEquals("0", f[4], "the hook printed something: " + l);
            times.computeIfAbsent(f[0] + " " + f[1], k -> new ArrayList<>()).add(Long.parseLong(f[3]));
        }
        List<String> slow = new ArrayList<>();
        long max = 0;
        for (Map.Entry<String, List<Long>> e : times.entrySet()) {
            long[] t = e.getValue().stream().mapToLong(Long::longValue).sorted().toArray();
            max = Math.max(max, t[t.length - 1]);
            if (t[t.length / 2] >= LIMIT_MILLIS) {
                slow.add(e.getKey() + " " + Arrays.toString(t));
            }
        }
        log("hook, " + label + ": " + runs.size() + " calls, per operation (ms): " + times + ", max " + max + " ms");
        assertEquals(List.of(), slow, "hook calls slower than " + LIMIT_MILLIS + " ms (median of 5)");
        assertTrue(max < 5 * LIMIT_MILLIS, "a hook call took " + max + " ms");
        return runs;
    }

    /** As systemd would: the unit's User/Group, EnvironmentFile, ExecStart. */
    private void startDaemonAsTheUnitDoes() throws IOException {
        Map<String, List<String>> unit = Deb.service(chroot.read("/lib/systemd/system/migov.service"));
        List<String> exec = Deb.execStart(unit);
        String user = unit.get("User").get(0);
        String group = unit.containsKey("Group") ? unit.get("Group").get(0) : user;
        // an operator's /etc/default/migov: the hook's events at debug level, so that the test sees them
        Files.writeString(chroot.path("/etc/default/migov"),
                "MIGOV_JAVA_OPTS=-Xmx256m -Dorg.slf4j.simpleLogger.log.io.migov.daemon.HookSpool=debug\n");
        Map<String, String> env = new LinkedHashMap<>(Map.of("HOME", "/var/lib/migov", "USER", user, "LOGNAME", user));
        for (String f : unit.getOrDefault("EnvironmentFile", List.of())) {
            String file = f.startsWith("-") ? f.substring(1) : f;
            Path p = chroot.path(file);
            if (Files.isRegularFile(p)) {
                for (String l : Files.readAllLines(p)) {
                    if (l.contains("=") && !l.startsWith("#")) {
                        env.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1));
                    }
                }
            }
        }
        daemonLog = work.resolve("daemon.log");
        daemon = chroot.spawn(user + ":" + group, env, exec, daemonLog);
        log("daemon: " + String.join(" ", exec) + " as " + user + ":" + group);
    }

    private void stopDaemon() {
        if (daemon != null && daemon.isAlive()) {
            daemon.destroy();
            try {
                if (!daemon.waitFor(20, TimeUnit.SECONDS)) {
                    daemon.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void awaitLog(Predicate<String> match, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> lines = Files.exists(daemonLog) ? Files.readAllLines(daemonLog, StandardCharsets.UTF_8) : List.of();
            if (lines.stream().anyMatch(match)) {
                return;
            }
            if (!daemon.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("expected daemon log line not seen (daemon " + (daemon.isAlive() ? "running" : "exited "
                        + daemon.exitValue()) + ")\n" + String.join("\n", lines));
            }
            Thread.sleep(100);
        }
    }

    private void awaitSpoolEmpty(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (spoolFiles().stream().anyMatch(n -> n.endsWith(".ev") || n.endsWith(".domain"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the daemon did not empty the spool: " + spoolFiles() + "\n" + Files.readString(daemonLog));
            }
            Thread.sleep(100);
        }
    }

    private List<String> spoolFiles() throws IOException {
        try (Stream<Path> s = Files.list(chroot.path(SPOOL))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Every path in the chroot (not /proc, /dev) with its type, mode and owner. */
    private Map<String, String> tree() {
        Cmd.Result r = chroot.run(Duration.ofMinutes(2), "find", "/", "-xdev", "(", "-path", "/proc", "-o", "-path", "/dev", ")", "-prune",
                "-o", "-printf", "%p\\t%y %m %u:%g\\n").ok();
        Map<String, String> out = new LinkedHashMap<>();
        for (String l : r.out().split("\n")) {
            int tab = l.indexOf('\t');
            if (tab > 0) {
                out.put(l.substring(0, tab), l.substring(tab + 1));
            }
        }
        return out;
    }

    private Map<String, String> accounts() throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        for (String f : List.of("/etc/passwd", "/etc/group", "/etc/shadow", "/etc/gshadow", "/etc/subuid", "/etc/subgid")) {
            Path p = chroot.path(f);
            m.put(f, Files.exists(p) ? Files.readString(p) : "(none)");
        }
        return m;
    }
}
