// SPDX-License-Identifier: Apache-2.0
package io.migov.cli;

import io.migov.jmx.JmxClient;
import io.migov.jmx.JmxUnreachableException;
import picocli.CommandLine.Option;

import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * How a management command reaches the daemon: {@code --jmx-url} (with {@code --user} and
 * {@code --password-file} when the daemon authenticates), {@code --pid} (local attach), or neither
 * (local attach to the one migov daemon running on this host).
 */
final class JmxOptions {

    /** A daemon JVM's command line: the main class or the jar, then "daemon". */
    private static final Pattern DAEMON = Pattern.compile("(^|\\s)(io\\.migov\\.cli\\.MigovCommand|\\S*migov[^/\\s]*\\.jar)\\s+daemon(\\s|$)");

    @Option(names = "--jmx-url", paramLabel = "URL",
            description = "Remote JMX: service:jmx:rmi:///jndi/rmi://HOST:PORT/jmxrmi, or HOST:PORT. Default: local attach.")
    String url;

    @Option(names = "--user", paramLabel = "USER", description = "JMX user (with --jmx-url).")
    String user;

    @Option(names = "--password-file", paramLabel = "FILE", description = "File whose first line is the JMX password.")
    Path passwordFile;

    @Option(names = "--tls", description = "The daemon's remote JMX uses TLS (trust its certificate with -Djavax.net.ssl.trustStore).")
    boolean tls;

    @Option(names = "--pid", paramLabel = "PID", description = "Attach to this local daemon JVM (default: the only migov daemon found).")
    Long pid;

    @Option(names = "--json", description = "Print JSON (for scripts) instead of tables.")
    boolean json;

    static boolean isDaemonCommandLine(String commandLine) {
        return DAEMON.matcher(commandLine).find();
    }

    /** An open connection to the daemon's MBeans. */
    record Connection(JMXConnector connector, MBeanServerConnection mbeans, String target) implements AutoCloseable {
        @Override
        public void close() {
            try {
                connector.close();
            } catch (IOException | RuntimeException e) {
                // the command's answer is already printed
            }
        }
    }

    Connection connect() {
        // a daemon that hangs must not hang the CLI
        System.setProperty("sun.rmi.transport.tcp.responseTimeout", System.getProperty("sun.rmi.transport.tcp.responseTimeout", "30000"));
        if (url != null) {
            if (pid != null) {
                throw new BadInputException("--jmx-url and --pid: give one of them");
            }
            JMXServiceURL u;
            try {
                u = JmxClient.parseUrl(url);
            } catch (IllegalArgumentException e) {
                throw new BadInputException(e.getMessage());
            }
            if (user == null && passwordFile != null) {
                throw new BadInputException("--password-file: needs --user");
            }
            String password = user == null ? null : readPassword();
            try {
                JMXConnector c = JmxClient.connect(u, user, password, tls);
                return new Connection(c, c.getMBeanServerConnection(), u.toString());
            } catch (SecurityException e) {
                throw new UnreachableException("access refused by " + u + ": " + e.getMessage(), e);
            } catch (IOException e) {
                throw unreachable(e);
            }
        }
        if (user != null || passwordFile != null || tls) {
            throw new BadInputException("--user, --password-file and --tls: only with --jmx-url");
        }
        long target = pid != null ? pid : findDaemon();
        try {
            JMXConnector c = JmxClient.attach(target);
            return new Connection(c, c.getMBeanServerConnection(), "pid " + target);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    private String readPassword() {
        if (passwordFile == null) {
            throw new BadInputException("--user: needs --password-file (its first line is the password)");
        }
        try {
            List<String> lines = Files.readAllLines(passwordFile, StandardCharsets.UTF_8);
            return lines.isEmpty() ? "" : lines.get(0).strip();
        } catch (NoSuchFileException e) {
            throw new BadInputException("--password-file: no such file: " + passwordFile);
        } catch (IOException e) {
            throw new BadInputException("--password-file: cannot read " + passwordFile + ": " + e.getMessage());
        }
    }

    private static long findDaemon() {
        Predicate<String> daemon = JmxOptions::isDaemonCommandLine;
        List<JmxClient.LocalJvm> found = JmxClient.findLocal(daemon);
        if (found.isEmpty()) {
            throw new UnreachableException("no migov daemon found on this host (no JVM running 'io.migov.cli.MigovCommand daemon' "
                    + "or 'migov.jar daemon'); start it, or use --jmx-url for a remote one", null);
        }
        if (found.size() > 1) {
            StringBuilder sb = new StringBuilder("several migov daemons on this host; choose one with --pid:");
            for (JmxClient.LocalJvm jvm : found) {
                sb.append("\n  ").append(jvm.pid()).append("  ").append(jvm.commandLine());
            }
            throw new UnreachableException(sb.toString(), null);
        }
        return found.get(0).pid();
    }

    static UnreachableException unreachable(IOException e) {
        String m = e instanceof JmxUnreachableException ? e.getMessage() : "lost the connection: " + e;
        return new UnreachableException(m, e);
    }
}
