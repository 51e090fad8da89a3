package io.migov.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The demo's results table: one row per migration record. */
public final class ReportTable {

    private static final String[] HEADER = {"#", "vm", "mode", "strategy", "action", "at pass", "TMT ms", "downtime ms", "MiB sent",
            "passes", "pc requests", "completed"};

    private ReportTable() {
    }

    /** A count or time, or "-" where libvirt did not report one (-1). */
    static String known(JsonNode r, String field) {
        long v = r.path(field).asLong(-1);
        return v < 0 ? "-" : Long.toString(v);
    }

    public static String render(List<JsonNode> records, List<String> labels) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (int i = 0; i < records.size(); i++) {
            JsonNode r = records.get(i);
            long bytes = r.path("bytes_transferred").asLong(-1);
            int at = r.path("action_iteration").asInt(-1);
            rows.add(new String[] {
                    labels != null && i < labels.size() ? labels.get(i) : Integer.toString(i + 1),
                    r.path("vm").asText(), r.path("mode").asText(), r.path("strategy").asText(), r.path("action").asText(),
                    at < 0 ? "-" : Integer.toString(at), known(r, "total_time_ms"), known(r, "downtime_ms"),
                    bytes < 0 ? "-" : String.format(Locale.ROOT, "%.0f", bytes / 1048576.0), r.path("iterations").asText(),
                    r.path("postcopy_requests").asText(), r.path("completed").asBoolean() ? "yes" : "NO (" + r.path("outcome").asText() + ")"});
        }
        int[] width = new int[HEADER.length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            String[] row = rows.get(i);
            for (int c = 0; c < row.length; c++) {
                sb.append(c == 0 ? "" : "  ").append(String.format(Locale.ROOT, "%-" + width[c] + "s", row[c]));
            }
            sb.append(System.lineSeparator());
            if (i == 0) {
                for (int c = 0; c < row.length; c++) {
                    sb.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
                }
                sb.append(System.lineSeparator());
            }
        }
        return sb.toString();
    }
}
