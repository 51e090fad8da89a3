// SPDX-License-Identifier: Apache-2.0
package io.migov.deb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.migov.testbed.Lab;
import io.migov.testbed.LabExtension;
import io.migov.testbed.MigrationOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The package on the two-host lab: its hook installed into each host's libvirt (each lab host has its
 * own /etc/libvirt), its daemon started from the package's files with the unit's ExecStart, and a VM
 * migrated with virsh. The migration is steered by A's daemon, and B's daemon has the VM's model from
 * the hook (at migrate begin) before the VM arrives.
 */
@ExtendWith(LabExtension.class)
class DebLabIT {

    /** Dirties 256 MiB as fast as TCG lets it: pre-copy never converges at 100 MiB/s (GovernorIT's writer). */
    static final String WRITER = "mwriter --mib 256 --pages-per-sec 200000 & integrity --mib 32 --pages-per-sec 1000 --verify-pages-per-sec 20000";
    static final String VM = "deb-hook";
    static final Path LAB_STATE = Path.of(System.getenv().getOrDefault("MIGOV_LAB_STATE", "/var/lib/migov-lab"));
    static final ObjectMapper JSON = new ObjectMapper();

    private final Lab lab;
    private final List<Process> daemons = new ArrayList<>();
    private final List<Path> installed = new ArrayList<>();
    private final List<Path> createdDirs = new ArrayList<>();
    private boolean vmStarted;

    DebLabIT(Lab lab) {
        this.lab = lab;
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : daemons) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        if (vmStarted) {
            lab.run(Duration.ofMinutes(1), "vm", "stop", VM);
        }
        // the hook leaves the lab hosts again; libvirt looks for hook scripts at every call, so no restart is needed
        for (Path p : installed) {
            Files.deleteIfExists(p);
        }
        for (Path d : createdDirs) { // innermost first; only if still empty
            try {
                Files.deleteIfExists(d);
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                // someone else's hook arrived meanwhile: leave it
            }
        }
    }

    /** One lab host "with the package installed": its hook, its daemon. */
    record Host(String name, Path spool, Path state, Path log, Process daemon) {
    }

    @Test
    void installedOnBothHosts_virshMigrationIsSteered_andTheModelArrivesThroughTheHook() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "it-lab").toAbsolutePath());
        Path root = work.resolve("root");
        Chroot.remove(root);
        Cmd.run(Duration.ofMinutes(1), "dpkg-deb", "-x", Deb.file().toString(), root.toString()).ok();

        // 1. the hook, as the package installs it, into each lab host's /etc/libvirt (bind-mounted from
        //    <lab>/hosts/X/etc), with a per-host spool; libvirtd looks for hooks when it starts
        Map<String, Path> spools = new LinkedHashMap<>();
        for (String h : List.of(Lab.HOST_A, Lab.HOST_B)) {
            Path spool = work.resolve(h).resolve("state/spool");
            Chroot.remove(work.resolve(h));
            Files.createDirectories(spool);
            spools.put(h, spool);
            Path hooks = LAB_STATE.resolve("hosts").resolve(h).resolve("etc/hooks");
            Path qemuD = hooks.resolve("qemu.d");
            if (!Files.isDirectory(qemuD)) {
                if (!Files.isDirectory(hooks)) {
                    Files.createDirectory(hooks);
                    createdDirs.add(0, hooks);
                }
                Files.createDirectory(qemuD);
                createdDirs.add(0, qemuD);
            }
            assertTrue(Files.notExists(hooks.resolve("qemu")), "the lab host has its own hooks/qemu: not ours to touch");
            Path hook = qemuD.resolve("migov");
            Files.copy(root.resolve("etc/libvirt/hooks/qemu.d/migov"), hook, StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.COPY_ATTRIBUTES);
            installed.add(hook);
            Path conf = hooks.resolve("migov-hook.conf");
            Files.writeString(conf, "spool_dir=" + spool + "\nsyslog=no\n");
            installed.add(conf);
            lab.run(Duration.ofMinutes(2), "host", "restart", h).requireSuccess();
        }

        // 2. the daemons, started from the package's files with the unit's ExecStart
        Host a = startDaemon(Lab.HOST_A, root, work, spools.get(Lab.HOST_A));
        Host b = startDaemon(Lab.HOST_B, root, work, spools.get(Lab.HOST_B));

        // 3. a VM on A that A's daemon profiles (and whose model it writes into the domain metadata every second)
        vmStarted = true;
        lab.startVm(VM, Lab.HOST_A, WRITER);
        String uuid = lab.virsh(Lab.HOST_A, "domuuid", VM).requireSuccess().stdout().strip();
        awaitLog(a, l -> l.contains(VM + " (" + uuid + "): profiling"), Duration.ofSeconds(30));
        awaitLog(a, l -> l.contains("hook: " + VM + " started begin"), Duration.ofSeconds(10)); // A's hook ran at the start
        MigovSleep.sleep(8000);

        // 4. virsh migrate --live --postcopy (the lab's driver); A's daemon switches to post-copy
        MigrationOutcome m = lab.migrate(VM, Lab.HOST_A, Lab.HOST_B, "postcopy-permitted", 100, 90);
        assertTrue(m.completed(), "migration: " + m.fields());
        JsonNode record = awaitRecord(a, VM, Duration.ofSeconds(30));
        assertEquals(uuid, record.path("uuid").asText());
        assertEquals("switch_to_postcopy", record.path("action").asText(), "steered: " + record.toPrettyString());
        assertTrue(record.path("completed").asBoolean(), record.toPrettyString());

        // 5. B: the hook handed the model over at migrate begin, and the VM was adopted with it
        String handed = awaitLog(b, l -> l.contains("hook: model for " + uuid + " handed over before the VM arrives"), Duration.ofSeconds(30));
        String adopted = awaitLog(b, l -> l.contains(VM + " (" + uuid + "): profiling; model from"), Duration.ofSeconds(30));
        assertTrue(adopted.contains("model from hook"), adopted);
        assertTrue(lines(b).indexOf(handed) < lines(b).indexOf(adopted), "handed over before the VM was adopted");
        awaitLog(b, l -> l.contains("hook: " + VM + " migrate begin"), Duration.ofSeconds(5));
        awaitLog(a, l -> l.contains("hook: " + VM + " release end"), Duration.ofSeconds(30)); // the source's hook saw it leave
        for (Host h : List.of(a, b)) {
            assertTrue(h.daemon().isAlive(), h.name() + "'s daemon died:\n" + String.join("\n", lines(h)));
            assertTrue(lines(h).stream().noneMatch(l -> l.contains("hook spool: ignoring")), String.join("\n", lines(h)));
        }
    }

    /** The unit's ExecStart from the unpacked package, with a config for this lab host. */
    private Host startDaemon(String host, Path root, Path work, Path spool) throws IOException {
        Map<String, List<String>> unit = Deb.service(Files.readString(root.resolve("lib/systemd/system/migov.service")));
        List<String> exec = new ArrayList<>(Deb.execStart(unit));
        int config = exec.indexOf("--config");
        assertTrue(config > 0 && exec.get(config + 1).equals("/etc/migov/migov.json"), exec.toString());
        // the packaged default config, pointed at the lab host
        ObjectNode cfg = (ObjectNode) JSON.readTree(root.resolve("etc/migov/migov.json").toFile());
        Path state = spool.getParent();
        cfg.put("connect", Lab.uri(host));
        cfg.put("stateDir", state.toString());
        cfg.put("spoolDir", spool.toString());
        cfg.put("modelSyncIntervalSeconds", 1);
        cfg.put("checkpointIntervalSeconds", 1);
        Path cfgFile = work.resolve(host).resolve("migov.json");
        Files.writeString(cfgFile, cfg.toPrettyString());
        exec.set(0, root.resolve(exec.get(0).substring(1)).toString()); // /usr/bin/migov of the unpacked package
        exec.set(config + 1, cfgFile.toString());
        Path log = work.resolve(host).resolve("daemon.log");
        ProcessBuilder pb = new ProcessBuilder(exec).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("MIGOV_JAVA_OPTS", "-Xmx256m -Dorg.slf4j.simpleLogger.log.io.migov.daemon.HookSpool=debug");
        Process p = pb.start();
        daemons.add(p);
        Host h = new Host(host, spool, state, log, p);
        awaitLog(h, l -> l.contains("connected to libvirt at"), Duration.ofSeconds(60));
        awaitLog(h, l -> l.contains("hook spool: " + spool), Duration.ofSeconds(10));
        return h;
    }

    private static List<String> lines(Host h) {
        try {
            return Files.exists(h.log()) ? Files.readAllLines(h.log(), StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String awaitLog(Host h, Predicate<String> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (String l : lines(h)) {
                if (match.test(l)) {
                    return l;
                }
            }
            if (!h.daemon().isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("host " + h.name() + ": expected daemon log line not seen\n" + String.join("\n", lines(h)));
            }
            MigovSleep.sleep(200);
        }
    }

    private static JsonNode awaitRecord(Host h, String vm, Duration timeout) throws IOException {
        Path file = h.state().resolve("migrations.jsonl");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                for (String l : Files.readAllLines(file)) {
                    if (!l.isBlank()) {
                        JsonNode r = JSON.readTree(l);
                        if (vm.equals(r.path("vm").asText())) {
                            return r;
                        }
                    }
                }
            }
            MigovSleep.sleep(250);
        }
        throw new AssertionError("no migration record for " + vm + " in " + file + "\n" + String.join("\n", lines(h)));
    }

    /** Thread.sleep without the checked exception. */
    static final class MigovSleep {
        private MigovSleep() {
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
}
