package io.migov.jmx;

import javax.management.remote.JMXAuthenticator;
import javax.management.remote.JMXPrincipal;
import javax.security.auth.Subject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Checks JMX credentials ({@code String[] {user, password}}, what {@code jmx.remote.credentials}
 * carries) against a password file in the JDK agent's format: one {@code user password} per line,
 * {@code #} comments, blank lines ignored. The file is read once, at start. A failure never says
 * whether the user exists.
 */
public final class PasswordFileAuthenticator implements JMXAuthenticator {

    private final Map<String, byte[]> passwords;

    private PasswordFileAuthenticator(Map<String, byte[]> passwords) {
        this.passwords = passwords;
    }

    /** Reads the file; a line that is not {@code user password} fails naming its line number. */
    public static PasswordFileAuthenticator fromFile(Path file) throws IOException {
        Map<String, byte[]> users = new HashMap<>();
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            String[] parts = s.split("\\s+");
            if (parts.length != 2) {
                throw new IllegalArgumentException("jmxPasswordFile: line " + n + ": expected 'user password', got "
                        + parts.length + " fields, in " + file);
            }
            users.put(parts[0], parts[1].getBytes(StandardCharsets.UTF_8));
        }
        if (users.isEmpty()) {
            throw new IllegalArgumentException("jmxPasswordFile: expected at least one 'user password' line, got none, in " + file);
        }
        return new PasswordFileAuthenticator(users);
    }

    public Set<String> users() {
        return Set.copyOf(passwords.keySet());
    }

    @Override
    public Subject authenticate(Object credentials) {
        if (!(credentials instanceof String[] c) || c.length != 2 || c[0] == null || c[1] == null) {
            throw new SecurityException("authentication required: credentials (user, password) expected");
        }
        byte[] expected = passwords.get(c[0]);
        byte[] given = c[1].getBytes(StandardCharsets.UTF_8);
        // compare even for an unknown user, so that timing does not tell which users exist
        boolean ok = MessageDigest.isEqual(expected != null ? expected : new byte[given.length + 1], given) && expected != null;
        if (!ok) {
            throw new SecurityException("authentication failed: wrong user or password");
        }
        return new Subject(true, Set.of(new JMXPrincipal(c[0])), Set.of(), Set.of());
    }
}
