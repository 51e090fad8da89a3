// SPDX-License-Identifier: Apache-2.0
package io.migov.cli;

import io.migov.daemon.ConfigException;
import io.migov.daemon.Daemon;
import io.migov.daemon.DaemonConfig;
import io.migov.daemon.DaemonException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code migov daemon}: profiles every VM each second and steers migrations until SIGTERM/SIGINT. */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = {"Run the governor on this host until SIGTERM or SIGINT.",
                "Every setting has a default (docs/configuration.md); --connect, --state-dir and --mode win over the file."})
final class DaemonCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "JSON config file (optional; e.g. /etc/migov/migov.json).")
    Path config;

    @Option(names = "--connect", paramLabel = "URI", description = "libvirt URI (default qemu:///system).")
    String connect;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "State directory (default /var/lib/migov).")
    String stateDir;

    @Option(names = "--mode", paramLabel = "MODE", description = "enforce (default), advise or off.")
    String mode;

    @Override
    public Integer call() {
        Daemon daemon;
        try {
            DaemonConfig.Overrides overrides = new DaemonConfig.Overrides(connect, stateDir, mode);
            DaemonConfig cfg = DaemonConfig.load(config, overrides);
            daemon = Daemon.builder().config(cfg).version(version()).reloadFrom(config, overrides).start();
        } catch (ConfigException e) {
            throw new BadInputException(e.getMessage());
        } catch (DaemonException e) {
            spec.commandLine().getErr().println("migov: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
        daemon.installShutdownHook();
        daemon.awaitStopped();
        return 0;
    }

    private String version() {
        String[] v = spec.root().version();
        return v.length > 0 ? v[0] : "migov";
    }
}
