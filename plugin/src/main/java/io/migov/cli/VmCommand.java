// SPDX-License-Identifier: Apache-2.0
package io.migov.cli;

import io.migov.daemon.management.ManagementPlane;
import io.migov.jmx.MBeanNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.ObjectName;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code migov vm NAME}: one VM in detail: state, strategy, predictions, transition row, running migration. */
@Command(name = "vm", mixinStandardHelpOptions = true,
        description = "Show one VM: state and levels, strategy and reason, predictions for 1..n, transition row, running migration.")
final class VmCommand extends ManagementCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The VM's (libvirt domain's) name.")
    String name;

    static ObjectName vmName(String name) {
        try {
            return MBeanNames.of(ManagementPlane.VM_TYPE, name);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("NAME: " + e.getMessage());
        }
    }

    /** Fails with exit 2 when the daemon has no such VM. */
    Map<String, Object> vm(String vmName) throws IOException, JMException {
        daemonMBean(ManagementPlane.STATE);
        try {
            return attributes(vmName(vmName));
        } catch (InstanceNotFoundException e) {
            throw new BadInputException("no VM named '" + vmName + "' on this daemon (migov vms lists them)");
        }
    }

    @Override
    int run(String target) throws IOException, JMException {
        Map<String, Object> vm = vm(name);
        if (json()) {
            printJson(vm);
            return 0;
        }
        Map<String, Object> scalars = new LinkedHashMap<>(vm);
        Object predictions = scalars.remove("predictions");
        Object transitions = scalars.remove("transitionRow");
        Object behaviour = scalars.remove("predictedBehaviour");
        Object migration = scalars.remove("migration");
        StringBuilder sb = new StringBuilder(TextTable.keyValues(scalars));
        if (behaviour instanceof Map<?, ?> b) {
            sb.append("\nlook-ahead behaviour\n").append(TextTable.keyValues(cast(b)));
        }
        sb.append("\npredictions (k steps of 1 s ahead)\n")
                .append(table(predictions, List.of("k", "state", "levels", "strategy", "probability")));
        sb.append("\ntransition row of the current state (top entries)\n")
                .append(table(transitions, List.of("rank", "state", "levels", "probability")));
        sb.append("\nmigration\n");
        if (migration instanceof Map<?, ?> m) {
            sb.append(TextTable.keyValues(cast(m)));
        } else {
            sb.append("(not migrating)\n");
        }
        print(sb.toString());
        return 0;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    static String table(Object rows, List<String> columns) {
        List<List<String>> out = new ArrayList<>();
        if (rows instanceof List<?> list) {
            for (Object r : list) {
                Map<String, Object> row = cast((Map<?, ?>) r);
                List<String> cells = new ArrayList<>();
                for (String c : columns) {
                    cells.add(TextTable.cell(row.get(c)));
                }
                out.add(cells);
            }
        }
        if (out.isEmpty()) {
            return "(none)\n";
        }
        List<String> header = new ArrayList<>();
        for (String c : columns) {
            header.add(c.toUpperCase(java.util.Locale.ROOT));
        }
        return TextTable.table(header, out);
    }
}
