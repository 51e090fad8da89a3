// SPDX-License-Identifier: Apache-2.0
package io.migov.jmx;

import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import javax.rmi.ssl.SslRMIClientSocketFactory;
import java.io.IOException;
import java.net.MalformedURLException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * How a client (the CLI) reaches a JVM's MBeans: a JMX URL with credentials, or the attach API for
 * a local JVM (same user, or root) — which starts the target's local management agent on demand,
 * so no port needs to be open. Every failure to reach the target is a {@link JmxUnreachableException}.
 */
public final class JmxClient {

    private JmxClient() {
    }

    /**
     * {@code service:jmx:…} as it is, or the shorthand {@code host:port} for
     * {@code service:jmx:rmi:///jndi/rmi://host:port/jmxrmi}.
     *
     * @throws IllegalArgumentException not a JMX URL
     */
    public static JMXServiceURL parseUrl(String text) {
        String s = text == null ? "" : text.strip();
        try {
            if (s.startsWith("service:jmx:")) {
                return new JMXServiceURL(s);
            }
            if (s.matches("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9_.-]+):\\d{1,5}")) {
                return new JMXServiceURL("service:jmx:rmi:///jndi/rmi://" + s + "/" + RemoteJmxServer.BINDING);
            }
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("--jmx-url: " + e.getMessage() + ", got '" + text + "'", e);
        }
        throw new IllegalArgumentException("--jmx-url: expected service:jmx:rmi:///jndi/rmi://HOST:PORT/jmxrmi or HOST:PORT, got '"
                + text + "'");
    }

    /**
     * Connects to a JMX URL; {@code user} null = no credentials. With {@code tls} the registry is
     * reached over TLS too (the server's certificate must be trusted: {@code -Djavax.net.ssl.trustStore}).
     */
    public static JMXConnector connect(JMXServiceURL url, String user, String password, boolean tls) throws IOException {
        Map<String, Object> env = new HashMap<>();
        if (user != null) {
            env.put(JMXConnector.CREDENTIALS, new String[] {user, password == null ? "" : password});
        }
        if (tls) {
            env.put("com.sun.jndi.rmi.factory.socket", new SslRMIClientSocketFactory());
        }
        try {
            return JMXConnectorFactory.connect(url, env);
        } catch (SecurityException e) {
            throw e; // reached, but refused: not "unreachable"
        } catch (IOException e) {
            throw new JmxUnreachableException("cannot reach " + url + ": " + rootMessage(e), e);
        }
    }

    /** Attaches to a local JVM by PID and connects to its local management agent. */
    public static JMXConnector attach(long pid) throws IOException {
        if (pid == ProcessHandle.current().pid()) {
            throw new JmxUnreachableException("pid " + pid + " is this process");
        }
        if (ProcessHandle.of(pid).isEmpty()) {
            throw new JmxUnreachableException("no process with pid " + pid);
        }
        if (!isJvm(pid)) {
            // the attach handshake sends SIGQUIT, which would kill (and core-dump) any other program
            throw new JmxUnreachableException("pid " + pid + " is not a Java VM (or not one this user may attach to)");
        }
        String address;
        try {
            address = Attach.localManagementAgent(pid);
        } catch (NoClassDefFoundError e) {
            throw new JmxUnreachableException("local attach needs a JDK with the jdk.attach module; use --jmx-url instead", e);
        } catch (Exception e) {
            throw new JmxUnreachableException("cannot attach to pid " + pid + " (is it a JVM of this user?): " + rootMessage(e), e);
        }
        try {
            return JMXConnectorFactory.connect(new JMXServiceURL(address));
        } catch (IOException e) {
            throw new JmxUnreachableException("attached to pid " + pid + " but cannot connect to its agent: " + rootMessage(e), e);
        }
    }

    /** A local JVM: its PID and its command line (main class or jar, and arguments). */
    public record LocalJvm(long pid, String commandLine) {
    }

    /**
     * The local JVMs (other than this one) whose command line matches: those the attach API lists
     * (display names such as {@code io.migov.cli.MigovCommand daemon …} or {@code /…/migov.jar daemon …}),
     * and, on Linux, the processes in {@code /proc} whose command line matches (which also finds a JVM
     * with a private {@code /tmp}, invisible to the attach API's listing). Sorted by PID.
     */
    public static List<LocalJvm> findLocal(Predicate<String> commandLine) {
        Map<Long, LocalJvm> found = new TreeMap<>();
        long self = ProcessHandle.current().pid();
        try {
            for (LocalJvm jvm : Attach.list()) {
                if (jvm.pid() != self && commandLine.test(jvm.commandLine())) {
                    found.put(jvm.pid(), jvm);
                }
            }
        } catch (NoClassDefFoundError | RuntimeException e) {
            // no attach API here: /proc alone
        }
        Path proc = Path.of("/proc");
        if (Files.isDirectory(proc)) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("\\d+"))) {
                for (Path dir : dirs) {
                    long pid = Long.parseLong(dir.getFileName().toString());
                    if (pid == self || found.containsKey(pid)) {
                        continue;
                    }
                    String cmd = procCommandLine(dir);
                    if (cmd != null && cmd.contains("java") && commandLine.test(cmd)) {
                        found.put(pid, new LocalJvm(pid, cmd));
                    }
                }
            } catch (IOException e) {
                // unreadable /proc: what the attach API found is all there is
            }
        }
        return new ArrayList<>(found.values());
    }

    /** Whether the process has a JVM loaded ({@code libjvm.so} in its memory map); true where /proc does not exist. */
    static boolean isJvm(long pid) {
        Path maps = Path.of("/proc", Long.toString(pid), "maps");
        if (!Files.isDirectory(Path.of("/proc", "self"))) {
            return true; // not Linux: let the attach API decide
        }
        try (java.util.stream.Stream<String> lines = Files.lines(maps, StandardCharsets.ISO_8859_1)) {
            return lines.anyMatch(l -> l.endsWith("/libjvm.so"));
        } catch (IOException | java.io.UncheckedIOException e) {
            return false; // gone, or another user's process
        }
    }

    private static String procCommandLine(Path dir) {
        try {
            byte[] raw = Files.readAllBytes(dir.resolve("cmdline"));
            if (raw.length == 0) {
                return null;
            }
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
        } catch (IOException e) {
            return null; // gone, or not ours to read
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /** The attach API, kept in one place so that a JRE without jdk.attach fails only when it is used. */
    private static final class Attach {
        static String localManagementAgent(long pid) throws Exception {
            com.sun.tools.attach.VirtualMachine vm = com.sun.tools.attach.VirtualMachine.attach(Long.toString(pid));
            try {
                return vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
        }

        static List<LocalJvm> list() {
            List<LocalJvm> out = new ArrayList<>();
            for (com.sun.tools.attach.VirtualMachineDescriptor d : com.sun.tools.attach.VirtualMachine.list()) {
                try {
                    out.add(new LocalJvm(Long.parseLong(d.id()), d.displayName()));
                } catch (NumberFormatException e) {
                    // not a PID
                }
            }
            return out;
        }
    }
}
