package io.migov.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Plain-text output of the management commands: aligned tables and key/value lists. */
final class TextTable {

    private TextTable() {
    }

    /** Columns padded to their widest cell, a dashed line under the header. */
    static String table(List<String> header, List<List<String>> rows) {
        int[] width = new int[header.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int c = 0; c < row.size(); c++) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < all.size(); i++) {
            line(sb, all.get(i), width);
            if (i == 0) {
                List<String> dashes = new ArrayList<>();
                for (int w : width) {
                    dashes.add("-".repeat(w));
                }
                line(sb, dashes, width);
            }
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> row, int[] width) {
        StringBuilder l = new StringBuilder();
        for (int c = 0; c < row.size(); c++) {
            l.append(c == 0 ? "" : "  ").append(String.format(Locale.ROOT, "%-" + width[c] + "s", row.get(c)));
        }
        sb.append(l.toString().stripTrailing()).append('\n');
    }

    /** {@code key   value} lines, keys padded. */
    static String keyValues(Map<String, ?> values) {
        int w = 0;
        for (String k : values.keySet()) {
            w = Math.max(w, k.length());
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, ?> e : values.entrySet()) {
            sb.append(String.format(Locale.ROOT, "%-" + w + "s  %s", e.getKey(), cell(e.getValue())).stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    /** A value as a cell: numbers without noise, NaN and null as "-". */
    static String cell(Object v) {
        if (v == null || "".equals(v)) {
            return "-";
        }
        if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                return "-";
            }
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return Long.toString(d.longValue());
            }
            return String.format(Locale.ROOT, "%.4g", d).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
        }
        if (v instanceof Float f) {
            return cell(f.doubleValue());
        }
        return v.toString();
    }
}
