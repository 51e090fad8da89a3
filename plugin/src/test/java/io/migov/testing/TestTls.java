// SPDX-License-Identifier: Apache-2.0
package io.migov.testing;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.server.RMIClientSocketFactory;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.concurrent.TimeUnit;

/**
 * Key stores made at test time by the JDK's keytool (a self-signed EC key and certificate for
 * 127.0.0.1 in a PKCS12 store), trust stores made of their certificates, and TLS contexts from
 * them, for the remote JMX security tests.
 */
public final class TestTls {

    public static final String PASSWORD = "changeit";

    private TestTls() {
    }

    /** A new PKCS12 key store {@code file} with one key pair and its self-signed certificate (CN and SAN 127.0.0.1). */
    public static Path keyStore(Path file, String alias) throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1, O=migov test " + alias, "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", file.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + out);
        }
        return file;
    }

    /** A PKCS12 trust store {@code file} holding the certificates of the given key stores. */
    public static Path trustStore(Path file, Path... keyStores) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (Path ks : keyStores) {
            KeyStore k = load(ks);
            String alias = k.aliases().nextElement();
            Certificate cert = k.getCertificate(alias);
            trust.setCertificateEntry(ks.getFileName() + "-" + alias, cert);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            trust.store(out, PASSWORD.toCharArray());
        }
        return file;
    }

    public static KeyStore load(Path store) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    /** A TLS context presenting {@code keyStore}'s key (null: none) and trusting {@code trustStore}'s certificates (null: none). */
    public static SSLContext context(Path keyStore, Path trustStore) throws IOException, GeneralSecurityException {
        KeyManagerFactory kmf = null;
        if (keyStore != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(keyStore), PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (trustStore != null) {
            tmf.init(load(trustStore));
        } else {
            KeyStore empty = KeyStore.getInstance("PKCS12");
            empty.load(null, null);
            tmf.init(empty);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    /**
     * RMI client sockets from one TLS context: what a client with that trust (and that certificate)
     * uses to reach the registry ({@code com.sun.jndi.rmi.factory.socket}).
     */
    public static RMIClientSocketFactory clientSockets(SSLContext ctx) {
        return new ClientSockets(ctx.getSocketFactory());
    }

    private record ClientSockets(SSLSocketFactory factory) implements RMIClientSocketFactory {
        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return factory.createSocket(host, port);
        }
    }
}
