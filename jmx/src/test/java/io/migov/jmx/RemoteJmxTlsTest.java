// SPDX-License-Identifier: Apache-2.0
package io.migov.jmx;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Remote JMX over TLS with a self-signed key store made by keytool. */
class RemoteJmxTlsTest {

    @TempDir
    Path dir;

    @Test
    void start_withTls_tlsClientReadsPlainClientCannot() throws Exception {
        Path keyStore = dir.resolve("jmx.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "migov", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, new String(keytool.getInputStream().readAllBytes()));
        Path storePassword = Files.writeString(dir.resolve("jmx.p12.password"), "changeit\n");
        Path passwords = Files.writeString(dir.resolve("jmx.password"), "ops s3cret\n");
        for (Path p : new Path[] {storePassword, passwords}) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        }

        // the client trusts the server's certificate through the default SSL context (as -Djavax.net.ssl.trustStore would)
        SSLContext previous = SSLContext.getDefault();
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            trust.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        SSLContext.setDefault(client);

        MBeanServer mbeans = MBeanServerFactory.newMBeanServer();
        ObjectName sample = MBeanNames.of("Sample");
        new ManagedExports(mbeans).export(sample, new SampleBean());
        RemoteJmxSettings s = new RemoteJmxSettings(true, "127.0.0.1", FreePorts.next(), FreePorts.next(), passwords, null, true,
                true, keyStore, storePassword);
        try (RemoteJmxServer server = RemoteJmxServer.start(mbeans, s)) {
            try (JMXConnector c = JmxClient.connect(server.url(), "ops", "s3cret", true)) {
                assertEquals(42L, c.getMBeanServerConnection().getAttribute(sample, "Ticks"));
            }
            assertThrows(JmxUnreachableException.class, () -> JmxClient.connect(server.url(), "ops", "s3cret", false).close(),
                    "a plain client cannot talk to a TLS registry");
        } finally {
            SSLContext.setDefault(previous);
        }
    }
}
