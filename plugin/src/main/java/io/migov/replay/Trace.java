package io.migov.replay;

import io.migov.core.Sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A recorded per-second profile of one VM: CSV with the header {@code t,cpu,mem,net_in,net_out} and
 * optionally {@code write} (write intensity; 0 where absent), columns in any order, extra columns
 * ignored, one row per second, values in percent.
 */
public record Trace(List<Double> times, List<Sample> samples, boolean hasWrite) {

    public static final List<String> REQUIRED_COLUMNS = List.of("t", "cpu", "mem", "net_in", "net_out");

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
        BufferedReader in = source instanceof BufferedReader b ? b : new BufferedReader(source);
        String header = in.readLine();
        if (header == null || header.isBlank()) {
            throw new TraceFormatException(name + ":1: empty file, expected the header " + String.join(",", REQUIRED_COLUMNS));
        }
        if (header.startsWith("\uFEFF")) {
            header = header.substring(1); // a byte order mark, as spreadsheets write it
        }
        String[] names = header.strip().split(",", -1);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            String column = names[i].strip().toLowerCase(Locale.ROOT);
            if (index.putIfAbsent(column, i) != null && (REQUIRED_COLUMNS.contains(column) || column.equals("write"))) {
                throw new TraceFormatException(name + ":1: column '" + column + "' appears twice in header '" + header.strip() + "'");
            }
        }
        for (String required : REQUIRED_COLUMNS) {
            if (!index.containsKey(required)) {
                throw new TraceFormatException(name + ":1: missing column '" + required + "' in header '" + header.strip()
                        + "' (expected " + String.join(",", REQUIRED_COLUMNS) + ")");
            }
        }
        List<Double> times = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        String line;
        int lineNo = 1;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (cells.length != names.length) {
                throw new TraceFormatException(name + ":" + lineNo + ": expected " + names.length + " cells, got " + cells.length);
            }
            double t = number(cells, index.get("t"), "t", name, lineNo);
            if (!times.isEmpty() && t <= times.get(times.size() - 1)) {
                throw new TraceFormatException(name + ":" + lineNo + ": t: expected increasing times, got " + cells[index.get("t")].strip()
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

    private static double number(String[] cells, int column, String field, String name, int lineNo) throws TraceFormatException {
        String cell = cells[column].strip();
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
}
