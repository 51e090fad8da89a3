package io.migov.daemon;

import io.migov.governor.Mode;
import io.migov.port.DomainStats;
import io.migov.port.Hypervisor;
import io.migov.port.HypervisorListener;
import io.migov.port.JobStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DaemonTest {

    @TempDir
    Path tmp;

    /** A host with no VMs. */
    static final class EmptyHost implements Hypervisor {
        final String uri;
        volatile HypervisorListener listener;
        final AtomicInteger statsCalls = new AtomicInteger();
        volatile boolean closed;

        EmptyHost(String uri) {
            this.uri = uri;
        }

        @Override
        public String uri() {
            return uri;
        }

        @Override
        public boolean connected() {
            return !closed;
        }

        @Override
        public List<DomainStats> runningDomainStats() {
            statsCalls.incrementAndGet();
            return List.of();
        }

        @Override
        public JobStats jobStats(String uuid) {
            return JobStats.none();
        }

        @Override
        public void startPostCopy(String uuid) {
            throw new AssertionError("no VM to migrate");
        }

        @Override
        public long maxDowntimeMillis(String uuid) {
            return 300;
        }

        @Override
        public void setMaxDowntimeMillis(String uuid, long downtimeMillis) {
            throw new AssertionError("no VM to migrate");
        }

        @Override
        public void setMaxSpeedMiBPerSecond(String uuid, long bandwidthMiBPerSecond) {
            throw new AssertionError("no VM to migrate");
        }

        @Override
        public String metadata(String uuid) {
            return null;
        }

        @Override
        public void setMetadata(String uuid, String elementXml) {
        }

        @Override
        public void setListener(HypervisorListener listener) {
            this.listener = listener;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private DaemonConfig config(Path stateDir) throws ConfigException {
        return DaemonConfig.load(null, new DaemonConfig.Overrides("test:///default", stateDir.toString(), "advise"));
    }

    @Test
    void start_onAnEmptyHost_ticksEverySecondAndStopsInOrder() throws Exception {
        Path stateDir = tmp.resolve("state");
        EmptyHost[] opened = new EmptyHost[1];
        Daemon daemon = Daemon.builder().config(config(stateDir)).version("migov test")
                .hypervisors(uri -> opened[0] = new EmptyHost(uri)).start();
        EmptyHost host = opened[0];
        try {
            assertEquals("test:///default", host.uri);
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
