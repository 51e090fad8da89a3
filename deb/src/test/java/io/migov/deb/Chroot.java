// SPDX-License-Identifier: Apache-2.0
package io.migov.deb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fresh Debian 12 (bookworm, minbase) root to install the package into, as on a clean host.
 *
 * <p>The base system is bootstrapped once with debootstrap from the Debian mirror this machine's
 * apt uses, with that machine's apt sources and package lists, and cached as a tarball
 * ({@code /var/cache/migov-lab/deb-chroot/bookworm-minbase.tar}); every test gets its own copy. A
 * system with more packages preinstalled (systemd, for {@link Container}) is made from it once and
 * cached beside it ({@code bookworm-minbase+<hash>.tar}).
 * Downloaded packages are kept in {@code /var/cache/migov-lab/deb-chroot/archives} (bind-mounted
 * as the chroot's apt archive), so later runs install offline. Commands run in a private mount
 * namespace ({@code unshare --mount}) with {@code /proc} and {@code /dev} mounted: nothing is
 * mounted on the machine itself, and nothing outlives the command.
 */
final class Chroot implements AutoCloseable {

    static final Path CACHE = Path.of(System.getenv().getOrDefault("MIGOV_LAB_CACHE", "/var/cache/migov-lab"), "deb-chroot");
    static final String SUITE = "bookworm";
    private static final Path BASE = CACHE.resolve(SUITE + "-minbase.tar");
    private static final Path ARCHIVES = CACHE.resolve("archives");
    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** Mounts /proc, /dev and the apt archive cache into root, then chroot(8) with the rest. */
    private static final String ENTER = "r=$1; a=$2; shift 2; mount -t proc proc \"$r/proc\" && mount --bind /dev \"$r/dev\""
            + " && mount --bind \"$a\" \"$r/var/cache/apt/archives\" && exec chroot \"$@\"";

    final Path root;

    private Chroot(Path root) {
        this.root = root;
    }

    /** A fresh copy of the base system in {@code dir}/root (the base is created first if needed). */
    static Chroot fresh(Path dir) throws IOException {
        return fresh(dir, List.of());
    }

    /**
     * A fresh copy of the base system with {@code preinstalled} installed ({@code apt-get satisfy}
     * dependency strings, e.g. {@code "systemd, dbus"}), in {@code dir}/root. That system is made once
     * from the base and cached as its own tarball, named after a hash of {@code preinstalled}.
     */
    static Chroot fresh(Path dir, List<String> preinstalled) throws IOException {
        Path tarball = ensureBase(preinstalled);
        Path root = dir.resolve("root");
        if (Files.exists(root)) {
            remove(root);
        }
        Files.createDirectories(root);
        Cmd.run(Duration.ofMinutes(5), "tar", "-C", root.toString(), "-xf", tarball.toString()).ok();
        return new Chroot(root);
    }

    /**
     * The tarball of the base system with {@code preinstalled} (none: the debootstrap base itself), made
     * if missing, under a lock shared with other runs. A derived tarball made for other packages is
     * removed when a new one is made: each is a few hundred MB.
     */
    static Path ensureBase(List<String> preinstalled) throws IOException {
        Files.createDirectories(ARCHIVES);
        try (FileChannel ch = FileChannel.open(CACHE.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = ch.lock()) {
            if (!Files.isRegularFile(BASE)) {
                bootstrap();
            }
            if (preinstalled.isEmpty()) {
                return BASE;
            }
            Path derived = CACHE.resolve(SUITE + "-minbase+" + key(preinstalled) + ".tar");
            if (!Files.isRegularFile(derived)) {
                derive(derived, preinstalled);
                try (DirectoryStream<Path> old = Files.newDirectoryStream(CACHE, SUITE + "-minbase+*.tar")) {
                    for (Path p : old) {
                        if (!p.equals(derived)) {
                            Files.delete(p);
                        }
                    }
                }
            }
            return derived;
        }
    }

    /** debootstrap (about a minute), with the machine's apt sources; called under the lock. */
    private static void bootstrap() throws IOException {
        Path work = Files.createTempDirectory(CACHE, "bootstrap-");
        Path root = work.resolve("root");
        String mirror = mirror();
        System.err.println("deb-chroot: debootstrap --variant=minbase " + SUITE + " from " + mirror + " (cached as " + BASE + ")");
        Cmd.Result r = whileNoting("debootstrap", () -> Cmd.run(Duration.ofMinutes(20), "debootstrap", "--variant=minbase", SUITE,
                root.toString(), mirror));
        if (r.exit() != 0) {
            remove(work);
            r.ok();
        }
        // the machine's own apt sources (the same mirror, with updates and security), not debootstrap's one line
        Path sources = Path.of("/etc/apt/sources.list.d/debian.sources");
        if (Files.isRegularFile(sources)) {
            Files.deleteIfExists(root.resolve("etc/apt/sources.list"));
            Files.copy(sources, root.resolve("etc/apt/sources.list.d/debian.sources"));
        }
        Chroot c = new Chroot(root);
        c.run(Duration.ofMinutes(10), "apt-get", "update", "-q").ok();
        c.run(Duration.ofMinutes(2), "apt-get", "clean").ok();
        pack(root, BASE);
        remove(work);
    }

    /** The base with {@code preinstalled} installed (downloads go to the shared archive cache); called under the lock. */
    private static void derive(Path tarball, List<String> preinstalled) throws IOException {
        Path work = Files.createTempDirectory(CACHE, "derive-");
        try {
            Path root = Files.createDirectories(work.resolve("root"));
            Cmd.run(Duration.ofMinutes(5), "tar", "-C", root.toString(), "-xf", BASE.toString()).ok();
            Chroot c = new Chroot(root);
            System.err.println("deb-chroot: the base with " + preinstalled + " (once; cached as " + tarball + ")");
            List<String> satisfy = new ArrayList<>(List.of("apt-get", "satisfy", "-y", "-q", "--no-install-recommends"));
            satisfy.addAll(preinstalled);
            Cmd.Result r = whileNoting("apt-get satisfy", () -> c.run(Duration.ofMinutes(15), null, null, Map.of(), satisfy));
            if (r.exit() != 0 && staleLists(r)) {
                System.err.println("deb-chroot: stale package lists in the cached base: apt-get update, then again");
                c.run(Duration.ofMinutes(10), "apt-get", "update", "-q").ok();
                r = whileNoting("apt-get satisfy", () -> c.run(Duration.ofMinutes(15), null, null, Map.of(), satisfy));
            }
            r.ok();
            pack(root, tarball);
        } finally {
            remove(work);
        }
    }

    /** Runs {@code step}, with a line every 15 s while it lasts: downloads and installs take a minute or more. */
    private static Cmd.Result whileNoting(String what, Supplier<Cmd.Result> step) {
        long t0 = System.nanoTime();
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "deb-chroot-progress");
            t.setDaemon(true);
            return t;
        });
        clock.scheduleAtFixedRate(() -> System.err.println("deb-chroot: " + what + " still running, "
                + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0) + " s"), 15, 15, TimeUnit.SECONDS);
        try {
            return step.get();
        } finally {
            clock.shutdownNow();
        }
    }

    /** apt failed because the package lists name versions the mirror no longer has. */
    static boolean staleLists(Cmd.Result r) {
        return (r.out() + r.err()).matches("(?s).*(404|Unable to fetch|Failed to fetch|has no installation candidate).*");
    }

    private static void pack(Path root, Path tarball) throws IOException {
        Path tmp = CACHE.resolve(tarball.getFileName() + ".tmp");
        Cmd.run(Duration.ofMinutes(5), "tar", "-C", root.toString(), "-cf", tmp.toString(), ".").ok();
        Files.move(tmp, tarball, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String key(List<String> preinstalled) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(String.join("\n", preinstalled).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first http(s) URI apt uses for {@value #SUITE} on this machine; deb.debian.org otherwise. */
    static String mirror() throws IOException {
        Path sources = Path.of("/etc/apt/sources.list.d/debian.sources");
        if (Files.isRegularFile(sources)) {
            for (String stanza : Files.readString(sources).split("\\n\\s*\\n")) {
                Matcher uris = Pattern.compile("(?m)^URIs:\\s*(\\S+)").matcher(stanza);
                Matcher suites = Pattern.compile("(?m)^Suites:(.*)$").matcher(stanza);
                if (uris.find() && suites.find() && List.of(suites.group(1).trim().split("\\s+")).contains(SUITE)) {
                    return uris.group(1);
                }
            }
        }
        Path list = Path.of("/etc/apt/sources.list");
        if (Files.isRegularFile(list)) {
            Matcher m = Pattern.compile("(?m)^deb\\s+(?:\\[[^]]*]\\s+)?(\\S+)\\s+" + SUITE + "\\s").matcher(Files.readString(list));
            if (m.find()) {
                return m.group(1);
            }
        }
        return "http://deb.debian.org/debian";
    }

    /** The host path of a path inside the chroot. */
    Path path(String inside) {
        return root.resolve(inside.startsWith("/") ? inside.substring(1) : inside);
    }

    private List<String> enter(String userSpec, List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "--", "sh", "-c", ENTER, "sh",
                root.toString(), ARCHIVES.toString()));
        if (userSpec != null) {
            cmd.add("--userspec=" + userSpec);
        }
        cmd.add(root.toString());
        cmd.addAll(command);
        return cmd;
    }

    static Map<String, String> env(Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", PATH);
        env.put("LANG", "C.UTF-8");
        env.put("HOME", "/root");
        env.put("DEBIAN_FRONTEND", "noninteractive");
        env.putAll(extra);
        return env;
    }

    Cmd.Result run(Duration timeout, String... command) {
        return run(timeout, null, null, Map.of(), List.of(command));
    }

    /** Runs {@code command} in the chroot, as root or as {@code userSpec} (user:group). */
    Cmd.Result run(Duration timeout, String userSpec, byte[] stdin, Map<String, String> env, List<String> command) {
        return Cmd.run(timeout, enter(userSpec, command), stdin, null, env(env), true);
    }

    String read(String inside) {
        try {
            return Files.readString(path(inside), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        remove(root);
    }

    /** rm -rf, never crossing into another file system (a leftover mount is never emptied). */
    static void remove(Path dir) {
        Cmd.run(Duration.ofMinutes(5), "rm", "-rf", "--one-file-system", dir.toString());
    }
}
