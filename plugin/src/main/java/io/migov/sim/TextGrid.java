package io.migov.sim;

import java.util.ArrayList;
import java.util.List;

/** Tables as aligned plain text (a dashed line under the header) or as Markdown; the CLI's tables too. */
public final class TextGrid {

    private TextGrid() {
    }

    /** Columns padded to their widest cell, a dashed line under the header. */
    public static String text(List<String> header, List<List<String>> rows) {
        int[] width = widths(header, rows);
        StringBuilder sb = new StringBuilder();
        line(sb, header, width);
        List<String> dashes = new ArrayList<>();
        for (int w : width) {
            dashes.add("-".repeat(w));
        }
        line(sb, dashes, width);
        for (List<String> row : rows) {
            line(sb, row, width);
        }
        return sb.toString();
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

    private static int[] widths(List<String> header, List<List<String>> rows) {
        int[] width = new int[header.size()];
        for (int c = 0; c < header.size(); c++) {
            width[c] = header.get(c).length();
        }
        for (List<String> row : rows) {
            for (int c = 0; c < row.size(); c++) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        return width;
    }

    private static void line(StringBuilder sb, List<String> row, int[] width) {
        StringBuilder l = new StringBuilder();
        for (int c = 0; c < row.size(); c++) {
            String cell = row.get(c);
            l.append(c == 0 ? "" : "  ").append(cell).append(" ".repeat(width[c] - cell.length()));
        }
        sb.append(l.toString().stripTrailing()).append('\n');
    }
}
