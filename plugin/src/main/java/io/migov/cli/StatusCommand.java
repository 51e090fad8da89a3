// SPDX-License-Identifier: Apache-2.0
package io.migov.cli;

import io.migov.daemon.management.ManagementPlane;
import picocli.CommandLine.Command;

import javax.management.JMException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code migov status}: the daemon's state (counters, libvirt, steering) and mode. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show the running daemon's state: libvirt connection, mode, steering, VMs, ticks, migrations, errors.",
                "Exit 3 when the daemon cannot be reached."})
final class StatusCommand extends ManagementCommand {

    /** The order operators read it in. */
    private static final List<String> ORDER = List.of("version", "uptimeSeconds", "libvirtUri", "libvirtConnected", "mode",
            "steeringPaused", "vmsProfiled", "migrationsActive", "ticks", "missedTicks", "migrationsSeen", "migrationsSteered",
            "switches", "fallbacks", "errors", "postCopyFailures", "vmsPausedPostCopyFailed", "remoteJmxUrl");

    @Override
    int run(String target) throws IOException, JMException {
        Map<String, Object> state = attributes(ManagementPlane.STATE);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("daemon", target);
        for (String k : ORDER) {
            if (k.equals("mode")) {
                out.put("mode", mbeans.getAttribute(ManagementPlane.TUNABLES, "Mode"));
            } else if (state.containsKey(k)) {
                out.put(k, state.remove(k));
            }
        }
        out.putAll(state); // anything newer, in the MBean's order
        if (json()) {
            printJson(out);
        } else {
            print(TextTable.keyValues(out));
        }
        return 0;
    }
}
