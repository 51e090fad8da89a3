package io.migov.jmx;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.Attribute;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RemoteJmxServerTest {

    @TempDir
    Path dir;

    private final MBeanServer mbeans = MBeanServerFactory.newMBeanServer();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final ObjectName sample = MBeanNames.of("Sample");

    RemoteJmxServerTest() {
        new ManagedExports(mbeans).export(sample, new SampleBean());
    }

    @AfterEach
    void close() throws Exception {
        java.util.Collections.reverse(open); // clients before their server
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private Path secret(String name, String text) throws IOException {
        Path f = Files.writeString(dir.resolve(name), text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    private RemoteJmxSettings settings(Path passwords, Path access, boolean authenticate) {
        return new RemoteJmxSettings(true, "127.0.0.1", FreePorts.next(), FreePorts.next(), passwords, access, authenticate, false, null, null);
    }

    private RemoteJmxServer start(RemoteJmxSettings s) throws IOException {
        RemoteJmxServer server = RemoteJmxServer.start(mbeans, s);
        open.add(server);
        return server;
    }

    private JMXConnector connect(RemoteJmxServer server, String user, String password) throws IOException {
        JMXConnector c = JmxClient.connect(server.url(), user, password, false);
        open.add(c);
        return c;
    }

    @Test
    void start_withPasswordFile_rightPasswordReadsAndSets() throws Exception {
        RemoteJmxSettings s = settings(secret("jmx.password", "# operators\nops s3cret\n"), null, true);
        RemoteJmxServer server = start(s);
        assertEquals("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + s.registryPort() + "/jmxrmi", server.url().toString());
        MBeanServerConnection c = connect(server, "ops", "s3cret").getMBeanServerConnection();
        assertEquals(42L, c.getAttribute(sample, "Ticks"));
        c.setAttribute(sample, new Attribute("LookAhead", 8));
        assertEquals(8, c.getAttribute(sample, "LookAhead"));
    }

    @Test
    void connect_wrongPassword_refused() throws Exception {
        RemoteJmxServer server = start(settings(secret("jmx.password", "ops s3cret\n"), null, true));
        SecurityException e = assertThrows(SecurityException.class, () -> connect(server, "ops", "guess"));
        assertTrue(e.getMessage().contains("authentication failed"), e.getMessage());
        assertThrows(SecurityException.class, () -> connect(server, "nobody", "s3cret"));
    }

    @Test
    void connect_noCredentials_refused() throws Exception {
        RemoteJmxServer server = start(settings(secret("jmx.password", "ops s3cret\n"), null, true));
        SecurityException e = assertThrows(SecurityException.class, () -> connect(server, null, null));
        assertTrue(e.getMessage().contains("authentication required"), e.getMessage());
    }

    @Test
    void accessFile_readonlyUser_readsButCannotSetOrInvoke() throws Exception {
        Path access = Files.writeString(dir.resolve("jmx.access"), "ops readwrite\nviewer readonly\n");
        RemoteJmxServer server = start(settings(secret("jmx.password", "ops s3cret\nviewer look\n"), access, true));
        MBeanServerConnection c = connect(server, "viewer", "look").getMBeanServerConnection();
        assertEquals(5, c.getAttribute(sample, "LookAhead"));
        assertThrows(SecurityException.class, () -> c.setAttribute(sample, new Attribute("LookAhead", 8)));
        assertThrows(SecurityException.class, () -> c.invoke(sample, "reset", new Object[0], new String[0]));
        assertEquals(5, c.getAttribute(sample, "LookAhead"));
        MBeanServerConnection rw = connect(server, "ops", "s3cret").getMBeanServerConnection();
        rw.setAttribute(sample, new Attribute("LookAhead", 8));
        assertEquals(8, c.getAttribute(sample, "LookAhead"));
    }

    @Test
    void start_authenticationExplicitlyOff_acceptsAnyone() throws Exception {
        RemoteJmxServer server = start(settings(null, null, false));
        assertEquals(42L, connect(server, null, null).getMBeanServerConnection().getAttribute(sample, "Ticks"));
    }

    @Test
    void settings_remoteWithoutPasswordFile_refusedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> settings(null, null, true));
        assertTrue(e.getMessage().startsWith("jmxPasswordFile: required when jmxRemote is true"), e.getMessage());
    }

    @Test
    void start_worldReadablePasswordFile_refusedNamingTheKey() throws Exception {
        Path f = Files.writeString(dir.resolve("jmx.password"), "ops s3cret\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> start(settings(f, null, true)));
        assertEquals("jmxPasswordFile: must be readable by its owner only (chmod 600), is rw-r--r--, got " + f, e.getMessage());
    }

    @Test
    void start_malformedPasswordFile_refusedNamingTheLine() throws Exception {
        Path f = secret("jmx.password", "ops\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> start(settings(f, null, true)));
        assertEquals("jmxPasswordFile: line 1: expected 'user password', got 1 fields, in " + f, e.getMessage());
    }

    @Test
    void start_portInUse_failsWithoutLeavingTheRegistry() throws Exception {
        RemoteJmxSettings s = settings(secret("jmx.password", "ops s3cret\n"), null, true);
        start(s);
        RemoteJmxSettings clash = new RemoteJmxSettings(true, "127.0.0.1", s.registryPort(), FreePorts.next(), s.passwordFile(),
                null, true, false, null, null);
        assertThrows(IOException.class, () -> start(clash));
    }

    @Test
    void settings_badPortsAndSamePorts_refusedNamingTheKey() {
        assertEquals("jmxRegistryPort: expected 1..65535, got 0", assertThrows(IllegalArgumentException.class,
                () -> new RemoteJmxSettings(false, "127.0.0.1", 0, 9011, null, null, true, false, null, null)).getMessage());
        assertEquals("jmxServerPort: expected a port other than jmxRegistryPort (9010), got 9010", assertThrows(IllegalArgumentException.class,
                () -> new RemoteJmxSettings(true, "127.0.0.1", 9010, 9010, dir, null, true, false, null, null)).getMessage());
        assertEquals("jmxKeyStore: required when jmxTls is true, got null", assertThrows(IllegalArgumentException.class,
                () -> new RemoteJmxSettings(true, "127.0.0.1", 9010, 9011, dir, null, true, true, null, null)).getMessage());
    }

    @Test
    void settings_clientAuthWithoutTlsOrTrustStore_refusedNamingTheKey() {
        assertEquals("jmxTlsClientAuth: needs jmxTls (client certificates are part of TLS), got true", assertThrows(IllegalArgumentException.class,
                () -> new RemoteJmxSettings(true, "127.0.0.1", 9010, 9011, dir, null, true, false, null, null, true, dir, dir)).getMessage());
        assertEquals("jmxTrustStore: required when jmxTlsClientAuth is true, got null", assertThrows(IllegalArgumentException.class,
                () -> new RemoteJmxSettings(true, "127.0.0.1", 9010, 9011, dir, null, true, true, dir, dir, true, null, dir)).getMessage());
        assertEquals("jmxTrustStorePasswordFile: required when jmxTlsClientAuth is true, got null", assertThrows(IllegalArgumentException.class,
                () -> new RemoteJmxSettings(true, "127.0.0.1", 9010, 9011, dir, null, true, true, dir, dir, true, dir, null)).getMessage());
    }

    @Test
    void checkFiles_clientAuthTrustStoreMissingOrItsPasswordReadableByOthers_refusedNamingTheKey() throws Exception {
        Path password = secret("jmx.password", "ops s3cret\n");
        Path keyStore = Files.writeString(dir.resolve("jmx.p12"), "x");
        Path missing = dir.resolve("clients.p12");
        RemoteJmxSettings s = new RemoteJmxSettings(true, "127.0.0.1", 9010, 9011, password, null, true, true, keyStore, password, true,
                missing, password);
        assertEquals("jmxTrustStore: no such file, got " + missing, assertThrows(IllegalArgumentException.class, s::checkFiles).getMessage());
        Path trust = Files.writeString(missing, "x");
        Path open = Files.writeString(dir.resolve("clients.password"), "changeit\n");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        RemoteJmxSettings readable = new RemoteJmxSettings(true, "127.0.0.1", 9010, 9011, password, null, true, true, keyStore, password,
                true, trust, open);
        assertEquals("jmxTrustStorePasswordFile: must be readable by its owner only (chmod 600), is rw-r--r--, got " + open,
                assertThrows(IllegalArgumentException.class, readable::checkFiles).getMessage());
    }
}
