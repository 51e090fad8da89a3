// SPDX-License-Identifier: Apache-2.0
package io.migov.cli;

import io.migov.daemon.management.ManagementPlane;
import io.migov.governor.MigrationRecord;
import picocli.CommandLine.Command;

import javax.management.JMException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code migov migrations}: the migrations running now and the last finished ones. */
@Command(name = "migrations", mixinStandardHelpOptions = true,
        description = "Show the outgoing migrations running now (pass, remaining, dirty rate, verdict, planned action) and the last finished ones.")
final class MigrationsCommand extends ManagementCommand {

    @Override
    int run(String target) throws IOException, JMException {
        Map<String, Object> m = attributes(ManagementPlane.MIGRATIONS);
        if (json()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("active", m.get("active"));
            out.put("history", m.get("history"));
            out.put("historySize", m.get("historySize"));
            out.put("recorded", m.get("recorded"));
            printJson(out);
            return 0;
        }
        StringBuilder sb = new StringBuilder("running now\n");
        List<List<String>> active = new ArrayList<>();
        for (Map<String, Object> r : rows(m.get("active"))) {
            long remaining = ((Number) r.get("remainingBytes")).longValue();
            active.add(List.of(cell(r, "vm"), cell(r, "strategy"), cell(r, "iteration"),
                    remaining < 0 ? "-" : String.format(Locale.ROOT, "%.1f", remaining / 1048576.0), cell(r, "dirtyRatePagesPerSecond"),
                    cell(r, "verdict"), cell(r, "takenAction"), cell(r, "plannedAction")));
        }
        sb.append(active.isEmpty() ? "(none)\n" : TextTable.table(List.of("VM", "STRATEGY", "PASS", "REMAINING MiB", "DIRTY pages/s",
                "VERDICT", "TAKEN", "PLANNED"), active));
        sb.append("\nlast finished (newest first; ").append(TextTable.cell(m.get("recorded"))).append(" since the daemon started)\n");
        List<List<String>> history = new ArrayList<>();
        for (Map<String, Object> r : rows(m.get("history"))) {
            long end = ((Number) r.get("endEpochMillis")).longValue();
            int at = ((Number) r.get("actionIteration")).intValue();
            history.add(List.of(cell(r, "index"), cell(r, "vm"), end > 0 ? Instant.ofEpochMilli(end).toString() : "-", cell(r, "outcome"),
                    cell(r, "mode"), cell(r, "strategy"), cell(r, "action"), MigrationRecord.atPass(at), known(r, "totalTimeMs"),
                    known(r, "downtimeMs"), cell(r, "iterations")));
        }
        sb.append(history.isEmpty() ? "(none)\n" : TextTable.table(List.of("#", "VM", "ENDED", "OUTCOME", "MODE", "STRATEGY", "ACTION",
                "AT", "TOTAL ms", "DOWNTIME ms", "PASSES"), history));
        print(sb.toString());
        return 0;
    }

    private static List<Map<String, Object>> rows(Object table) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (table instanceof List<?> list) {
            for (Object r : list) {
                out.add(VmCommand.cast((Map<?, ?>) r));
            }
        }
        return out;
    }

    private static String cell(Map<String, Object> r, String key) {
        return TextTable.cell(r.get(key));
    }

    private static String known(Map<String, Object> r, String key) {
        long v = ((Number) r.get(key)).longValue();
        return v < 0 ? "-" : Long.toString(v);
    }
}
