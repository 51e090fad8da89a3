// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon.management;

import io.migov.core.DecisionCore;
import io.migov.daemon.ConfigException;
import io.migov.daemon.DaemonConfig;
import io.migov.governor.Governor;
import io.migov.governor.GovernorSettings;
import io.migov.governor.ModelStore;
import io.migov.jmx.JmxClient;
import io.migov.jmx.JmxUnreachableException;
import io.migov.testing.FakeHypervisor;
import io.migov.testing.TestStats;
import io.migov.testing.TestTls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.management.Attribute;
import javax.management.MBeanServerConnection;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Remote JMX security, for real: the daemon's management plane started from a config file with TLS
 * (a key store keytool made for this run), a password file (one clear, one hashed password) and an access file, on free loopback
 * ports; clients that trust the certificate, that do not, that speak plain RMI, with a wrong or no
 * password, and a read-only user; with client certificates required (jmxTlsClientAuth), clients with
 * a trusted certificate, with none, with an untrusted one.
 *
 * <p>The client's trust is this JVM's default TLS context, as for the CLI
 * ({@code -Djavax.net.ssl.trustStore}): {@code SslRMIClientSocketFactory} takes it once per JVM, so it
 * is set once, before any TLS connection, and the other trusts are explicit socket factories.
 */
class RemoteJmxSecurityTest {

    private static Path dir;
    private static Path serverKeys;
    private static Path clientKeys;
    private static Path strangerKeys;
    private static SSLContext previousDefault;
    private static final List<ManagementPlane> PLANES = new ArrayList<>();

    @BeforeAll
    static void keysAndTrust() throws Exception {
        dir = Files.createTempDirectory("migov-jmx-tls");
        serverKeys = TestTls.keyStore(dir.resolve("server.p12"), "server");
        clientKeys = TestTls.keyStore(dir.resolve("client.p12"), "client");
        strangerKeys = TestTls.keyStore(dir.resolve("stranger.p12"), "stranger");
        previousDefault = SSLContext.getDefault();
        // a client that trusts the daemon's certificate (and has a certificate of its own, for client authentication)
        SSLContext.setDefault(TestTls.context(clientKeys, TestTls.trustStore(dir.resolve("client-trust.p12"), serverKeys)));
    }

    @AfterAll
    static void stop() throws IOException {
        for (ManagementPlane p : PLANES) {
            p.close();
        }
        SSLContext.setDefault(previousDefault);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static Path secret(String name, String text) throws IOException {
        Path f = Files.writeString(dir.resolve(name), text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    private static String hashed(String user, String password) throws Exception {
        byte[] salt = new byte[64];
        new java.security.SecureRandom().nextBytes(salt);
        java.security.MessageDigest sha3 = java.security.MessageDigest.getInstance("SHA3-512");
        sha3.update(salt);
        byte[] hash = sha3.digest(password.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return user + " " + java.util.Base64.getEncoder().encodeToString(salt) + " " + java.util.Base64.getEncoder().encodeToString(hash)
                + " SHA3-512";
    }

    private static final java.util.Set<Integer> PORTS = new java.util.HashSet<>();

    /** A free loopback port not handed out before in this class (a registry and a server port must differ). */
    private static int freePort() throws IOException {
        while (true) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (PORTS.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            }
        }
    }

    /** The daemon's TLS keys. */
    private static final String TLS = ", \"jmxTls\": true, \"jmxKeyStore\": \"server.p12\", "
            + "\"jmxKeyStorePasswordFile\": \"server.p12.password\"";

    /** A daemon's management plane (with a governor over a fake host) started from a config with remote JMX and {@code extra} keys. */
    private static Started start(String extra) throws Exception {
        Path config = dir.resolve("migov-" + PLANES.size() + ".json");
        // the JDK's password file format: a clear password, and a hashed one (salt, SHA3-512 of salt + password)
        secret("jmx.password", "ops s3cret\n" + hashed("viewer", "look") + "\n");
        Files.writeString(dir.resolve("jmx.access"), "ops readwrite\nviewer readonly\n");
        secret("server.p12.password", TestTls.PASSWORD + "\n");
        Files.writeString(config, "{\"connect\": \"fake:///system\", \"stateDir\": \"" + dir.resolve("state") + "\", \"jmxRemote\": true, "
                + "\"jmxBindAddress\": \"127.0.0.1\", \"jmxRegistryPort\": " + freePort() + ", \"jmxServerPort\": " + freePort() + ", "
                + "\"jmxPasswordFile\": \"jmx.password\", \"jmxAccessFile\": \"jmx.access\"" + extra + "}");
        DaemonConfig c = DaemonConfig.load(config, DaemonConfig.Overrides.NONE);
        AtomicReference<GovernorSettings> settings = new AtomicReference<>(c.settings());
        ManagementPlane plane = ManagementPlane.create(c, settings, new ConfigReloader() {
            @Override
            public DaemonConfig reload() throws ConfigException {
                return DaemonConfig.load(config, DaemonConfig.Overrides.NONE);
            }

            @Override
            public String source() {
                return config.toString();
            }
        }, "migov test", MBeanServerFactory.newMBeanServer());
        PLANES.add(plane);
        FakeHypervisor host = new FakeHypervisor();
        AtomicLong nanos = new AtomicLong(1_000_000_000_000L);
        Governor g = Governor.builder().hypervisor(plane.metered(host)).core(DecisionCore.of(c.discretiser())).settings(settings::get)
                .clock(Clock.fixed(Instant.parse("2026-11-22T00:00:00Z"), ZoneOffset.UTC)).ticker(nanos::get)
                .recordSink(r -> { })
                .modelStore(new ModelStore() {
                    @Override
                    public Optional<String> load(String uuid) {
                        return Optional.empty();
                    }

                    @Override
                    public void save(String uuid, String json) {
                    }
                })
                .executor(Runnable::run).build();
        plane.start(g);
        host.put(TestStats.running("6c653893-0e90-474e-a49a-0bf763b94100", "tls-a", 0, 10, 0, 0));
        g.tick();
        plane.reconcileVms();
        return new Started(plane, plane.remoteUrl().orElseThrow(), settings);
    }

    private record Started(ManagementPlane plane, JMXServiceURL url, AtomicReference<GovernorSettings> settings) {
    }

    private static Started tls;
    private static Started clientAuth;

    private static synchronized Started tls() throws Exception {
        if (tls == null) {
            tls = start(TLS);
        }
        return tls;
    }

    private static synchronized Started clientAuth() throws Exception {
        if (clientAuth == null) {
            TestTls.trustStore(dir.resolve("clients.p12"), clientKeys);
            secret("clients.p12.password", TestTls.PASSWORD + "\n");
            clientAuth = start(TLS + ", \"jmxTlsClientAuth\": true, \"jmxTrustStore\": \"clients.p12\", "
                    + "\"jmxTrustStorePasswordFile\": \"clients.p12.password\"");
        }
        return clientAuth;
    }

    /** Connects the way a client with {@code registryTrust} reaches the registry (the server's own stub then uses the default). */
    private static JMXConnector connectWith(SSLContext registryTrust, JMXServiceURL url, String user, String password) throws IOException {
        Map<String, Object> env = new HashMap<>();
        env.put(JMXConnector.CREDENTIALS, new String[] {user, password});
        env.put("com.sun.jndi.rmi.factory.socket", TestTls.clientSockets(registryTrust));
        return JMXConnectorFactory.connect(url, env);
    }

    private static Throwable root(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    @Test
    void tls_clientTrustingTheCertificate_readsAndSets() throws Exception {
        Started s = tls();
        try (JMXConnector c = JmxClient.connect(s.url(), "ops", "s3cret", true)) {
            MBeanServerConnection jmx = c.getMBeanServerConnection();
            assertEquals("fake:///system", jmx.getAttribute(ManagementPlane.STATE, "LibvirtUri"));
            assertTrue((Boolean) jmx.getAttribute(ManagementPlane.TUNABLES, "JmxTls"));
            jmx.setAttribute(ManagementPlane.TUNABLES, new Attribute("LookAhead", 7));
            assertEquals(7, s.settings().get().lookAhead());
            jmx.setAttribute(ManagementPlane.TUNABLES, new Attribute("LookAhead", 5));
        }
    }

    @Test
    void tls_clientNotTrustingTheCertificate_refusedInTheHandshake() throws Exception {
        Started s = tls();
        SSLContext stranger = TestTls.context(clientKeys, TestTls.trustStore(dir.resolve("stranger-trust.p12"), strangerKeys));
        IOException e = assertThrows(IOException.class, () -> connectWith(stranger, s.url(), "ops", "s3cret").close());
        assertInstanceOf(SSLException.class, findSsl(e), "refused by TLS: " + e);
        assertTrue(String.valueOf(root(e).getMessage()).contains("certification path"), String.valueOf(root(e)));
        IOException none = assertThrows(IOException.class, () -> connectWith(TestTls.context(clientKeys, null), s.url(), "ops", "s3cret").close());
        assertInstanceOf(SSLException.class, findSsl(none), "no trust at all: " + none);
        // the same client with the daemon's certificate in its trust store gets in: the certificate made the difference
        SSLContext trusting = TestTls.context(clientKeys, TestTls.trustStore(dir.resolve("trusting.p12"), serverKeys));
        try (JMXConnector c = connectWith(trusting, s.url(), "ops", "s3cret")) {
            assertEquals("fake:///system", c.getMBeanServerConnection().getAttribute(ManagementPlane.STATE, "LibvirtUri"));
        }
    }

    private static SSLException findSsl(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException ssl) {
                return ssl;
            }
        }
        return null;
    }

    @Test
    void tls_plainClient_cannotTalkToTheRegistry() throws Exception {
        Started s = tls();
        assertThrows(JmxUnreachableException.class, () -> JmxClient.connect(s.url(), "ops", "s3cret", false).close());
    }

    @Test
    void tls_wrongPasswordUnknownUserOrNoCredentials_refused() throws Exception {
        Started s = tls();
        SecurityException wrong = assertThrows(SecurityException.class, () -> JmxClient.connect(s.url(), "ops", "guess", true).close());
        SecurityException unknown = assertThrows(SecurityException.class, () -> JmxClient.connect(s.url(), "root", "s3cret", true).close());
        assertEquals(wrong.getMessage(), unknown.getMessage(), "does not tell which users exist");
        SecurityException none = assertThrows(SecurityException.class, () -> JmxClient.connect(s.url(), null, null, true).close());
        assertEquals("Authentication failed! Credentials required", none.getMessage());
        assertThrows(SecurityException.class, () -> JmxClient.connect(s.url(), "viewer", "s3cret", true).close(),
                "another user's password");
    }

    @Test
    void tls_readOnlyUser_readsEverythingButCannotSetOrInvoke() throws Exception {
        Started s = tls();
        GovernorSettings before = s.settings().get();
        ObjectName vm = io.migov.jmx.MBeanNames.of(ManagementPlane.VM_TYPE, "tls-a");
        try (JMXConnector c = JmxClient.connect(s.url(), "viewer", "look", true)) {
            MBeanServerConnection jmx = c.getMBeanServerConnection();
            assertEquals(5, jmx.getAttribute(ManagementPlane.TUNABLES, "LookAhead"));
            assertEquals("enforce", jmx.getAttribute(ManagementPlane.TUNABLES, "Mode"));
            assertEquals("fake:///system", jmx.getAttribute(ManagementPlane.STATE, "LibvirtUri"));
            assertTrue(jmx.isRegistered(vm), "the VM's MBean");
            jmx.getAttribute(vm, "State");

            assertThrows(SecurityException.class, () -> jmx.setAttribute(ManagementPlane.TUNABLES, new Attribute("LookAhead", 7)));
            assertThrows(SecurityException.class, () -> jmx.setAttribute(ManagementPlane.TUNABLES, new Attribute("Mode", "off")));
            assertThrows(SecurityException.class, () -> jmx.invoke(ManagementPlane.TUNABLES, "reloadConfig", new Object[0], new String[0]));
            assertThrows(SecurityException.class, () -> jmx.invoke(ManagementPlane.STATE, "pauseSteering", new Object[0], new String[0]));
            assertThrows(SecurityException.class, () -> jmx.invoke(vm, "exportModel", new Object[0], new String[0]));
            assertThrows(SecurityException.class, () -> jmx.invoke(vm, "resetModel", new Object[0], new String[0]));
            assertThrows(SecurityException.class, () -> jmx.unregisterMBean(ManagementPlane.TUNABLES));
        }
        assertSame(before, s.settings().get(), "nothing changed");
        assertEquals(false, s.plane().server().getAttribute(ManagementPlane.STATE, "SteeringPaused"));
    }

    // =============================================================================== client certificates

    @Test
    void clientAuth_clientWithATrustedCertificate_readsAndSets() throws Exception {
        Started s = clientAuth();
        try (JMXConnector c = JmxClient.connect(s.url(), "ops", "s3cret", true)) {
            MBeanServerConnection jmx = c.getMBeanServerConnection();
            assertEquals("fake:///system", jmx.getAttribute(ManagementPlane.STATE, "LibvirtUri"));
            assertTrue((Boolean) jmx.getAttribute(ManagementPlane.TUNABLES, "JmxTlsClientAuth"));
            jmx.setAttribute(ManagementPlane.TUNABLES, new Attribute("LookAhead", 6));
            assertEquals(6, s.settings().get().lookAhead());
        }
    }

    @Test
    void clientAuth_clientWithoutACertificateOrWithAnUntrustedOne_refused() throws Exception {
        Started s = clientAuth();
        Path trustsServer = TestTls.trustStore(dir.resolve("trusts-server.p12"), serverKeys);
        for (SSLContext client : List.of(TestTls.context(null, trustsServer), TestTls.context(strangerKeys, trustsServer))) {
            IOException e = assertThrows(IOException.class, () -> connectWith(client, s.url(), "ops", "s3cret").close());
            assertTrue(findSsl(e) != null || root(e) instanceof java.net.SocketException, "refused by TLS: " + e + " / " + root(e));
        }
        // the certificate is not enough: the password is still checked
        assertThrows(SecurityException.class, () -> JmxClient.connect(s.url(), "ops", "guess", true).close());
        // and TLS without client certificates lets the client without one in (the certificate made the difference)
        try (JMXConnector c = connectWith(TestTls.context(null, trustsServer), tls().url(), "ops", "s3cret")) {
            assertEquals("fake:///system", c.getMBeanServerConnection().getAttribute(ManagementPlane.STATE, "LibvirtUri"));
        }
    }

    @Test
    void clientAuth_trustStoreWithoutCertificates_refusedAtStartNamingTheKey() throws Exception {
        TestTls.trustStore(dir.resolve("empty.p12"));
        secret("empty.p12.password", TestTls.PASSWORD + "\n");
        ConfigException e = assertThrows(ConfigException.class, () -> start(TLS + ", \"jmxTlsClientAuth\": true, "
                + "\"jmxTrustStore\": \"empty.p12\", \"jmxTrustStorePasswordFile\": \"empty.p12.password\""));
        assertEquals("config: jmxTrustStore: holds no certificate, so no client could connect, got " + dir.resolve("empty.p12"),
                e.getMessage());
    }

    @Test
    void clientAuth_withoutTlsOrTrustStore_refusedNamingTheKey() {
        assertEquals("config: jmxTlsClientAuth: needs jmxTls (client certificates are part of TLS), got true",
                assertThrows(ConfigException.class, () -> start(", \"jmxTlsClientAuth\": true")).getMessage());
        assertEquals("config: jmxTrustStore: required when jmxTlsClientAuth is true, got null",
                assertThrows(ConfigException.class, () -> start(TLS + ", \"jmxTlsClientAuth\": true")).getMessage());
    }
}
