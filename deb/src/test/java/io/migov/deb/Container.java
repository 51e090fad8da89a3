// SPDX-License-Identifier: Apache-2.0
package io.migov.deb;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@link Chroot} booted with its own systemd ({@code systemd-nspawn --boot}, from Debian's
 * systemd-container), so that a unit runs as on a real host: its sandbox, its restarts, journald.
 *
 * <p>The container has only a loopback network ({@code --private-network}), is registered nowhere
 * ({@code --register=no}: machined need not run) and links no journal into the machine's
 * ({@code --link-journal=no}). Commands run in all of its namespaces through {@code nsenter}, as
 * root unless they say otherwise. {@link #close()} powers it off (or kills it), and makes sure no
 * process is left whose root is the tree; a shutdown hook does the same if the JVM is stopped first.
 */
final class Container implements AutoCloseable {

    private final Chroot chroot;
    private final Process nspawn;
    private final long leader;
    private final Path log;
    private final Thread killOnExit;

    private Container(Chroot chroot, Process nspawn, long leader, Path log, Thread killOnExit) {
        this.chroot = chroot;
        this.nspawn = nspawn;
        this.leader = leader;
        this.log = log;
        this.killOnExit = killOnExit;
    }

    /** Whether {@code systemd-nspawn} is installed (package systemd-container). */
    static boolean available() {
        return Stream.of(Chroot.PATH.split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, "systemd-nspawn")));
    }

    /**
     * Boots {@code chroot} (it needs systemd) and waits until systemd has finished starting up; the
     * container's console and nspawn's own messages go to {@code log}.
     */
    static Container boot(Chroot chroot, String machine, Path log, Duration timeout) throws IOException {
        killProcessesIn(chroot.root); // a container a killed test run left behind in this tree
        List<String> cmd = new ArrayList<>(List.of("systemd-nspawn", "--boot", "--directory=" + chroot.root, "--machine=" + machine,
                "--register=no", "--private-network", "--link-journal=no", "--console=pipe"));
        if (!Files.isDirectory(Path.of("/run/systemd/system"))) {
            // no systemd on this machine to make a scope for the container: it stays in ours
            cmd.add("--keep-unit");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("PATH", Chroot.PATH);
        long t0 = System.nanoTime();
        Process nspawn = pb.start();
        Thread killOnExit = new Thread(() -> kill(nspawn, chroot.root), "container-kill-on-exit");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        boolean booted = false;
        try {
            long leader = awaitLeader(nspawn, t0 + timeout.toNanos(), log);
            Container c = new Container(chroot, nspawn, leader, log, killOnExit);
            c.awaitBooted(t0 + timeout.toNanos());
            booted = true;
            return c;
        } finally {
            if (!booted) {
                kill(nspawn, chroot.root);
                removeHook(killOnExit);
            }
        }
    }

    /** The container's init (PID 1 in its PID namespace) as this machine numbers it: a descendant of nspawn. */
    private static long awaitLeader(Process nspawn, long deadline, Path log) throws IOException {
        while (true) {
            Optional<ProcessHandle> init = nspawn.descendants().filter(p -> innerPid(p.pid()).equals("1")
                    && p.info().command().orElse("").endsWith("/systemd")).findFirst();
            if (init.isPresent()) {
                return init.get().pid();
            }
            if (!nspawn.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("systemd-nspawn " + (nspawn.isAlive() ? "started no systemd in time" : "exited " + nspawn.exitValue())
                        + "\n" + Files.readString(log));
            }
            sleep(100);
        }
    }

    /** The PID in the innermost PID namespace ({@code NSpid} in /proc/PID/status); "" if unknown. */
    private static String innerPid(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (l.startsWith("NSpid:")) {
                    String[] f = l.substring(6).strip().split("\\s+");
                    return f.length > 1 ? f[f.length - 1] : "";
                }
            }
        } catch (IOException e) {
            // gone
        }
        return "";
    }

    /** Until {@code systemctl is-system-running} says running (or degraded: then which units failed, once). */
    private void awaitBooted(long deadline) throws IOException {
        String state = "";
        while (System.nanoTime() < deadline) {
            Cmd.Result r = exec(Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1)), "systemctl", "is-system-running", "--wait");
            state = r.out().strip();
            if (state.equals("running")) {
                return;
            }
            if (state.equals("degraded")) {
                System.out.println("container: degraded, failed units:\n" + exec(Duration.ofSeconds(30), "systemctl", "--failed", "--no-legend").out());
                return;
            }
            if (!nspawn.isAlive()) {
                break;
            }
            sleep(200); // the manager's bus is not there yet
        }
        throw new AssertionError("the container's systemd did not finish starting (last state '" + state + "')\n" + Files.readString(log));
    }

    /** Runs {@code command} as root in the container (every namespace of its init), with a clean environment. */
    Cmd.Result exec(Duration timeout, String... command) {
        return exec(timeout, null, List.of(command));
    }

    /** As {@link #exec(Duration, String...)}; as {@code user} (with its groups) unless null. */
    Cmd.Result exec(Duration timeout, String user, List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "--target", Long.toString(leader), "--all", "--", "env", "-i",
                "PATH=" + Chroot.PATH, "LANG=C.UTF-8", "SYSTEMD_COLORS=0", "SYSTEMD_PAGER=", "DEBIAN_FRONTEND=noninteractive"));
        if (user == null) {
            cmd.add("HOME=/root");
        } else {
            cmd.addAll(List.of("HOME=/", "setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups", "--"));
        }
        cmd.addAll(command);
        return Cmd.run(timeout, cmd, null, null, Map.of("PATH", Chroot.PATH), true);
    }

    /** {@code systemctl show} of {@code unit}: the properties asked for. */
    Map<String, String> show(String unit, String... properties) {
        Cmd.Result r = exec(Duration.ofSeconds(30), "systemctl", "show", unit, "--property=" + String.join(",", properties)).ok();
        Map<String, String> out = new LinkedHashMap<>();
        for (String l : r.out().split("\n")) {
            int eq = l.indexOf('=');
            if (eq > 0) {
                out.put(l.substring(0, eq), l.substring(eq + 1));
            }
        }
        return out;
    }

    /** Powers the container off (SIGTERM to nspawn: systemd shuts down), or kills it after 30 s; then leaves nothing running. */
    @Override
    public void close() {
        try {
            if (nspawn.isAlive()) {
                long t0 = System.nanoTime();
                nspawn.destroy();
                if (nspawn.waitFor(30, TimeUnit.SECONDS)) {
                    System.out.println("container: powered off in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            kill(nspawn, chroot.root);
            removeHook(killOnExit);
        }
        List<String> left = processesIn(chroot.root);
        if (!left.isEmpty() || ProcessHandle.of(leader).isPresent()) {
            throw new AssertionError("processes of the container outlived it: " + left);
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
    }

    /** SIGKILL to nspawn and to every process whose root is in {@code root} (killing the container's init ends its PID namespace). */
    private static void kill(Process nspawn, Path root) {
        if (nspawn.isAlive()) {
            nspawn.destroyForcibly();
            try {
                nspawn.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        killProcessesIn(root);
    }

    private static void killProcessesIn(Path root) {
        for (int round = 0; round < 50 && !processesIn(root).isEmpty(); round++) {
            for (String p : processesIn(root)) {
                ProcessHandle.of(Long.parseLong(p.substring(0, p.indexOf(' ')))).ifPresent(ProcessHandle::destroyForcibly);
            }
            sleep(100);
        }
    }

    /**
     * "PID command" of every process whose root directory is {@code root}: the same file (device and
     * inode), since /proc/PID/root names a container's root "/" as the container sees it.
     */
    static List<String> processesIn(Path root) {
        List<String> out = new ArrayList<>();
        Object tree;
        try {
            tree = Files.readAttributes(root, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return out; // no tree, nothing in it
        }
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    if (tree.equals(Files.readAttributes(p.resolve("root"), BasicFileAttributes.class).fileKey())) {
                        out.add(p.getFileName() + " " + Files.readString(p.resolve("comm")).strip());
                    }
                } catch (IOException e) {
                    // gone, or a kernel thread
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
