// SPDX-License-Identifier: Apache-2.0
package io.migov.deb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command to its end, with a time limit, and keeps what it printed. */
final class Cmd {

    /** What a command did. {@code millis}: from start to exit, as seen from here. */
    record Result(List<String> command, int exit, byte[] stdout, byte[] stderr, long millis) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        String err() {
            return new String(stderr, StandardCharsets.UTF_8);
        }

        Result ok() {
            if (exit != 0) {
                throw new AssertionError(String.join(" ", command) + " exited " + exit + "\n--- stdout ---\n" + out()
                        + "\n--- stderr ---\n" + err());
            }
            return this;
        }

        @Override
        public String toString() {
            return String.join(" ", command) + " → " + exit + " in " + millis + " ms\n" + out() + err();
        }
    }

    private Cmd() {
    }

    static Result run(Duration timeout, List<String> command) {
        return run(timeout, command, null, null, Map.of());
    }

    static Result run(Duration timeout, String... command) {
        return run(timeout, List.of(command));
    }

    /** Runs {@code command} with {@code stdin} (null: none) in {@code dir} (null: here). */
    static Result run(Duration timeout, List<String> command, byte[] stdin, Path dir, Map<String, String> env) {
        return run(timeout, command, stdin, dir, env, false);
    }

    /** As above; with {@code onlyEnv} the command gets exactly {@code env}, nothing inherited. */
    static Result run(Duration timeout, List<String> command, byte[] stdin, Path dir, Map<String, String> env, boolean onlyEnv) {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        if (onlyEnv) {
            pb.environment().clear();
        }
        pb.environment().putAll(env);
        try {
            long t0 = System.nanoTime();
            Process p = pb.start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread o = pump(p.getInputStream(), out);
            Thread e = pump(p.getErrorStream(), err);
            Thread in = new Thread(() -> feed(p.getOutputStream(), stdin), "cmd-stdin");
            in.setDaemon(true);
            in.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            o.join(10_000);
            e.join(10_000);
            return new Result(new ArrayList<>(command), p.exitValue(), out.toByteArray(), err.toByteArray(), millis);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Writes {@code data} and closes; a reader that stops early (EPIPE) is fine. */
    private static void feed(OutputStream os, byte[] data) {
        try (os) {
            if (data != null) {
                os.write(data);
            }
        } catch (IOException ignored) {
            // the command stopped reading: that is its right
        }
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream sink) {
        Thread t = new Thread(() -> {
            try {
                in.transferTo(sink);
            } catch (IOException ignored) {
                // process gone
            }
        }, "cmd-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The source tree's root (set by the build; the module's parent otherwise). */
    static Path root() {
        return Path.of(System.getProperty("migov.root", "..")).toAbsolutePath().normalize();
    }
}
