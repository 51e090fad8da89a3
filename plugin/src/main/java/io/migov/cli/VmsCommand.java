// SPDX-License-Identifier: Apache-2.0
package io.migov.cli;

import io.migov.daemon.management.ManagementPlane;
import io.migov.jmx.MBeanNames;
import picocli.CommandLine.Command;

import javax.management.JMException;
import javax.management.ObjectName;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** {@code migov vms}: one line per VM profiled by the daemon. */
@Command(name = "vms", mixinStandardHelpOptions = true, description = "List the VMs the daemon profiles: state, levels, strategy, samples, write intensity, the model's hit rate against persistence.")
final class VmsCommand extends ManagementCommand {

    private static String percent(Object v) {
        return v instanceof Number n ? String.format(java.util.Locale.ROOT, "%.0f", n.doubleValue()) : "-";
    }

    /** The model's rolling hit rate against persistence's, e.g. {@code 0.82/0.79}; "-" before the first. */
    private static String hitRates(Object model, Object persistence) {
        if (model instanceof Number m && persistence instanceof Number p && !Double.isNaN(m.doubleValue())) {
            return String.format(java.util.Locale.ROOT, "%.2f/%.2f", m.doubleValue(), p.doubleValue());
        }
        return "-";
    }

    @Override
    int run(String target) throws IOException, JMException {
        daemonMBean(ManagementPlane.STATE);
        List<Map<String, Object>> vms = new ArrayList<>();
        for (ObjectName name : mbeans.queryNames(MBeanNames.pattern(ManagementPlane.VM_TYPE), null)) {
            try {
                Map<String, Object> a = attributes(name);
                a.remove("predictions");
                a.remove("transitionRow");
                a.remove("predictedBehaviour");
                a.remove("migration");
                vms.add(a);
            } catch (javax.management.InstanceNotFoundException e) {
                // left between the query and the read
            }
        }
        vms.sort(Comparator.comparing(v -> String.valueOf(v.get("name"))));
        if (json()) {
            printJson(vms);
            return 0;
        }
        List<List<String>> rows = new ArrayList<>();
        for (Map<String, Object> v : vms) {
            rows.add(List.of(TextTable.cell(v.get("name")), TextTable.cell(v.get("uuid")), TextTable.cell(v.get("state")),
                    TextTable.cell(v.get("levels")), TextTable.cell(v.get("strategy")), TextTable.cell(v.get("samples")),
                    percent(v.get("writePercent")), hitRates(v.get("predictionHitRate"), v.get("persistenceHitRate")),
                    Boolean.TRUE.equals(v.get("migrating")) ? "yes" : "no"));
        }
        print(TextTable.table(List.of("VM", "UUID", "STATE", "LEVELS", "STRATEGY", "SAMPLES", "WRITE %", "HITS MODEL/PERSIST",
                "MIGRATING"), rows));
        return 0;
    }
}
