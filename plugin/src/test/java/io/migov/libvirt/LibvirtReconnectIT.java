// SPDX-License-Identifier: Apache-2.0
package io.migov.libvirt;

import io.migov.port.HypervisorException;
import io.migov.port.HypervisorListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reconnect against a real libvirtd that this test owns: a private libvirtd (own network, mount and
 * UTS namespaces, state in a temp dir, unix socket only) is SIGKILLed and started again while the
 * adapter is open. Nothing of the lab or of the host's own libvirt is touched. Needs root,
 * /usr/sbin/libvirtd and unshare.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LibvirtReconnectIT {

    private static Path dir;

    @BeforeAll
    static void canRunLibvirtd() throws Exception {
        assertTrue("root".equals(System.getProperty("user.name")), "needs root (it runs its own libvirtd)");
        assertTrue(Files.isExecutable(Path.of("/usr/sbin/libvirtd")), "no /usr/sbin/libvirtd (run testbed/lab deps)");
        dir = Files.createTempDirectory("adp-libvirtd");
        startDaemon();
    }

    @AfterAll
    static void stopDaemon() throws Exception {
        if (dir != null) {
            killDaemon("TERM");
            sh("rm -rf '" + dir + "'");
        }
    }

    @Test
    void killedAndRestartedDaemon_lostOnceRestoredOnce_eventsRegisteredAgain() throws Exception {
        Events events = new Events();
        LibvirtHypervisor.Options options = LibvirtHypervisor.Options.defaults(uri())
                .withReconnect(Duration.ofMillis(500), Duration.ofSeconds(4));
        try (LibvirtHypervisor hv = LibvirtHypervisor.open(options)) {
            hv.setListener(events);
            assertTrue(hv.connected());
            assertEquals(List.of(), hv.runningDomainStats());

            killDaemon("KILL");
            waitFor(() -> events.log.contains("lost"), 10);
            assertFalse(hv.connected());
            HypervisorException e = assertThrows(HypervisorException.class, hv::runningDomainStats);
            assertEquals(HypervisorException.Kind.CONNECTION, e.kind());
            Thread.sleep(3000); // a few failed attempts while the daemon is down
            startDaemon();
            waitFor(() -> events.log.contains("restored"), 30);
            assertTrue(hv.connected());
            assertEquals(List.of(), hv.runningDomainStats());

            // events flow on the new connection: defining and undefining a domain gives DEFINED (0) and UNDEFINED (1)
            Path xml = dir.resolve("dom.xml");
            Files.writeString(xml, "<domain type='qemu'><name>adp-it-evt</name><memory unit='MiB'>64</memory>"
                    + "<os><type arch='x86_64'>hvm</type></os></domain>", StandardCharsets.UTF_8);
            sh("virsh -q -c '" + uri() + "' define '" + xml + "' && virsh -q -c '" + uri() + "' undefine adp-it-evt");
            waitFor(() -> events.log.contains("lifecycle 1"), 10);
            assertEquals(List.of("lost", "restored", "lifecycle 0", "lifecycle 1"), events.log);
        }
    }

    private static String uri() {
        return "qemu+unix:///system?socket=" + dir.resolve("run/libvirt-sock");
    }

    private static void startDaemon() throws Exception {
        String d = dir.toString();
        sh("mkdir -p " + d + "/run " + d + "/lib " + d + "/cache " + d + "/log " + d + "/etc && printf '"
                + "listen_tls = 0\\nlisten_tcp = 0\\nauth_unix_rw = \"none\"\\nauth_unix_ro = \"none\"\\n"
                + "unix_sock_rw_perms = \"0700\"\\n' > " + d + "/etc/libvirtd.conf && "
                + "unshare --net --mount --uts --propagation private bash -c \""
                + "mount -t tmpfs -o size=16m adp-it-run /run && mkdir -p /run/libvirt /run/lock /run/user && "
                + "mount --bind " + d + "/run /run/libvirt && mount --bind " + d + "/lib /var/lib/libvirt && "
                + "mount --bind " + d + "/cache /var/cache/libvirt && mount --bind " + d + "/log /var/log/libvirt && "
                + "mount --bind " + d + "/etc /etc/libvirt && "
                + "exec /usr/sbin/libvirtd --daemon --pid-file " + d + "/libvirtd.pid --config " + d
                + "/etc/libvirtd.conf\"");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (sh("virsh -q -c '" + uri() + "' version >/dev/null 2>&1") != 0) {
            assertTrue(System.nanoTime() < deadline, "private libvirtd did not answer within 60 s");
            Thread.sleep(200);
        }
    }

    /** Signals the private daemon by its pid file, checking it really is a libvirtd. */
    private static void killDaemon(String signal) throws Exception {
        sh("p=$(cat '" + dir + "/libvirtd.pid' 2>/dev/null) && [ \"$(cat /proc/$p/comm 2>/dev/null)\" = libvirtd ] "
                + "&& kill -" + signal + " $p; true");
    }

    private static int sh(String script) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", script).inheritIO().start();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "timed out: " + script);
        return p.exitValue();
    }

    private static void waitFor(java.util.function.BooleanSupplier cond, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met within " + seconds + " s");
            Thread.sleep(100);
        }
    }

    static final class Events implements HypervisorListener {
        final List<String> log = new CopyOnWriteArrayList<>();

        @Override
        public void onLifecycle(String uuid, int event, int detail) {
            log.add("lifecycle " + event);
        }

        @Override
        public void onConnectionLost(String reason) {
            log.add("lost");
        }

        @Override
        public void onConnectionRestored() {
            log.add("restored");
        }
    }
}
