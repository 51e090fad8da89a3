// SPDX-License-Identifier: Apache-2.0
package io.migov.deb;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * {@link Chroot}; no systemd runs there, so the package starts nothing), then: files and permissions,
 * the user, {@code migov --version}, a reinstall (the upgrade path), the installed hook for every
 * libvirt operation with the daemon down, and {@code apt-get purge} leaving nothing behind. The
 * service itself, under systemd, is {@link DebSystemdIT}'s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DebInstallIT {

    static final String HOOK = "/etc/libvirt/hooks/qemu.d/migov";
    static final String SPOOL = "/var/lib/migov/spool";

    Path work;
    Chroot chroot;
    Path deb;
    String version;
    Map<String, String> accountsBefore;

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
        if (r.exit() != 0 && Chroot.staleLists(r)) {
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
        List<String[]> runs = HookTiming.run(chroot.path("/tmp"), "/tmp", script -> chroot.run(Duration.ofMinutes(2), "sh", script),
                "daemon down", DebInstallIT::log);
        // nobody reads the spool: everything is still there, one file per call, with the domain XML at migrate begin
        List<String> spool = spoolFiles();
        long domains = spool.stream().filter(n -> n.endsWith(".domain")).count();
        assertEquals(runs.size(), spool.stream().filter(n -> n.endsWith(".ev")).count() + domains, spool.toString());
        assertEquals(runs.stream().filter(f -> f[0].equals("migrate") && f[1].equals("begin")).count(), domains, spool.toString());
        assertEquals(List.of(), spool.stream().filter(n -> n.endsWith(".tmp")).toList());
    }

    @Test
    @Order(7)
    void aptPurge_leavesNothingBehind() throws Exception {
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
    @Order(8)
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
