// SPDX-License-Identifier: Apache-2.0
package io.migov.jmx;

import org.junit.jupiter.api.Test;

import javax.management.remote.JMXConnector;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JmxClientTest {

    @Test
    void parseUrl_hostPortShorthand_isTheRegistryUrl() {
        assertEquals("service:jmx:rmi:///jndi/rmi://10.77.0.1:9010/jmxrmi", JmxClient.parseUrl("10.77.0.1:9010").toString());
        assertEquals("service:jmx:rmi:///jndi/rmi://h:1/jmxrmi", JmxClient.parseUrl("service:jmx:rmi:///jndi/rmi://h:1/jmxrmi").toString());
    }

    @Test
    void parseUrl_garbage_failsNamingTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JmxClient.parseUrl("http://x"));
        assertTrue(e.getMessage().startsWith("--jmx-url: expected service:jmx:"), e.getMessage());
    }

    @Test
    void connect_closedPort_isUnreachable() {
        int port = FreePorts.next();
        JmxUnreachableException e = assertThrows(JmxUnreachableException.class,
                () -> JmxClient.connect(JmxClient.parseUrl("127.0.0.1:" + port), "u", "p", false));
        assertTrue(e.getMessage().startsWith("cannot reach service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi: "), e.getMessage());
    }

    @Test
    void attach_noSuchProcess_isUnreachable() {
        JmxUnreachableException e = assertThrows(JmxUnreachableException.class, () -> JmxClient.attach(Integer.MAX_VALUE - 1));
        assertEquals("no process with pid " + (Integer.MAX_VALUE - 1), e.getMessage());
    }

    @Test
    void attach_notAJvm_isUnreachable() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "30").start();
        try {
            JmxUnreachableException e = assertThrows(JmxUnreachableException.class, () -> JmxClient.attach(sleep.pid()));
            assertEquals("pid " + sleep.pid() + " is not a Java VM (or not one this user may attach to)", e.getMessage());
            assertTrue(sleep.isAlive(), "no SIGQUIT was sent");
        } finally {
            sleep.destroy();
        }
    }

    @Test
    void findLocalAndAttach_childJvm_readsItsMBeans() throws Exception {
        String marker = "migov-attach-test-" + System.nanoTime();
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AttachTarget.class.getName(), marker)
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("ready", out.readLine());
            List<JmxClient.LocalJvm> found = JmxClient.findLocal(cmd -> cmd.contains(marker));
            assertEquals(1, found.size(), found.toString());
            assertEquals(child.pid(), found.get(0).pid());
            try (JMXConnector c = JmxClient.attach(child.pid())) {
                assertEquals(42L, c.getMBeanServerConnection().getAttribute(MBeanNames.of("Sample"), "Ticks"));
            }
        } finally {
            child.destroy();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
