// SPDX-License-Identifier: Apache-2.0
package io.migov.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tests' reader of the text tables the CLI prints ({@link TextGrid#text}): rows of cells, by column. */
public final class RenderedTable {

    private RenderedTable() {
    }

    /**
     * A rendered text table read back: the dashed line under the header gives each column's start,
     * every line is cut there into stripped cells.
     */
    public static List<List<String>> rows(String text) {
        List<String> lines = text.lines().toList();
        String dashes = lines.get(1);
        assertTrue(dashes.matches("-+( +-+)*"), "no dashed line under the header: " + text);
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i < dashes.length(); i++) {
            if (dashes.charAt(i) == '-' && (i == 0 || dashes.charAt(i - 1) == ' ')) {
                starts.add(i);
            }
        }
        List<List<String>> rows = new ArrayList<>();
        for (int l = 0; l < lines.size(); l++) {
            if (l == 1) {
                continue;
            }
            String line = lines.get(l);
            List<String> cells = new ArrayList<>();
            for (int c = 0; c < starts.size(); c++) {
                int from = Math.min(starts.get(c), line.length());
                int to = c + 1 < starts.size() ? Math.min(starts.get(c + 1), line.length()) : line.length();
                if (from > 0 && from < line.length() && line.charAt(from - 1) != ' ') {
                    throw new AssertionError("column " + c + " does not start at " + from + " in '" + line + "'");
                }
                cells.add(line.substring(from, to).strip());
            }
            rows.add(cells);
        }
        return rows;
    }

    /** The data row whose first cell is {@code first}, as header → cell. */
    public static Map<String, String> row(String text, String first) {
        List<List<String>> rows = rows(text);
        for (List<String> row : rows.subList(1, rows.size())) {
            if (row.get(0).equals(first)) {
                Map<String, String> byColumn = new TreeMap<>();
                for (int c = 0; c < row.size(); c++) {
                    byColumn.put(rows.get(0).get(c), row.get(c));
                }
                return byColumn;
            }
        }
        throw new AssertionError("no row '" + first + "' in\n" + text);
    }
}
