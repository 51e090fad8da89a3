// SPDX-License-Identifier: Apache-2.0
package io.migov.cli;

import io.migov.sim.TextGrid;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Plain-text output of the management commands: aligned tables and key/value lists (picocli's text table, through {@link TextGrid}). */
final class TextTable {

    private TextTable() {
    }

    /** Columns padded to their widest cell, a dashed line under the header. */
    static String table(List<String> header, List<List<String>> rows) {
        return TextGrid.text(header, rows);
    }

    /** {@code key   value} lines, keys padded. */
    static String keyValues(Map<String, ?> values) {
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, ?> e : values.entrySet()) {
            rows.add(List.of(e.getKey(), cell(e.getValue())));
        }
        return TextGrid.aligned(rows);
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
