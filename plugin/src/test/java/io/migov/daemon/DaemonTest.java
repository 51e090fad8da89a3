// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon;

import io.migov.testing.FakeHypervisor;
import io.migov.governor.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DaemonTest {

    @TempDir
    Path tmp;


    private DaemonConfig config(Path stateDir) throws ConfigException {
        return DaemonConfig.load(null, new DaemonConfig.Overrides("test:///default", stateDir.toString(), "advise"));
    }

    @Test
    void start_onAnEmptyHost_ticksEverySecondAndStopsInOrder() throws Exception {
        Path stateDir = tmp.resolve("state");
        FakeHypervisor[] opened = new FakeHypervisor[1];
        Daemon daemon = Daemon.builder().config(config(stateDir)).version("migov test")
                .hypervisors(uri -> opened[0] = new FakeHypervisor(uri)).start();
        FakeHypervisor host = opened[0];
        try {
            assertEquals("test:///default", host.uri());
            assertSame(daemon.governor(), host.listener, "the governor listens to the hypervisor's events");
            assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(stateDir)));
            assertTrue(Files.isDirectory(stateDir.resolve("models")));
            assertEquals(Mode.ADVISE, daemon.settings().get().mode());
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (host.statsCalls.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(host.statsCalls.get() >= 2, "the profiler ticks every second");
            assertTrue(daemon.governor().stats().ticks() >= 2);
        } finally {
            daemon.stop();
        }
        assertTrue(host.closed, "the hypervisor is closed at shutdown");
        assertTrue(host.calls.isEmpty(), "no VM, so nothing was done to one: " + host.calls);
        int calls = host.statsCalls.get();
        Thread.sleep(1200);
        assertEquals(calls, host.statsCalls.get(), "no tick after stop");
        daemon.stop(); // a second stop (the hook after an explicit stop) is harmless
    }

    @Test
    void start_stateDirUnderAFile_failsNamingItBeforeOpeningTheHypervisor() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Path stateDir = file.resolve("state");
        ConfigException e = assertThrows(ConfigException.class, () -> Daemon.builder().config(config(stateDir))
                .hypervisors(uri -> {
                    throw new AssertionError("must not connect");
                }).start());
        assertTrue(e.getMessage().startsWith("config: stateDir: cannot create or write the directory ("), e.getMessage());
        assertTrue(e.getMessage().endsWith(", got " + stateDir), e.getMessage());
    }

    @Test
    void start_stateDirIsAFile_failsNamingIt() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        ConfigException e = assertThrows(ConfigException.class, () -> Daemon.builder().config(config(file)).start());
        assertEquals("config: stateDir: not a directory, got " + file, e.getMessage());
    }

    @Test
    void start_hypervisorCannotBeOpened_failsWithItsReason() throws Exception {
        DaemonException e = assertThrows(DaemonException.class, () -> Daemon.builder().config(config(tmp.resolve("s")))
                .hypervisors(uri -> {
                    throw new IllegalStateException("no such host");
                }).start());
        assertEquals("cannot open test:///default: no such host", e.getMessage());
    }
}
