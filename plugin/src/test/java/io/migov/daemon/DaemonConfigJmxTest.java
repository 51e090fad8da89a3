// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon;

import io.migov.jmx.RemoteJmxSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The remote JMX keys of the daemon's configuration (docs/configuration.md, docs/management.md). */
class DaemonConfigJmxTest {

    @TempDir
    Path dir;

    private DaemonConfig parse(String json) throws ConfigException {
        return DaemonConfig.parse(json, "test.json", dir, DaemonConfig.Overrides.NONE);
    }

    private String failure(String json) {
        return assertThrows(ConfigException.class, () -> parse(json)).getMessage();
    }

    private Path secret(String name) throws Exception {
        Path f = Files.writeString(dir.resolve(name), "ops s3cret\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    @Test
    void defaults_remoteJmxOffOnLoopbackWithAuthentication() throws Exception {
        RemoteJmxSettings jmx = DaemonConfig.defaults(DaemonConfig.Overrides.NONE).jmx();
        assertEquals(RemoteJmxSettings.DISABLED, jmx);
        assertFalse(jmx.remote());
        assertEquals("127.0.0.1", jmx.bindAddress());
        assertEquals(9010, jmx.registryPort());
        assertEquals(9011, jmx.serverPort());
        assertTrue(jmx.authenticate());
        assertFalse(jmx.tls());
    }

    @Test
    void parse_remoteWithRelativePasswordFile_resolvedAgainstTheConfigDir() throws Exception {
        Path passwords = secret("jmx.password");
        Files.writeString(dir.resolve("jmx.access"), "ops readwrite\n");
        RemoteJmxSettings jmx = parse("{\"jmxRemote\": true, \"jmxBindAddress\": \"10.77.0.254\", \"jmxRegistryPort\": 7091, "
                + "\"jmxServerPort\": 7092, \"jmxPasswordFile\": \"jmx.password\", \"jmxAccessFile\": \"jmx.access\"}").jmx();
        assertTrue(jmx.remote());
        assertEquals("10.77.0.254", jmx.bindAddress());
        assertEquals(7091, jmx.registryPort());
        assertEquals(7092, jmx.serverPort());
        assertEquals(passwords, jmx.passwordFile());
        assertEquals(dir.resolve("jmx.access"), jmx.accessFile());
    }

    @Test
    void parse_remoteWithoutPasswordFile_refusedUnlessAuthenticationIsExplicitlyOff() throws Exception {
        assertEquals("config: jmxPasswordFile: required when jmxRemote is true (or set jmxAuthenticate to false to run without "
                + "authentication), got null", failure("{\"jmxRemote\": true}"));
        RemoteJmxSettings open = parse("{\"jmxRemote\": true, \"jmxAuthenticate\": false}").jmx();
        assertFalse(open.authenticate());
    }

    @Test
    void parse_badValues_failNamingTheKey() throws Exception {
        assertEquals("config: jmxRegistryPort: expected 1..65535, got 70000", failure("{\"jmxRegistryPort\": 70000}"));
        assertEquals("config: jmxRemote: expected true or false, got 'yes'", failure("{\"jmxRemote\": \"yes\"}"));
        assertEquals("config: jmxBindAddress: expected an IP address or host name, got ' '", failure("{\"jmxBindAddress\": \" \"}"));
        assertEquals("config: jmxServerPort: expected a port other than jmxRegistryPort (9010), got 9010",
                failure("{\"jmxRemote\": true, \"jmxAuthenticate\": false, \"jmxServerPort\": 9010}"));
        assertEquals("config: jmxPasswordFile: no such file, got " + dir.resolve("nope"),
                failure("{\"jmxRemote\": true, \"jmxPasswordFile\": \"nope\"}"));
        assertEquals("config: jmxKeyStore: required when jmxTls is true, got null",
                failure("{\"jmxRemote\": true, \"jmxAuthenticate\": false, \"jmxTls\": true}"));
    }

    @Test
    void parse_passwordFileReadableByOthers_refused() throws Exception {
        Path f = Files.writeString(dir.resolve("jmx.password"), "ops s3cret\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals("config: jmxPasswordFile: must be readable by its owner only (chmod 600), is rw-r--r--, got " + f,
                failure("{\"jmxRemote\": true, \"jmxPasswordFile\": \"jmx.password\"}"));
    }

    @Test
    void parse_remoteOff_filesNotChecked() throws Exception {
        assertFalse(parse("{\"jmxPasswordFile\": \"/nonexistent\"}").jmx().remote());
    }

    @Test
    void parse_nullPasswordFile_isTheDefault() throws Exception {
        assertEquals(RemoteJmxSettings.DISABLED, parse("{\"jmxPasswordFile\": null, \"jmxAccessFile\": null}").jmx());
    }
}
