// SPDX-License-Identifier: Apache-2.0
package io.migov.report;

import io.migov.sim.TextGrid;

import com.fasterxml.jackson.databind.JsonNode;
import io.migov.governor.MigrationOutcome;
import io.migov.governor.MigrationRecord;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The results table: one row per migration record, in the record's own words (the outcome is the
 * record's {@code outcome} in the vocabulary of {@link MigrationOutcome}, the action its
 * {@code action}), followed by a legend defining every column.
 *
 * <p>Two facts are not in the record, because the source's daemon cannot see them: the destination
 * (libvirt does not tell the source where its outgoing migration goes) and whether post-copy was
 * permitted (libvirt does not expose an outgoing migration's flags). Whoever started the migrations
 * knows them and may give them per row ({@link RowFacts}: the lab's demo does); without them the
 * direction shows the source and "?", and post-copy permitted shows what the record proves (yes
 * when post-copy ran or libvirt accepted a switch) or "-".
 */
public final class ReportTable {

    static final List<String> HEADER = List.of("#", "vm", "direction", "mode", "strategy", "pc permitted", "action", "at", "limit ms",
            "TMT ms", "downtime ms", "MiB sent", "passes", "post-copy", "pc requests", "outcome");

    /** One definition per column, in column order, then the placeholder. */
    static final List<String> LEGEND = List.of(
            "# = row label (--label) or order by start",
            "vm = domain name",
            "direction = source->destination host, as given by --direction, else the source host of the record's connection URI "
                    + "and ? (the record does not name the destination)",
            "mode = governor mode (enforce | advise | off)",
            "strategy = strategy chosen when the migration was seen (none when the mode was off)",
            "pc permitted = post-copy permitted: yes | no, whether the migration was started with post-copy allowed, as given by "
                    + "--postcopy-permitted, else yes when post-copy ran or libvirt accepted a switch and - when the record cannot tell",
            "action = last action carried out (none | switch_to_postcopy | raise_downtime | abort)",
            "at = pass it was decided at (before pass 1: before the first pass began)",
            "limit ms = max downtime set by raise_downtime, ms",
            "TMT ms = total migration time, ms",
            "downtime ms = the VM's pause at the switch-over, ms",
            "MiB sent = data transferred, MiB",
            "passes = pre-copy passes",
            "post-copy = ran | not entered (switch requested, finished in pre-copy) | - (no switch)",
            "pc requests = post-copy page requests: pages the destination fetched from the source",
            "outcome = " + MigrationOutcome.definitions(),
            "- = not reported");

    private static final int LEGEND_WIDTH = 110;

    /**
     * What the caller knows about each row that the record does not hold, in record order; any list
     * may be null (not given) and each may be shorter than the records (the rest not given).
     *
     * @param labels            row labels (else 1, 2, …)
     * @param directions        source->destination, e.g. {@code A->B}
     * @param postcopyPermitted {@code yes} or {@code no}: whether the migration was started with post-copy allowed
     */
    public record RowFacts(List<String> labels, List<String> directions, List<String> postcopyPermitted) {

        public static final RowFacts NONE = new RowFacts(null, null, null);

        public static RowFacts labels(List<String> labels) {
            return new RowFacts(labels, null, null);
        }

        private static String at(List<String> values, int i) {
            return values != null && i < values.size() ? values.get(i) : null;
        }
    }

    private ReportTable() {
    }

    /** A count or time, or "-" where libvirt did not report one (-1). */
    static String known(JsonNode r, String field) {
        long v = r.path(field).asLong(-1);
        return v < 0 ? "-" : Long.toString(v);
    }

    /** The pass an action was decided at: "before pass 1" for 0 (before any pass began), "-" for none. */
    public static String atPass(int iteration) {
        return MigrationRecord.atPass(iteration);
    }

    /** The record's outcome word; a word from outside the vocabulary (a newer daemon's) is shown as it is, never hidden. */
    public static String outcome(JsonNode r) {
        String word = r.path("outcome").asText("");
        return MigrationOutcome.ofWord(word).map(MigrationOutcome::word).orElse(word);
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

    static boolean postcopyRan(JsonNode r) {
        return r.path("postcopy_confirmed").asBoolean(false) || r.path("postcopy_requests").asLong(0) > 0;
    }

    /** libvirt accepted a switch to post-copy, which it refuses unless the migration was started with post-copy allowed. */
    static boolean switchAccepted(JsonNode r) {
        boolean switched = "switch_to_postcopy".equals(r.path("action").asText());
        for (JsonNode a : r.path("actions")) {
            switched |= "switch_to_postcopy".equals(a.path("action").asText());
        }
        return switched;
    }

    static String postcopy(JsonNode r) {
        return postcopyRan(r) ? "ran" : switchAccepted(r) ? "not entered" : "-";
    }

    /**
     * Post-copy permitted: the caller's yes or no, else what the record proves.
     *
     * @throws IllegalArgumentException when the given value is not yes or no, or says no where the record shows post-copy
     *                                  (a list that does not line up with the records)
     */
    static String postcopyPermitted(JsonNode r, int row, String given) {
        boolean proven = postcopyRan(r) || switchAccepted(r);
        if (given == null) {
            return proven ? "yes" : "-";
        }
        if (!given.equals("yes") && !given.equals("no")) {
            throw new IllegalArgumentException("row " + (row + 1) + ": expected yes or no, got '" + given + "'");
        }
        if (given.equals("no") && proven) {
            throw new IllegalArgumentException("row " + (row + 1) + " (" + r.path("vm").asText() + "): given no, but its record shows "
                    + (postcopyRan(r) ? "post-copy ran" : "libvirt accepted a switch to post-copy") + "; do the values follow the records' order?");
        }
        return given;
    }

    static String direction(JsonNode r, int row, String given) {
        if (given == null) {
            return source(r) + "->?";
        }
        if (given.isBlank()) {
            throw new IllegalArgumentException("row " + (row + 1) + ": empty direction");
        }
        return given;
    }

    public static List<String> header() {
        return HEADER;
    }

    /**
     * The cells, one list per record.
     *
     * @throws IllegalArgumentException when a given fact is malformed or contradicts its record (the message names the row)
     */
    public static List<List<String>> rows(List<JsonNode> records, RowFacts facts) {
        RowFacts f = facts == null ? RowFacts.NONE : facts;
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            JsonNode r = records.get(i);
            long bytes = r.path("bytes_transferred").asLong(-1);
            String label = RowFacts.at(f.labels(), i);
            rows.add(List.of(
                    label != null ? label : Integer.toString(i + 1),
                    r.path("vm").asText(), direction(r, i, RowFacts.at(f.directions(), i)), r.path("mode").asText(),
                    r.path("strategy").asText(), postcopyPermitted(r, i, RowFacts.at(f.postcopyPermitted(), i)), r.path("action").asText(),
                    atPass(r.path("action_iteration").asInt(-1)), known(r, "downtime_limit_ms"), known(r, "total_time_ms"),
                    known(r, "downtime_ms"), bytes < 0 ? "-" : String.format(Locale.ROOT, "%.0f", bytes / 1048576.0),
                    known(r, "iterations"), postcopy(r), known(r, "postcopy_requests"), outcome(r)));
        }
        return rows;
    }

    public static List<String> legend() {
        return LEGEND;
    }

    public static String render(List<JsonNode> records, RowFacts facts) {
        String nl = System.lineSeparator();
        StringBuilder sb = new StringBuilder(TextGrid.text(HEADER, rows(records, facts)));
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
