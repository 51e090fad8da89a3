// SPDX-License-Identifier: Apache-2.0
package io.migov.testbed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host side of the lab's network workloads: {@code hostload} (built by {@code testbed/lab deps})
 * run in the root namespace against the lab LAN only. Bounded in time and bytes by the program.
 */
public final class HostLoad {

    private static final Pattern OPS = Pattern.compile("MIGOV hostload t=\\d+ ops=(\\d+)");

    private final Process process;
    private final AtomicLong bytes = new AtomicLong();

    private HostLoad(List<String> command) {
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    Matcher m = OPS.matcher(line);
                    if (m.find()) {
                        bytes.addAndGet(Long.parseLong(m.group(1)));
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
        }, "hostload-output");
        reader.setDaemon(true);
        reader.start();
    }

    static Path binary() {
        Path p = Path.of(System.getProperty("migov.lab.cache", "/var/cache/migov-lab"), "guest-bin", "hostload");
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException("hostload not built at " + p + " (run testbed/lab deps)");
        }
        return p;
    }

    /** Receives on {@code listen} (an address of the lab LAN, e.g. 10.77.0.254:7701) for at most {@code seconds}. */
    public static HostLoad receive(String listen, int seconds) {
        return new HostLoad(List.of(binary().toString(), "recv", "--listen", listen, "--seconds", Integer.toString(seconds)));
    }

    /** Sends to {@code to} at {@code kibPerSecond} for at most {@code seconds} and {@code maxMiB}. */
    public static HostLoad send(String to, int kibPerSecond, int seconds, int maxMiB) {
        return new HostLoad(List.of(binary().toString(), "send", "--to", to, "--kib-per-sec", Integer.toString(kibPerSecond),
                "--seconds", Integer.toString(seconds), "--max-mib", Integer.toString(maxMiB)));
    }

    public long bytesSoFar() {
        return bytes.get();
    }

    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
