// SPDX-License-Identifier: Apache-2.0
package io.migov.storage;

import io.migov.core.storage.HostIoSample;
import io.migov.core.storage.LabelledSample;
import io.migov.csv.HeaderCsv;
import io.migov.replay.TraceFormatException;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Labelled host I/O samples for {@code migov train}: CSV with the header
 * {@code t,iops,io_ticks_ms,throughput_bytes_per_s,util_pct,label}, one row per second, columns in
 * any order, extra columns ignored. {@code label} is 1 where co-located I/O suffered, else 0.
 * {@code t} must be a number but need not increase: files of several lab runs may be concatenated.
 */
public final class SamplesCsv {

    public static final List<String> REQUIRED_COLUMNS =
            List.of("t", "iops", "io_ticks_ms", "throughput_bytes_per_s", "util_pct", "label");

    private SamplesCsv() {
    }

    /** Reads and validates the whole file; nothing is returned unless every row is valid. */
    public static List<LabelledSample> read(Reader source, String name) throws IOException, TraceFormatException {
        try (HeaderCsv csv = HeaderCsv.open(source)) {
            return read(csv, name);
        } catch (HeaderCsv.SyntaxException e) {
            throw new TraceFormatException(name + (e.line() > 0 ? ":" + e.line() : "") + ": " + e.getMessage());
        }
    }

    private static List<LabelledSample> read(HeaderCsv csv, String name) throws IOException, TraceFormatException, HeaderCsv.SyntaxException {
        List<String> names = csv.columns();
        if (names.isEmpty()) {
            throw new TraceFormatException(name + ":1: empty file, expected the header " + String.join(",", REQUIRED_COLUMNS));
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            index.putIfAbsent(names.get(i).toLowerCase(Locale.ROOT), i);
        }
        for (String required : REQUIRED_COLUMNS) {
            if (!index.containsKey(required)) {
                throw new TraceFormatException(name + ":1: missing column '" + required + "' in header '" + String.join(",", names)
                        + "' (expected " + String.join(",", REQUIRED_COLUMNS) + ")");
            }
        }
        List<LabelledSample> samples = new ArrayList<>();
        HeaderCsv.Row line;
        while ((line = csv.next()) != null) {
            if (line.cells().size() != names.size()) {
                throw new TraceFormatException(name + ":" + line.line() + ": expected " + names.size() + " cells, got " + line.cells().size());
            }
            Row row = new Row(line.cells(), index, name, line.line());
            row.number("t", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
            HostIoSample sample = new HostIoSample(
                    row.number("iops", 0, Double.POSITIVE_INFINITY),
                    row.number("io_ticks_ms", 0, HostIoSample.MAX_IO_TICKS_MILLIS_PER_SECOND),
                    row.number("throughput_bytes_per_s", 0, Double.POSITIVE_INFINITY),
                    row.number("util_pct", 0, 100));
            samples.add(new LabelledSample(sample, row.label()));
        }
        if (samples.isEmpty()) {
            throw new TraceFormatException(name + ": no samples after the header");
        }
        return List.copyOf(samples);
    }

    private record Row(List<String> cells, Map<String, Integer> index, String name, int lineNo) {

        double number(String field, double min, double max) throws TraceFormatException {
            String cell = cell(field);
            double v;
            try {
                v = Double.parseDouble(cell);
            } catch (NumberFormatException e) {
                v = Double.NaN;
            }
            if (!Double.isFinite(v) || v < min || v > max) {
                throw new TraceFormatException(name + ":" + lineNo + ": " + field + ": expected " + range(min, max) + ", got '" + cell + "'");
            }
            return v;
        }

        boolean label() throws TraceFormatException {
            String cell = cell("label");
            return switch (cell) {
                case "1" -> true;
                case "0" -> false;
                default -> throw new TraceFormatException(name + ":" + lineNo + ": label: expected 0 or 1, got '" + cell + "'");
            };
        }

        private String cell(String field) {
            return cells.get(index.get(field)).strip();
        }

        private static String range(double min, double max) {
            if (min == Double.NEGATIVE_INFINITY) {
                return "a number";
            }
            if (max == Double.POSITIVE_INFINITY) {
                return "a number ≥ " + (long) min;
            }
            return "a number in [" + (long) min + ", " + (long) max + "]";
        }
    }
}
