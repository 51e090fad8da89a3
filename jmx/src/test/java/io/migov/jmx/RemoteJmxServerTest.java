// SPDX-License-Identifier: Apache-2.0
package io.migov.jmx;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.Attribute;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
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
    void connect_wrongPasswordOrUnknownUser_refusedAlike() throws Exception {
        RemoteJmxServer server = start(settings(secret("jmx.password", "ops s3cret\n"), null, true));
        SecurityException e = assertThrows(SecurityException.class, () -> connect(server, "ops", "guess"));
        assertEquals("Authentication failed! Invalid username or password", e.getMessage());
        SecurityException unknown = assertThrows(SecurityException.class, () -> connect(server, "nobody", "s3cret"));
        assertEquals(e.getMessage(), unknown.getMessage(), "does not tell which users exist");
    }

    @Test
    void connect_noCredentials_refused() throws Exception {
        RemoteJmxServer server = start(settings(secret("jmx.password", "ops s3cret\n"), null, true));
        SecurityException e = assertThrows(SecurityException.class, () -> connect(server, null, null));
        assertEquals("Authentication failed! Credentials required", e.getMessage());
    }

    /** A hashed line as the JDK writes one: base64 salt, base64 digest of salt + password, algorithm. */
    private static String hashed(String user, String password, String algorithm) throws Exception {
        byte[] salt = new byte[32];
        new SecureRandom().nextBytes(salt);
        MessageDigest d = MessageDigest.getInstance(algorithm);
        d.update(salt);
        byte[] hash = d.digest(password.getBytes(StandardCharsets.UTF_8));
        return user + " " + Base64.getEncoder().encodeToString(salt) + " " + Base64.getEncoder().encodeToString(hash)
                + ("SHA3-512".equals(algorithm) ? "" : " " + algorithm);
    }

    @Test
    void connect_hashedPasswords_rightOneInWrongOneRefused() throws Exception {
        Path f = secret("jmx.password", "# hashed\n" + hashed("ops", "s3cret", "SHA3-512") + "\n" + hashed("viewer", "look", "SHA-256") + "\n");
        RemoteJmxServer server = start(settings(f, null, true));
        assertEquals(42L, connect(server, "ops", "s3cret").getMBeanServerConnection().getAttribute(sample, "Ticks"));
        assertEquals(42L, connect(server, "viewer", "look").getMBeanServerConnection().getAttribute(sample, "Ticks"));
        assertThrows(SecurityException.class, () -> connect(server, "ops", "look"));
    }

    @Test
    void connect_hashedWithTheDocumentedShellRecipe_accepted() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is installed");
        // docs/management.md: a hashed line made with coreutils and openssl, the password from the environment here
        String recipe = "salt=$(head -c 32 /dev/urandom | base64 -w0)\n"
                + "hash=$( { printf '%s' \"$salt\" | base64 -d; printf '%s' \"$pw\"; } | openssl dgst -sha3-512 -binary | base64 -w0)\n"
                + "echo \"ops $salt $hash SHA3-512\"\n";
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", recipe);
        pb.environment().put("pw", "s3cret");
        Process p = pb.start();
        String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        RemoteJmxServer server = start(settings(secret("jmx.password", line), null, true));
        assertEquals(42L, connect(server, "ops", "s3cret").getMBeanServerConnection().getAttribute(sample, "Ticks"));
        assertThrows(SecurityException.class, () -> connect(server, "ops", "guess"));
    }

    @Test
    void connect_clearPasswords_fileNeverRewritten() throws Exception {
        String clear = "# operators\nops s3cret\n";
        Path f = secret("jmx.password", clear);
        RemoteJmxServer server = start(settings(f, null, true));
        connect(server, "ops", "s3cret");
        assertThrows(SecurityException.class, () -> connect(server, "ops", "guess"));
        assertEquals(clear, Files.readString(f), "the JDK may hash clear passwords in place; migov tells it not to");
    }

    @Test
    void connect_passwordChangedInTheFile_takesEffectAtTheNextConnection() throws Exception {
        Path f = secret("jmx.password", "ops s3cret\n");
        RemoteJmxServer server = start(settings(f, null, true));
        connect(server, "ops", "s3cret");
        Files.writeString(f, "ops n3w\n");
        assertThrows(SecurityException.class, () -> connect(server, "ops", "s3cret"));
        assertEquals(42L, connect(server, "ops", "n3w").getMBeanServerConnection().getAttribute(sample, "Ticks"));
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

    private String malformed(String text) throws Exception {
        Path f = secret("jmx.password", text);
        String m = assertThrows(IllegalArgumentException.class, () -> start(settings(f, null, true))).getMessage();
        assertTrue(m.endsWith(", in " + f), m);
        return m.substring(0, m.length() - (", in " + f).length());
    }

    @Test
    void start_malformedPasswordFile_refusedNamingTheLine() throws Exception {
        assertEquals("jmxPasswordFile: line 2: expected 'user password' or 'user salt hash [algorithm]', got 1 fields",
                malformed("# ops\nops\n"));
        assertEquals("jmxPasswordFile: line 1: expected 'user password' or 'user salt hash [algorithm]', got 5 fields",
                malformed("ops a b c d\n"));
        assertEquals("jmxPasswordFile: line 1: starts with a blank (the JDK would read an empty user name)", malformed("  ops s3cret\n"));
        assertEquals("jmxPasswordFile: expected at least one 'user password' line, got none", malformed("# nobody\n\n"));
    }

    @Test
    void start_badHashedLine_refusedNamingTheLine() throws Exception {
        String good = hashed("ops", "s3cret", "SHA-256");
        String[] f = good.split(" ");
        assertEquals("jmxPasswordFile: line 1: unknown hash algorithm, got 'SHA-999'", malformed(f[0] + " " + f[1] + " " + f[2] + " SHA-999\n"));
        assertTrue(malformed(f[0] + " " + f[1] + " not*base64 SHA-256\n").startsWith("jmxPasswordFile: line 1: salt and hash must be base64 ("));
        assertEquals("jmxPasswordFile: line 1: a SHA3-512 hash is 64 bytes, got 32", malformed(f[0] + " " + f[1] + " " + f[2] + "\n"));
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
