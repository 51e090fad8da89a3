// SPDX-License-Identifier: Apache-2.0
package io.migov.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.migov.jmx.JmxClient;
import io.migov.jmx.MBeanNames;
import io.migov.testbed.Lab;

import javax.management.remote.JMXConnector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real migov daemon process (the packaged jar) steering one lab host over {@code qemu+tcp://}.
 * Its log and state dir are kept under {@code target/it-daemons} for the test report.
 */
final class MigovDaemon implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final String host;
    final Path stateDir;
    final Path log;
    private final Path configFile;
    private final Process process;
    /** Lines of the log written by earlier processes on the same state dir (a restart appends). */
    private final int firstLine;

    private MigovDaemon(String host, Path stateDir, Path log, Path configFile, Process process, int firstLine) {
        this.host = host;
        this.stateDir = stateDir;
        this.log = log;
        this.configFile = configFile;
        this.process = process;
        this.firstLine = firstLine;
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("migov.jar", "target/migov.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("migov.jar not built at " + jar.toAbsolutePath());
        }
        return jar;
    }

    /** Starts a daemon for {@code host} with a fresh state dir; extra config keys override the defaults. */
    static MigovDaemon start(String host, String mode, String testName, ObjectNode extraConfig) throws IOException {
        Path base = Path.of("target", "it-daemons", testName + "-" + host + "-" + System.nanoTime());
        Path stateDir = base.resolve("state");
        Files.createDirectories(base);
        ObjectNode config = JSON.createObjectNode();
        config.put("connect", Lab.uri(host));
        config.put("stateDir", stateDir.toAbsolutePath().toString());
        config.put("mode", mode);
        config.put("modelSyncIntervalSeconds", 1);
        config.put("checkpointIntervalSeconds", 1);
        if (extraConfig != null) {
            config.setAll(extraConfig);
        }
        Path configFile = base.resolve("migov.json");
        Files.writeString(configFile, config.toPrettyString());
        Path log = base.resolve("daemon.log");
        Files.deleteIfExists(log);
        return launch(host, stateDir, log, configFile, 0);
    }

    private static MigovDaemon launch(String host, Path stateDir, Path log, Path configFile, int firstLine) throws IOException {
        Process p = new ProcessBuilder(javaBinary(), "-Xmx256m", "-jar", jar().toAbsolutePath().toString(), "daemon", "--config",
                configFile.toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        MigovDaemon d = new MigovDaemon(host, stateDir, log, configFile, p, firstLine);
        try {
            d.awaitLog(l -> l.contains("connected to libvirt at"), Duration.ofSeconds(60));
        } catch (AssertionError e) {
            d.close(); // not left behind for the next test
            throw e;
        }
        return d;
    }

    /**
     * SIGKILLs this daemon (no shutdown hook, no checkpoint, no record: what a crash or the OOM killer
     * does) and starts a new one with the same configuration and state dir; its log lines are appended,
     * and the new instance's {@link #awaitLog} and {@link #logLines} see only its own.
     */
    MigovDaemon killAndRestart() throws IOException {
        return killAndRestart(Duration.ZERO);
    }

    /** As {@link #killAndRestart()}, with {@code gap} between the kill and the new start (no daemon runs meanwhile). */
    MigovDaemon killAndRestart(Duration gap) throws IOException {
        process.destroyForcibly(); // SIGKILL on Linux
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                throw new IllegalStateException("migov daemon for " + host + " did not die on SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        sleep(gap.toMillis());
        return launch(host, stateDir, log, configFile, allLogLines().size());
    }

    static MigovDaemon start(String host, String mode, String testName) throws IOException {
        return start(host, mode, testName, null);
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** This process's log lines. */
    List<String> logLines() {
        List<String> all = allLogLines();
        return all.subList(Math.min(firstLine, all.size()), all.size());
    }

    /** Every log line of every incarnation on this state dir (a daemon killed and started again appends). */
    List<String> allLogLines() {
        try {
            return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for a log line; fails with the log when it does not come or the daemon died. */
    String awaitLog(Predicate<String> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : logLines()) {
                if (match.test(line)) {
                    return line;
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError("migov daemon for " + host + " exited " + process.exitValue() + "\n" + String.join("\n", logLines()));
            }
            sleep(250);
        }
        throw new AssertionError("migov daemon for " + host + ": expected log line not seen within " + timeout + "\n"
                + String.join("\n", logLines()));
    }

    /** The finished-migration records written so far. */
    List<JsonNode> records() {
        Path file = stateDir.resolve("migrations.jsonl");
        List<JsonNode> out = new ArrayList<>();
        try {
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        out.add(JSON.readTree(line));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Waits for the record of a migration of {@code vm}. */
    JsonNode awaitRecord(String vm, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode r : records()) {
                if (vm.equals(r.path("vm").asText())) {
                    return r;
                }
            }
            sleep(250);
        }
        throw new AssertionError("no migration record for " + vm + " on " + host + " within " + timeout + "\n"
                + String.join("\n", logLines()));
    }

    /** The VM's checkpointed model, or null. */
    JsonNode checkpoint(String uuid) throws IOException {
        Path f = stateDir.resolve("models").resolve(uuid + ".json");
        return Files.exists(f) ? JSON.readTree(Files.readString(f)) : null;
    }

    /** An attribute of the daemon's state MBean, read through a local JMX attach to its process (as {@code migov status} does). */
    Object stateAttribute(String attribute) throws Exception {
        try (JMXConnector c = JmxClient.attach(process.pid())) {
            return c.getMBeanServerConnection().getAttribute(MBeanNames.of("Governor", "State"), attribute);
        }
    }

    /** Sets a tunable through a local JMX attach, as {@code migov set} does. */
    void setTunable(String name, Object value) throws Exception {
        try (JMXConnector c = JmxClient.attach(process.pid())) {
            c.getMBeanServerConnection().setAttribute(MBeanNames.of("Governor", "Tunables"), new javax.management.Attribute(name, value));
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
