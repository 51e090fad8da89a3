package io.migov.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The results table: one row per migration record, in the record's own words (the outcome is the
 * record's {@code outcome}, the action its {@code action}), followed by a legend defining every
 * column.
 *
 * <p>The record names the source host only (the connection URI of the daemon that watched the
 * migration) and does not say whether post-copy was permitted (libvirt does not expose an
 * outgoing migration's flags): the table shows the source and whether post-copy really ran, and
 * the legend says what is not recorded.
 */
public final class ReportTable {

    static final List<String> HEADER = List.of("#", "vm", "source", "mode", "strategy", "action", "at", "limit ms", "TMT ms",
            "downtime ms", "MiB sent", "passes", "post-copy", "pc requests", "outcome");

    /** One definition per column, in column order, then the placeholder. */
    static final List<String> LEGEND = List.of(
            "# = row label (--label) or order by start",
            "vm = domain name",
            "source = source host, from the record's connection URI (the destination is not recorded)",
            "mode = governor mode",
            "strategy = strategy chosen when the migration was seen",
            "action = last action carried out",
            "at = pass it was decided at (before pass 1: before the first pass began)",
            "limit ms = max downtime set by raise_downtime, ms",
            "TMT ms = total migration time, ms",
            "downtime ms = the VM's pause at the switch-over, ms",
            "MiB sent = data transferred, MiB",
            "passes = pre-copy passes",
            "post-copy = ran | not entered (switch requested, finished in pre-copy) | - (no switch); "
                    + "whether post-copy was permitted is not recorded",
            "pc requests = post-copy page requests: pages the destination fetched from the source",
            "outcome = completed | failed | cancelled | aborted (by migov) | unknown",
            "- = not reported");

    private static final int LEGEND_WIDTH = 110;

    private ReportTable() {
    }

    /** A count or time, or "-" where libvirt did not report one (-1). */
    static String known(JsonNode r, String field) {
        long v = r.path(field).asLong(-1);
        return v < 0 ? "-" : Long.toString(v);
    }

    /** The pass an action was decided at: "before pass 1" for 0 (before any pass began), "-" for none. */
    public static String atPass(int iteration) {
        return iteration < 0 ? "-" : iteration == 0 ? "before pass 1" : "pass " + iteration;
    }

    /** The host of the record's connection URI, or the URI itself when it names none (qemu:///system). */
    static String source(JsonNode r) {
        String uri = r.path("host").asText("");
        if (uri.isEmpty()) {
            return "-";
        }
        try {
            String host = URI.create(uri).getHost();
            return host == null || host.isEmpty() ? uri : host;
        } catch (IllegalArgumentException e) {
            return uri;
        }
    }

    static String postcopy(JsonNode r) {
        if (r.path("postcopy_confirmed").asBoolean(false) || r.path("postcopy_requests").asLong(0) > 0) {
            return "ran";
        }
        boolean switched = "switch_to_postcopy".equals(r.path("action").asText());
        for (JsonNode a : r.path("actions")) {
            switched |= "switch_to_postcopy".equals(a.path("action").asText());
        }
        return switched ? "not entered" : "-";
    }

    public static List<String> header() {
        return HEADER;
    }

    /** The cells, one list per record; {@code labels} name the rows in record order (else 1, 2, …). */
    public static List<List<String>> rows(List<JsonNode> records, List<String> labels) {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            JsonNode r = records.get(i);
            long bytes = r.path("bytes_transferred").asLong(-1);
            rows.add(List.of(
                    labels != null && i < labels.size() ? labels.get(i) : Integer.toString(i + 1),
                    r.path("vm").asText(), source(r), r.path("mode").asText(), r.path("strategy").asText(), r.path("action").asText(),
                    atPass(r.path("action_iteration").asInt(-1)), known(r, "downtime_limit_ms"), known(r, "total_time_ms"),
                    known(r, "downtime_ms"), bytes < 0 ? "-" : String.format(Locale.ROOT, "%.0f", bytes / 1048576.0),
                    known(r, "iterations"), postcopy(r), known(r, "postcopy_requests"), MigrationChart.outcome(r)));
        }
        return rows;
    }

    public static List<String> legend() {
        return LEGEND;
    }

    public static String render(List<JsonNode> records, List<String> labels) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        rows.addAll(rows(records, labels));
        int[] width = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int c = 0; c < row.size(); c++) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        String nl = System.lineSeparator();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            List<String> row = rows.get(i);
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.size(); c++) {
                line.append(c == 0 ? "" : "  ").append(String.format(Locale.ROOT, "%-" + width[c] + "s", row.get(c)));
            }
            sb.append(line.toString().stripTrailing()).append(nl);
            if (i == 0) {
                for (int c = 0; c < row.size(); c++) {
                    sb.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
                }
                sb.append(nl);
            }
        }
        for (String line : wrap("legend: ", String.join("; ", LEGEND))) {
            sb.append(line).append(nl);
        }
        return sb.toString();
    }

    /** Wraps at spaces to {@link #LEGEND_WIDTH}, continuation lines indented under the first word. */
    private static List<String> wrap(String prefix, String text) {
        List<String> out = new ArrayList<>();
        String indent = " ".repeat(prefix.length());
        StringBuilder line = new StringBuilder(prefix);
        for (String word : text.split(" ")) {
            if (line.length() > indent.length() && line.length() + 1 + word.length() > LEGEND_WIDTH) {
                out.add(line.toString());
                line = new StringBuilder(indent);
            }
            if (line.length() > indent.length()) {
                line.append(' ');
            }
            line.append(word);
        }
        out.add(line.toString());
        return out;
    }
}
