// SPDX-License-Identifier: Apache-2.0
package io.migov.testbed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Java face of {@code testbed/lab}: the two-host libvirt/QEMU lab. Every method runs the script
 * and fails loudly (with its output) when the script does.
 */
public final class Lab {

    /** Host A's and B's libvirt URIs as seen from the root namespace. */
    public static final String HOST_A = "A";
    public static final String HOST_B = "B";

    private final Path script;

    public Lab(Path script) {
        if (!Files.isExecutable(script)) {
            throw new IllegalStateException("lab script not found or not executable: " + script.toAbsolutePath());
        }
        this.script = script;
    }

    /** The script named by {@code -Dmigov.lab} (set by the build), else {@code testbed/lab} under the working dir. */
    public static Lab fromSystemProperty() {
        String path = System.getProperty("migov.lab");
        if (path == null) {
            Path here = Path.of("testbed/lab");
            path = Files.exists(here) ? here.toString() : "../testbed/lab";
        }
        return new Lab(Path.of(path));
    }

    public static String uri(String host) {
        return switch (host) {
            case HOST_A -> "qemu+tcp://10.77.0.1/system";
            case HOST_B -> "qemu+tcp://10.77.0.2/system";
            default -> throw new IllegalArgumentException("host: expected A or B, got " + host);
        };
    }

    public static String ip(String host) {
        return switch (host) {
            case HOST_A -> "10.77.0.1";
            case HOST_B -> "10.77.0.2";
            default -> throw new IllegalArgumentException("host: expected A or B, got " + host);
        };
    }

    public Path script() {
        return script;
    }

    /** What one run of the script printed. */
    public record Result(int exitCode, String stdout, String stderr, List<String> command) {
        public Result requireSuccess() {
            if (exitCode != 0) {
                throw new IllegalStateException("lab " + String.join(" ", command) + " exited " + exitCode
                        + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr);
            }
            return this;
        }

        public List<String> lines() {
            return stdout.isEmpty() ? List.of() : Arrays.asList(stdout.split("\\R"));
        }
    }

    public Result run(Duration timeout, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(script.toAbsolutePath().toString());
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread o = pump(p.getInputStream(), out, false);
            Thread e = pump(p.getErrorStream(), err, true);
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException("lab " + String.join(" ", args) + " did not finish within " + timeout);
            }
            o.join(5000);
            e.join(5000);
            return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), List.of(args));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream sink, boolean echo) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    synchronized (sink) {
                        sink.write(buf, 0, n);
                    }
                    if (echo) {
                        System.err.write(buf, 0, n); // the lab's progress lines, for the test log
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "lab-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    // --------------------------------------------------------------------------------- commands

    public void deps() {
        run(Duration.ofMinutes(20), "deps").requireSuccess();
    }

    public void up() {
        run(Duration.ofMinutes(20), "up").requireSuccess();
    }

    public void down() {
        run(Duration.ofMinutes(3), "down").requireSuccess();
    }

    public boolean isUp() {
        return run(Duration.ofSeconds(60), "status").exitCode() == 0;
    }

    /** Starts a VM running {@code workload} (a guest command line, or {@code idle}) and waits for it to be ready. */
    public void startVm(String name, String host, String workload, int memoryMiB) {
        run(Duration.ofMinutes(3), "vm", "start", name, "--host", host, "--workload", workload, "--memory", Integer.toString(memoryMiB))
                .requireSuccess();
    }

    /** Starts a VM with a {@code diskMiB} MiB raw disk ({@code vda}, random contents, local to {@code host}). */
    public void startVm(String name, String host, String workload, int memoryMiB, int diskMiB) {
        run(Duration.ofMinutes(3), "vm", "start", name, "--host", host, "--workload", workload, "--memory", Integer.toString(memoryMiB),
                "--disk", Integer.toString(diskMiB)).requireSuccess();
    }

    public void startVm(String name, String host, String workload) {
        startVm(name, host, workload, 512);
    }

    public void stopVm(String name) {
        run(Duration.ofMinutes(1), "vm", "stop", name).requireSuccess();
    }

    /** The host the VM runs on: A, B, or none. */
    public String where(String name) {
        return run(Duration.ofSeconds(60), "vm", "where", name).requireSuccess().stdout().strip();
    }

    /** The VM's serial console so far (across hosts). */
    public ConsoleLog console(String name) {
        return new ConsoleLog(run(Duration.ofSeconds(60), "vm", "console", name).requireSuccess().lines());
    }

    /** Waits for the first per-second line of {@code program} on the VM's console and returns the latest one. */
    public ConsoleLog.PerfLine awaitPerfLine(String name, String program, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ConsoleLog.PerfLine line = console(name).last(program);
            if (line != null) {
                return line;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + ": no per-second line from " + program + " within " + timeout
                        + "\n" + String.join("\n", console(name).lines()));
            }
            Thread.sleep(500);
        }
    }

    /** Migrates with the lab's own virsh-based driver (no migov involved). */
    public MigrationOutcome migrate(String name, String from, String to, String mode, int bandwidthMiBPerSecond, int timeoutSeconds,
            String... options) {
        List<String> args = new ArrayList<>(List.of("migrate", name, "--from", from, "--to", to, "--mode", mode,
                "--bandwidth", Integer.toString(bandwidthMiBPerSecond), "--timeout", Integer.toString(timeoutSeconds)));
        args.addAll(List.of(options));
        Result r = run(Duration.ofSeconds(timeoutSeconds + 120L), args.toArray(String[]::new));
        for (String line : r.lines()) {
            if (line.startsWith("MIGRATE ")) {
                return MigrationOutcome.parse(line);
            }
        }
        throw new IllegalStateException("lab migrate printed no MIGRATE line (exit " + r.exitCode() + ")\n" + r.stdout() + "\n" + r.stderr());
    }

    public Result virsh(String host, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "virsh";
        all[1] = host;
        System.arraycopy(args, 0, all, 2, args.length);
        return run(Duration.ofMinutes(2), all);
    }
}
