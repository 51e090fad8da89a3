// SPDX-License-Identifier: Apache-2.0
package io.migov.sim;

import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.TextTable;

import java.util.ArrayList;
import java.util.List;

/** Tables as aligned plain text (a dashed line under the header) or as Markdown; the CLI's tables too. */
public final class TextGrid {

    private static final int GAP = 2;

    private TextGrid() {
    }

    /** Columns padded to their widest cell, a dashed line under the header. */
    public static String text(List<String> header, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        List<String> dashes = new ArrayList<>();
        for (int w : widths(all)) {
            dashes.add("-".repeat(w));
        }
        all.add(1, dashes);
        return aligned(all);
    }

    /**
     * Rows as aligned columns, two spaces apart, through picocli's help table (wide characters count
     * double); a cell holding a line break goes on over the next lines of its own column.
     */
    public static String aligned(List<List<String>> rows) {
        int[] width = widths(rows);
        if (width.length == 0) {
            return "";
        }
        Column[] layout = new Column[width.length];
        for (int c = 0; c < width.length; c++) {
            layout[c] = new Column(Math.max(1, width[c]) + (c + 1 < width.length ? GAP : 0), 0, Column.Overflow.SPAN);
        }
        TextTable table = TextTable.forColumns(Help.defaultColorScheme(Ansi.OFF), layout);
        for (List<String> row : rows) {
            Text[] cells = new Text[width.length];
            for (int c = 0; c < width.length; c++) {
                cells[c] = plain(c < row.size() ? row.get(c) : "");
            }
            table.addRowValues(cells);
        }
        String[] lines = table.toString().split("\\R", -1); // each line ends in a separator: the last piece is empty
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i + 1 < lines.length; i++) {
            sb.append(lines[i].stripTrailing()).append('\n'); // picocli pads every column, the last one too
        }
        return sb.toString();
    }

    private static int[] widths(List<List<String>> rows) {
        int columns = 0;
        for (List<String> row : rows) {
            columns = Math.max(columns, row.size());
        }
        int[] width = new int[columns];
        for (List<String> row : rows) {
            for (int c = 0; c < row.size(); c++) {
                for (String line : row.get(c).split("\\R", -1)) {
                    width[c] = Math.max(width[c], plain(line).getCJKAdjustedLength());
                }
            }
        }
        return width;
    }

    /**
     * A cell as picocli text, shown as it is: picocli reads {@code @|style text|@} as markup (and
     * fails on an unknown style), so the value goes in as pieces none of which holds {@code @|}.
     */
    private static Text plain(String cell) {
        Text text = Ansi.OFF.new Text("");
        int from = 0;
        for (int at = cell.indexOf("@|"); at >= 0; at = cell.indexOf("@|", at + 1)) {
            text = text.concat(Ansi.OFF.new Text(cell.substring(from, at + 1)));
            from = at + 1;
        }
        return text.concat(Ansi.OFF.new Text(cell.substring(from)));
    }

    public static String markdown(List<String> header, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| ").append(String.join(" | ", header)).append(" |\n|");
        for (int i = 0; i < header.size(); i++) {
            sb.append(i < 2 ? "---|" : "---:|");
        }
        sb.append('\n');
        for (List<String> row : rows) {
            sb.append("| ").append(String.join(" | ", row.stream().map(c -> c.replace("|", "\\|")).toList())).append(" |\n");
        }
        return sb.toString();
    }
}
