// SPDX-License-Identifier: Apache-2.0
package io.migov.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code index.html} next to the charts: the results table, its legend and every chart, for
 * people who would rather look than read. Self-contained (inline style, no script, no external
 * resource); the charts are referenced by file name, so the directory can be moved as a whole.
 * Every text from a record is HTML-escaped: a VM name is whatever the hypervisor allows.
 */
public final class ReportPage {

    private ReportPage() {
    }

    /**
     * Writes {@code directory/index.html}.
     *
     * @param charts the chart of each record, in record order, all in {@code directory}
     */
    public static Path write(Path directory, List<JsonNode> records, ReportTable.RowFacts facts, List<Path> charts) throws IOException {
        Path out = directory.resolve("index.html");
        Files.writeString(out, render(records, facts, charts), StandardCharsets.UTF_8);
        return out;
    }

    static String render(List<JsonNode> records, ReportTable.RowFacts facts, List<Path> charts) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>migov report</title>\n")
                .append("<style>\n")
                .append("body{font-family:sans-serif;margin:1.5em;color:#222}\n")
                .append("table{border-collapse:collapse;font-size:0.9em}\n")
                .append("th,td{border:1px solid #ccc;padding:0.2em 0.5em;text-align:left;white-space:nowrap}\n")
                .append("th{background:#f0f0f0}\n")
                .append("dl.legend{font-size:0.85em;display:grid;grid-template-columns:max-content auto;gap:0.1em 1em}\n")
                .append("dl.legend dt{font-weight:bold}\ndl.legend dd{margin:0}\n")
                .append("figure{margin:1.5em 0}\nimg{max-width:100%;height:auto;border:1px solid #ddd}\n")
                .append("</style>\n</head>\n<body>\n<h1>migov report</h1>\n");
        h.append("<p>").append(records.size()).append(records.size() == 1 ? " migration" : " migrations").append("</p>\n");
        h.append("<table>\n<thead><tr>");
        for (String c : ReportTable.header()) {
            h.append("<th>").append(escape(c)).append("</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        List<List<String>> rows = ReportTable.rows(records, facts);
        for (int i = 0; i < rows.size(); i++) {
            h.append("<tr>");
            for (int c = 0; c < rows.get(i).size(); c++) {
                String cell = escape(rows.get(i).get(c));
                // the first cell links to the row's chart
                h.append("<td>").append(c == 0 && i < charts.size() ? "<a href=\"#chart-" + (i + 1) + "\">" + cell + "</a>" : cell)
                        .append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n<dl class=\"legend\">\n");
        for (String entry : ReportTable.legend()) {
            int eq = entry.indexOf(" = ");
            h.append("<dt>").append(escape(entry.substring(0, eq))).append("</dt><dd>").append(escape(entry.substring(eq + 3)))
                    .append("</dd>\n");
        }
        h.append("</dl>\n");
        for (int i = 0; i < charts.size(); i++) {
            String caption = (i < rows.size() ? rows.get(i).get(0) + ": " + rows.get(i).get(1) + ", " + rows.get(i).get(ReportTable.header().indexOf("outcome")) : "");
            String file = charts.get(i).getFileName().toString();
            h.append("<figure id=\"chart-").append(i + 1).append("\">\n<img src=\"")
                    .append(escape(URLEncoder.encode(file, StandardCharsets.UTF_8).replace("+", "%20")))
                    .append("\" alt=\"").append(escape("chart of " + caption)).append("\" width=\"").append(MigrationChart.WIDTH_PX)
                    .append("\" height=\"").append(MigrationChart.HEIGHT_PX).append("\">\n<figcaption>").append(escape(caption))
                    .append("</figcaption>\n</figure>\n");
        }
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    /** HTML text and attribute escaping. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
