// SPDX-License-Identifier: Apache-2.0
package io.migov.jmx;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.MBeanServer;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;
import javax.management.remote.rmi.RMIJRMPServerImpl;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.rmi.ssl.SslRMIClientSocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.rmi.NoSuchObjectException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIClientSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The remote JMX connector server: an RMI registry on {@code registryPort} and the RMI server on
 * {@code serverPort}, both bound to {@code bindAddress} (never all interfaces unless asked), with
 * the JDK's own password file authentication, an optional access file and optional TLS. It
 * refuses to start without authentication unless the settings say so explicitly, and then logs a
 * warning. Clients connect to {@link #url()}:
 * {@code service:jmx:rmi:///jndi/rmi://<bindAddress>:<registryPort>/jmxrmi}.
 */
public final class RemoteJmxServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteJmxServer.class);
    /** The name the server is bound under in the registry, as the JDK's agent does. */
    public static final String BINDING = "jmxrmi";
    /** Environment keys of the JDK's RMI connector server for its built-in password file authentication. */
    static final String PASSWORD_FILE = "jmx.remote.x.password.file";
    static final String PASSWORD_TO_HASHES = "jmx.remote.x.password.toHashes";

    private final Registry registry;
    private final JMXConnectorServer server;
    private final JMXServiceURL url;

    private RemoteJmxServer(Registry registry, JMXConnectorServer server, JMXServiceURL url) {
        this.registry = registry;
        this.server = server;
        this.url = url;
    }

    /**
     * Starts the connector server for {@code mbeans}.
     *
     * @throws IllegalArgumentException a setting or one of its files is unusable (the message names the config key)
     * @throws IOException a port cannot be bound, or the server cannot start
     */
    public static RemoteJmxServer start(MBeanServer mbeans, RemoteJmxSettings s) throws IOException {
        if (!s.remote()) {
            throw new IllegalArgumentException("jmxRemote: the connector server is disabled, got false");
        }
        s.checkFiles();
        InetAddress address = InetAddress.getByName(s.bindAddress().replace("[", "").replace("]", ""));
        String configured = System.getProperty("java.rmi.server.hostname");
        String host;
        if (address.isAnyLocalAddress()) {
            // every interface: the stubs carry java.rmi.server.hostname, or this host's name (set the property to what clients use)
            host = configured != null ? configured : InetAddress.getLocalHost().getHostName();
        } else {
            host = address.getHostAddress();
            if (configured == null) {
                // the stubs the registry hands out carry this address; the default (this host's name) may resolve elsewhere
                System.setProperty("java.rmi.server.hostname", host);
            }
        }
        SSLContext tls = s.tls() ? sslContext(s) : null;
        BoundSocketFactory ssf = new BoundSocketFactory(address, tls, tls != null && s.tlsClientAuth());
        RMIClientSocketFactory csf = tls != null ? new SslRMIClientSocketFactory() : null;

        Map<String, Object> env = new HashMap<>();
        if (s.authenticate()) {
            // the JDK's file authenticator (JMXPluggableAuthenticator) reads the file at every connection attempt;
            // it must not rewrite clear passwords as hashes: the file is the operator's (and read-only under the unit)
            env.put(PASSWORD_FILE, s.passwordFile().toAbsolutePath().toString());
            env.put(PASSWORD_TO_HASHES, "false");
        }
        if (s.accessFile() != null) {
            env.put("jmx.remote.x.access.file", s.accessFile().toString());
        }
        if (csf != null) {
            env.put(RMIConnectorServer.RMI_CLIENT_SOCKET_FACTORY_ATTRIBUTE, csf);
        }
        env.put(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, ssf);
        // credentials are a String[] {user, password}; nothing else is deserialised before authentication
        env.put("jmx.remote.rmi.server.credential.types", new String[] {String[].class.getName(), String.class.getName()});

        Registry registry = LocateRegistry.createRegistry(s.registryPort(), csf, ssf);
        JMXConnectorServer server = null;
        try {
            RMIJRMPServerImpl impl = new RMIJRMPServerImpl(s.serverPort(), csf, ssf, env);
            server = new RMIConnectorServer(new JMXServiceURL("rmi", host, s.serverPort()), env, impl, mbeans);
            server.start();
            registry.rebind(BINDING, impl.toStub());
        } catch (IOException | RuntimeException e) {
            stopQuietly(server);
            unexport(registry);
            throw e;
        }
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://" + hostForUrl(host) + ":" + s.registryPort() + "/" + BINDING);
        if (!s.authenticate()) {
            LOG.warn("remote JMX WITHOUT authentication on {}:{} (jmxAuthenticate is false): anyone who can reach this port "
                    + "can read and change migov's settings and models", s.bindAddress(), s.registryPort());
        }
        if (s.bindsEverywhere()) {
            LOG.warn("remote JMX listens on every interface ({}); prefer one management address", s.bindAddress());
        }
        LOG.info("remote JMX: {} ({}{}{})", url, s.authenticate() ? "password file " + s.passwordFile() : "no authentication",
                s.accessFile() != null ? ", access file " + s.accessFile() : "",
                tls != null ? (s.tlsClientAuth() ? ", TLS with client certificates" : ", TLS") : "");
        return new RemoteJmxServer(registry, server, url);
    }

    private static String hostForUrl(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private static SSLContext sslContext(RemoteJmxSettings s) throws IOException {
        char[] password = firstLine("jmxKeyStorePasswordFile", s.keyStorePasswordFile()).toCharArray();
        KeyManagerFactory kmf;
        try {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(pkcs12("jmxKeyStore", "key store", s.keyStore(), password), password);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("jmxKeyStore: cannot use the key store (" + e.getMessage() + "), got " + s.keyStore(), e);
        }
        TrustManager[] trust = null; // the JDK's default: only used with client certificates
        if (s.tlsClientAuth()) {
            char[] trustPassword = firstLine("jmxTrustStorePasswordFile", s.trustStorePasswordFile()).toCharArray();
            KeyStore ts = pkcs12("jmxTrustStore", "trust store", s.trustStore(), trustPassword);
            try {
                if (!Collections.list(ts.aliases()).stream().anyMatch(a -> isCertificate(ts, a))) {
                    throw new IllegalArgumentException("jmxTrustStore: holds no certificate, so no client could connect, got "
                            + s.trustStore());
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ts);
                trust = tmf.getTrustManagers();
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("jmxTrustStore: cannot use the trust store (" + e.getMessage() + "), got "
                        + s.trustStore(), e);
            }
        }
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), trust, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS: " + e.getMessage(), e);
        }
    }

    private static boolean isCertificate(KeyStore ks, String alias) {
        try {
            return ks.isCertificateEntry(alias);
        } catch (java.security.KeyStoreException e) {
            return false;
        }
    }

    private static KeyStore pkcs12(String key, String what, java.nio.file.Path file, char[] password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(key + ": cannot load the PKCS12 " + what + " (" + e.getMessage() + "), got " + file, e);
        }
    }

    private static String firstLine(String key, java.nio.file.Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(key + ": empty file, got " + file);
        }
        return lines.get(0).strip();
    }

    /** The URL clients connect to (the CLI's {@code --jmx-url}). */
    public JMXServiceURL url() {
        return url;
    }

    /** Stops the connector server (closing client connections) and the registry. Idempotent. */
    @Override
    public void close() {
        stopQuietly(server);
        unexport(registry);
    }

    private static void stopQuietly(JMXConnectorServer server) {
        if (server != null && server.isActive()) {
            try {
                server.stop();
            } catch (IOException e) {
                LOG.debug("stopping the JMX connector server: {}", e.toString());
            }
        }
    }

    private static void unexport(Registry registry) {
        try {
            UnicastRemoteObject.unexportObject(registry, true);
        } catch (NoSuchObjectException e) {
            // already gone
        }
    }
}
