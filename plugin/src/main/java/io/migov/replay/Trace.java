// SPDX-License-Identifier: Apache-2.0
package io.migov.replay;

import io.migov.core.Sample;
import io.migov.csv.HeaderCsv;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A recorded per-second profile of one VM: CSV (RFC 4180) with the header {@code t,cpu,mem,net_in,net_out} and
 * optionally {@code write} (write intensity; 0 where absent), columns in any order, extra columns
 * ignored, one row per second, values in percent.
 */
public record Trace(List<Double> times, List<Sample> samples, boolean hasWrite) {

    public static final List<String> REQUIRED_COLUMNS = List.of("t", "cpu", "mem", "net_in", "net_out");
    /** What {@code migov record} writes: the trace's columns, write included, and where the memory figure came from. */
    public static final List<String> RECORDED_COLUMNS = List.of("t", "cpu", "mem", "write", "net_in", "net_out", "memory_source");

    public Trace {
        times = List.copyOf(times);
        samples = List.copyOf(samples);
    }

    /** A trace of the research's four resources (no write column). */
    public Trace(List<Double> times, List<Sample> samples) {
        this(times, samples, false);
    }

    public int size() {
        return samples.size();
    }

    /** Reads and validates the whole trace; nothing is returned unless every row is valid. */
    public static Trace read(Reader source, String name) throws IOException, TraceFormatException {
        try (HeaderCsv csv = HeaderCsv.open(source)) {
            return read(csv, name);
        } catch (HeaderCsv.SyntaxException e) {
            throw new TraceFormatException(name + (e.line() > 0 ? ":" + e.line() : "") + ": " + e.getMessage());
        }
    }

    private static Trace read(HeaderCsv csv, String name) throws IOException, TraceFormatException, HeaderCsv.SyntaxException {
        List<String> names = csv.columns();
        if (names.isEmpty()) {
            throw new TraceFormatException(name + ":1: empty file, expected the header " + String.join(",", REQUIRED_COLUMNS));
        }
        String header = String.join(",", names);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String column = names.get(i).toLowerCase(Locale.ROOT);
            if (index.putIfAbsent(column, i) != null && (REQUIRED_COLUMNS.contains(column) || column.equals("write"))) {
                throw new TraceFormatException(name + ":1: column '" + column + "' appears twice in header '" + header + "'");
            }
        }
        for (String required : REQUIRED_COLUMNS) {
            if (!index.containsKey(required)) {
                throw new TraceFormatException(name + ":1: missing column '" + required + "' in header '" + header
                        + "' (expected " + String.join(",", REQUIRED_COLUMNS) + ")");
            }
        }
        List<Double> times = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        HeaderCsv.Row row;
        while ((row = csv.next()) != null) {
            List<String> cells = row.cells();
            int lineNo = row.line();
            if (cells.size() != names.size()) {
                throw new TraceFormatException(name + ":" + lineNo + ": expected " + names.size() + " cells, got " + cells.size());
            }
            double t = number(cells, index.get("t"), "t", name, lineNo);
            if (!times.isEmpty() && t <= times.get(times.size() - 1)) {
                throw new TraceFormatException(name + ":" + lineNo + ": t: expected increasing times, got " + cells.get(index.get("t")).strip()
                        + " after " + times.get(times.size() - 1));
            }
            double cpu = number(cells, index.get("cpu"), "cpu", name, lineNo);
            double mem = number(cells, index.get("mem"), "mem", name, lineNo);
            double write = index.containsKey("write") ? number(cells, index.get("write"), "write", name, lineNo) : 0.0;
            double netIn = number(cells, index.get("net_in"), "net_in", name, lineNo);
            double netOut = number(cells, index.get("net_out"), "net_out", name, lineNo);
            try {
                samples.add(new Sample(cpu, mem, write, netIn, netOut));
            } catch (IllegalArgumentException e) {
                throw new TraceFormatException(name + ":" + lineNo + ": " + e.getMessage());
            }
            times.add(t);
        }
        if (samples.isEmpty()) {
            throw new TraceFormatException(name + ": no samples after the header");
        }
        return new Trace(times, samples, index.containsKey("write"));
    }

    private static double number(List<String> cells, int column, String field, String name, int lineNo) throws TraceFormatException {
        String cell = cells.get(column).strip();
        try {
            double v = Double.parseDouble(cell);
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new TraceFormatException(name + ":" + lineNo + ": " + field + ": expected a number, got '" + cell + "'");
        }
    }

    /** A trace being recorded ({@link #RECORDED_COLUMNS}), percentages to two decimals; each row flushed, so a cut recording keeps its rows. */
    public static final class Recording implements Closeable {
        private final HeaderCsv.Writing csv;

        /** Closing the recording closes {@code out}. */
        public Recording(Writer out) throws IOException {
            csv = HeaderCsv.write(out, RECORDED_COLUMNS);
        }

        public void add(long t, Sample s, String memorySource) throws IOException {
            csv.row(List.of(Long.toString(t), percent(s.cpuPercent()), percent(s.memoryPercent()), percent(s.writePercent()),
                    percent(s.netInPercent()), percent(s.netOutPercent()), memorySource));
            csv.flush();
        }

        private static String percent(double v) {
            return String.format(Locale.ROOT, "%.2f", v);
        }

        @Override
        public void close() throws IOException {
            csv.close();
        }
    }
}
