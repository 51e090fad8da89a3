// SPDX-License-Identifier: Apache-2.0
package io.migov.sim;

import io.migov.csv.HeaderCsv;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The bench CSV, written by {@code migov simulate} and by the lab bench, read by
 * {@code migov bench-report}: one {@link BenchRow} per line, RFC 4180 quoting (jackson-dataformat-csv).
 * Columns may come in any order; unknown numbers are empty or -1.
 */
public final class BenchCsv {

    public static final List<String> HEADER = List.of("workload", "policy", "rep", "outcome", "completed", "total_time_ms", "downtime_ms",
            "bytes_sent", "passes", "postcopy_requests", "action", "action_iteration", "integrity_failures", "ops_before", "ops_during",
            "degradation", "reason");
    /** Without these a line says nothing the table can use. */
    private static final List<String> REQUIRED = List.of("workload", "policy", "completed", "total_time_ms");

    private BenchCsv() {
    }

    public static void write(List<BenchRow> rows, Appendable out) throws IOException {
        StringWriter text = new StringWriter();
        try (HeaderCsv.Writing csv = HeaderCsv.write(text, HEADER)) {
            for (BenchRow r : rows) {
                csv.row(List.of(oneLine(r.workload()), oneLine(r.policy()), Integer.toString(r.rep()), oneLine(r.outcome()),
                        Boolean.toString(r.completed()), count(r.totalTimeMs()), count(r.downtimeMs()), count(r.bytesSent()), count(r.passes()),
                        count(r.postcopyRequests()), oneLine(r.action()), Integer.toString(r.actionIteration()), count(r.integrityFailures()),
                        number(r.opsBefore(), "%.0f"), number(r.opsDuring(), "%.0f"), number(r.degradation(), "%.4f"), oneLine(r.reason())));
            }
        }
        out.append(text.toString());
    }

    private static String count(long v) {
        return v < 0 ? "" : Long.toString(v);
    }

    private static String number(double v, String format) {
        return Double.isNaN(v) || v < 0 ? "" : String.format(Locale.ROOT, format, v);
    }

    /**
     * One line per row, as the lab bench writes its rows, for line tools (grep, wc -l, sort): a line
     * break in a cell (a reason quoting an error) becomes a space.
     */
    private static String oneLine(String cell) {
        return cell.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    }

    /**
     * Reads a bench CSV; {@code source} names it in errors, which are
     * {@link IllegalArgumentException}s of the form {@code source:line: column: expected …, got '…'}.
     */
    public static List<BenchRow> read(Reader in, String source) throws IOException {
        try (HeaderCsv csv = HeaderCsv.open(in)) {
            return read(csv, source);
        } catch (HeaderCsv.SyntaxException e) {
            throw new IllegalArgumentException(source + (e.line() > 0 ? ":" + e.line() : "") + ": " + e.getMessage());
        }
    }

    private static List<BenchRow> read(HeaderCsv csv, String source) throws IOException, HeaderCsv.SyntaxException {
        List<String> header = csv.columns();
        if (header.isEmpty()) {
            throw new IllegalArgumentException(source + ": empty file: expected the header " + String.join(",", HEADER));
        }
        Map<String, Integer> column = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i);
            if (column.putIfAbsent(name, i) != null && HEADER.contains(name)) {
                throw new IllegalArgumentException(source + ":1: column '" + name + "' appears twice");
            }
        }
        for (String required : REQUIRED) {
            if (!column.containsKey(required)) {
                throw new IllegalArgumentException(source + ":1: missing column '" + required + "' (header: " + String.join(",", HEADER) + ")");
            }
        }
        List<BenchRow> rows = new ArrayList<>();
        HeaderCsv.Row line;
        while ((line = csv.next()) != null) {
            if (line.cells().size() != header.size()) {
                throw new IllegalArgumentException(source + ":" + line.line() + ": expected " + header.size() + " cells, got " + line.cells().size());
            }
            rows.add(new Line(line.cells(), column, source + ":" + line.line()).row());
        }
        return rows;
    }

    /** The cells of one line, read by column name. */
    private record Line(List<String> cells, Map<String, Integer> column, String where) {

        BenchRow row() {
            String workload = text("workload");
            String policy = text("policy");
            if (workload.isEmpty() || policy.isEmpty()) {
                throw new IllegalArgumentException(where + ": " + (workload.isEmpty() ? "workload" : "policy") + ": expected a name, got ''");
            }
            long rep = count("rep");
            return new BenchRow(workload, policy, rep < 0 ? 1 : (int) Math.min(Integer.MAX_VALUE, rep), text("outcome"),
                    bool("completed"), count("total_time_ms"), count("downtime_ms"), count("bytes_sent"),
                    (int) Math.min(Integer.MAX_VALUE, count("passes")), count("postcopy_requests"), text("action"),
                    (int) Math.max(-1, Math.min(Integer.MAX_VALUE, count("action_iteration"))), count("integrity_failures"),
                    number("ops_before"), number("ops_during"), number("degradation"), text("reason"));
        }

        private String text(String name) {
            Integer i = column.get(name);
            return i == null ? "" : cells.get(i).strip();
        }

        private boolean bool(String name) {
            String v = text(name).toLowerCase(Locale.ROOT);
            return switch (v) {
                case "true", "yes", "1" -> true;
                case "false", "no", "0" -> false;
                default -> throw new IllegalArgumentException(where + ": " + name + ": expected true or false, got '" + text(name) + "'");
            };
        }

        /** A whole number ≥ 0, or -1 when empty or negative (unknown). */
        private long count(String name) {
            String v = text(name);
            if (v.isEmpty()) {
                return -1;
            }
            try {
                if (v.matches("[+-]?\\d+")) {
                    // exactly (a double holds whole numbers exactly only up to 2^53); past a long: the error below
                    long l = Long.parseLong(v);
                    return l < 0 ? -1 : l;
                }
                double d = Double.parseDouble(v);
                if (Double.isNaN(d) || Double.isInfinite(d) || d != Math.rint(d) || d >= 0x1p53) {
                    throw new NumberFormatException(); // not whole, or too large to be whole in a double (1e300 read as Long.MAX_VALUE)
                }
                return d < 0 ? -1 : (long) d;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": " + name + ": expected a whole number (empty or -1 = unknown), got '" + v + "'");
            }
        }

        /** A number ≥ 0, or NaN when empty or negative (unknown). */
        private double number(String name) {
            String v = text(name);
            if (v.isEmpty()) {
                return Double.NaN;
            }
            try {
                double d = Double.parseDouble(v);
                if (!Double.isFinite(d)) {
                    throw new NumberFormatException(); // "NaN" and "Infinity" are not numbers of a bench
                }
                return d < 0 ? Double.NaN : d;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": " + name + ": expected a number (empty or -1 = unknown), got '" + v + "'");
            }
        }
    }
}
