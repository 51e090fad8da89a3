// SPDX-License-Identifier: Apache-2.0
package io.migov.jmx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Remote JMX (an RMI connector server), off by default: local tools reach the daemon through the
 * attach API without any of this. Component names are the daemon's config keys
 * ({@code jmxRemote}, {@code jmxBindAddress}, …); the bounds are checked here, so a message names
 * the key: {@code jmxRegistryPort: expected 1..65535, got 0}.
 *
 * @param remote               start the connector server (config {@code jmxRemote}, default false)
 * @param bindAddress          the address both ports listen on (default 127.0.0.1; 0.0.0.0 = all)
 * @param registryPort         the RMI registry's port, the one in the JMX URL (default 9010)
 * @param serverPort           the RMI server's port (default 9011); fixed, so a firewall can allow it
 * @param passwordFile         the JDK's password file: {@code user password} or {@code user salt hash [algorithm]}
 *                             per line; required when authenticating
 * @param accessFile           {@code user readonly|readwrite} per line; null = every user readwrite
 * @param authenticate         false only on purpose: remote JMX without authentication (a warning is logged)
 * @param tls                  TLS on both ports (then clients need {@code --tls} and a trust store)
 * @param keyStore             PKCS12 key store with the server's key and certificate (required with tls)
 * @param keyStorePasswordFile file whose first line is the key store's password (required with tls)
 * @param tlsClientAuth        TLS clients must present a certificate that {@code trustStore} trusts (on top of the password)
 * @param trustStore           PKCS12 store of the client certificates (or their CA) to trust (required with tlsClientAuth)
 * @param trustStorePasswordFile file whose first line is the trust store's password (required with tlsClientAuth)
 */
public record RemoteJmxSettings(boolean remote, String bindAddress, int registryPort, int serverPort, Path passwordFile,
                                Path accessFile, boolean authenticate, boolean tls, Path keyStore, Path keyStorePasswordFile,
                                boolean tlsClientAuth, Path trustStore, Path trustStorePasswordFile) {

    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_REGISTRY_PORT = 9010;
    public static final int DEFAULT_SERVER_PORT = 9011;
    public static final RemoteJmxSettings DISABLED = new RemoteJmxSettings(false, DEFAULT_BIND_ADDRESS, DEFAULT_REGISTRY_PORT,
            DEFAULT_SERVER_PORT, null, null, true, false, null, null);

    public RemoteJmxSettings {
        if (bindAddress == null || bindAddress.isBlank() || bindAddress.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("jmxBindAddress: expected an IP address or host name, got '" + bindAddress + "'");
        }
        requirePort("jmxRegistryPort", registryPort);
        requirePort("jmxServerPort", serverPort);
        if (remote) {
            if (registryPort == serverPort) {
                throw new IllegalArgumentException("jmxServerPort: expected a port other than jmxRegistryPort (" + registryPort
                        + "), got " + serverPort);
            }
            if (authenticate && passwordFile == null) {
                throw new IllegalArgumentException("jmxPasswordFile: required when jmxRemote is true (or set jmxAuthenticate "
                        + "to false to run without authentication), got null");
            }
            if (tls && keyStore == null) {
                throw new IllegalArgumentException("jmxKeyStore: required when jmxTls is true, got null");
            }
            if (tls && keyStorePasswordFile == null) {
                throw new IllegalArgumentException("jmxKeyStorePasswordFile: required when jmxTls is true, got null");
            }
            if (tlsClientAuth && !tls) {
                throw new IllegalArgumentException("jmxTlsClientAuth: needs jmxTls (client certificates are part of TLS), got true");
            }
            if (tlsClientAuth && trustStore == null) {
                throw new IllegalArgumentException("jmxTrustStore: required when jmxTlsClientAuth is true, got null");
            }
            if (tlsClientAuth && trustStorePasswordFile == null) {
                throw new IllegalArgumentException("jmxTrustStorePasswordFile: required when jmxTlsClientAuth is true, got null");
            }
        }
    }

    /** Without client certificates (the settings before {@code jmxTlsClientAuth}). */
    public RemoteJmxSettings(boolean remote, String bindAddress, int registryPort, int serverPort, Path passwordFile, Path accessFile,
                             boolean authenticate, boolean tls, Path keyStore, Path keyStorePasswordFile) {
        this(remote, bindAddress, registryPort, serverPort, passwordFile, accessFile, authenticate, tls, keyStore, keyStorePasswordFile,
                false, null, null);
    }

    private static void requirePort(String key, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(key + ": expected 1..65535, got " + port);
        }
    }

    /**
     * Checks the files the connector server will read (only when {@link #remote}): readable regular
     * files, the password files readable by their owner only (as the JDK's own agent insists), and
     * every line of {@code passwordFile} one the JDK reads as a user (it skips any other silently).
     *
     * @throws IllegalArgumentException naming the config key
     */
    public void checkFiles() {
        if (!remote) {
            return;
        }
        if (authenticate) {
            requireFile("jmxPasswordFile", passwordFile, true);
            requireUsers(passwordFile);
        }
        if (accessFile != null) {
            requireFile("jmxAccessFile", accessFile, false);
        }
        if (tls) {
            requireFile("jmxKeyStore", keyStore, false);
            requireFile("jmxKeyStorePasswordFile", keyStorePasswordFile, true);
        }
        if (tls && tlsClientAuth) {
            requireFile("jmxTrustStore", trustStore, false);
            requireFile("jmxTrustStorePasswordFile", trustStorePasswordFile, true);
        }
    }

    private static void requireFile(String key, Path file, boolean secret) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(key + ": no such file, got " + file);
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(key + ": cannot read the file (permission denied), got " + file);
        }
        if (secret) {
            try {
                Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
                if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)
                        || p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
                    throw new IllegalArgumentException(key + ": must be readable by its owner only (chmod 600), is "
                            + PosixFilePermissions.toString(p) + ", got " + file);
                }
            } catch (UnsupportedOperationException | IOException e) {
                // not a POSIX file system: nothing to check
            }
        }
    }

    /** The JDK's hash algorithm for a hashed line without one (com.sun.jmx.remote.security.HashedPasswordManager). */
    static final String DEFAULT_HASH_ALGORITHM = "SHA3-512";

    /**
     * The password file in the format of the JDK's file authenticator: per line {@code user password}
     * (clear) or {@code user salt hash [algorithm]} (base64 salt and hash of salt + password,
     * algorithm {@value #DEFAULT_HASH_ALGORITHM} when left out); {@code #} comments and blank lines.
     */
    private static void requireUsers(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("jmxPasswordFile: cannot read " + file + ": " + e.getMessage(), e);
        }
        int users = 0;
        for (int n = 1; n <= lines.size(); n++) {
            String line = lines.get(n - 1);
            if (line.isBlank() || line.strip().startsWith("#")) {
                continue;
            }
            String at = "jmxPasswordFile: line " + n + ": ";
            if (Character.isWhitespace(line.charAt(0))) {
                throw new IllegalArgumentException(at + "starts with a blank (the JDK would read an empty user name), in " + file);
            }
            String[] f = line.strip().split("\\s+");
            if (f.length < 2 || f.length > 4) {
                throw new IllegalArgumentException(at + "expected 'user password' or 'user salt hash [algorithm]', got " + f.length
                        + " fields, in " + file);
            }
            if (f.length >= 3) {
                requireHash(at, f, file);
            }
            users++;
        }
        if (users == 0) {
            throw new IllegalArgumentException("jmxPasswordFile: expected at least one 'user password' line, got none, in " + file);
        }
    }

    private static void requireHash(String at, String[] f, Path file) {
        String algorithm = f.length == 4 ? f[3] : DEFAULT_HASH_ALGORITHM;
        int digestBytes;
        try {
            digestBytes = MessageDigest.getInstance(algorithm).getDigestLength();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException(at + "unknown hash algorithm, got '" + algorithm + "', in " + file, e);
        }
        byte[] hash;
        try {
            Base64.getDecoder().decode(f[1]);
            hash = Base64.getDecoder().decode(f[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + "salt and hash must be base64 (" + e.getMessage() + "), in " + file, e);
        }
        if (digestBytes > 0 && hash.length != digestBytes) {
            throw new IllegalArgumentException(at + "a " + algorithm + " hash is " + digestBytes + " bytes, got " + hash.length
                    + ", in " + file);
        }
    }

    /** Whether this binds every interface (worth a warning). */
    public boolean bindsEverywhere() {
        return bindAddress.equals("0.0.0.0") || bindAddress.equals("::") || bindAddress.equals("[::]");
    }
}
