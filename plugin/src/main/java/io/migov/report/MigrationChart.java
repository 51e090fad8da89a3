// SPDX-License-Identifier: Apache-2.0
package io.migov.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.font.FontRenderContext;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One PNG per migration, on a time axis: seconds since the migration began (x), remaining MiB
 * (left axis, from zero), dirty and transfer rate in MiB/s (right axis, from zero), the start of
 * every pre-copy pass as a dotted line labelled "pass N", every action carried out at the
 * moment it was carried out with its value, the post-copy phase as a shaded span from the switch
 * to the end, and the end of the migration with its outcome. The legend sits outside the plot.
 *
 * <p>A record has no per-second post-copy series, only the final count of page requests: the
 * post-copy phase is drawn as a span annotated with that total, and the legend says so.
 *
 * <p>Rendering is deterministic: fixed size, nothing taken from the clock.
 */
public final class MigrationChart {

    /** Chart size in pixels. */
    static final int WIDTH_PX = 1200;
    static final int HEIGHT_PX = 700;

    /**
     * Guest page size behind the dirty-rate conversion (libvirt reports dirty pages/s; the record
     * does not carry the page size). 4 KiB is the x86 page the dirty log tracks, and the
     * governor's own default ({@code pageSizeBytes}).
     */
    static final double PAGE_BYTES = 4096;

    /** Share of each y axis kept free above the data for the labels, as a factor on the data's maximum. */
    private static final double HEADROOM = 1.4;
    private static final double MIB = 1048576.0;
    private static final int LABEL_GAP_PX = 6;
    /** Distance of a label from its line. */
    static final int LABEL_OFFSET_PX = 4;

    private static final Color REMAINING = new Color(31, 119, 180);
    private static final Color DIRTY = new Color(214, 39, 40);
    private static final Color TRANSFER = new Color(44, 160, 44);
    private static final Color SWITCH = new Color(230, 85, 13);
    private static final Color DOWNTIME = new Color(117, 54, 163);
    private static final Color ABORT = Color.BLACK;
    private static final Color PASS = new Color(150, 150, 150);
    private static final Color END = new Color(60, 60, 60);
    private static final Color POSTCOPY_FILL = new Color(253, 174, 107, 90);

    private MigrationChart() {
    }

    /**
     * A text drawn on the chart.
     *
     * @param text      what it says
     * @param xSeconds  the moment it belongs to (its line), seconds since the migration began
     * @param drawn     the library's annotation, beside its line (kept inside the plot)
     */
    public record Label(String text, double xSeconds, AnnotationText drawn) {
    }

    /** The chart, laid out, and the labels drawn on it. */
    public record Drawing(XYChart chart, List<Label> labels) {
    }

    public static Path write(JsonNode record, Path directory, String fileStem) throws IOException {
        Drawing d = draw(record);
        Path out = directory.resolve(fileStem + ".png");
        BitmapEncoder.saveBitmap(d.chart(), out.toString(), BitmapEncoder.BitmapFormat.PNG);
        return out;
    }

    /** Builds and lays out the chart for one migration record. */
    public static Drawing draw(JsonNode record) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(WIDTH_PX).height(HEIGHT_PX).title(title(record))
                .xAxisTitle("seconds since the migration began").yAxisTitle("remaining (MiB)").build();
        XYStyler s = chart.getStyler();
        s.setChartTitleFont(s.getChartTitleFont().deriveFont(13f));
        // below the plot: the time axis keeps the full width, and no entry can cover a data point
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Vertical);
        s.setLegendFont(s.getLegendFont().deriveFont(11f));
        s.setAnnotationTextFont(s.getAnnotationTextFont().deriveFont(Font.PLAIN, 11f));
        s.setAnnotationTextFontColor(Color.DARK_GRAY);
        s.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setXAxisDecimalPattern("0.#");
        s.setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        s.setPlotGridVerticalLinesVisible(false);

        List<Pass> passes = passes(record);
        List<Act> acts = actions(record, passes);
        long totalMs = record.path("total_time_ms").asLong(-1);
        double lastSeen = 0;
        for (Pass p : passes) {
            lastSeen = Math.max(lastSeen, p.seconds);
        }
        for (Act a : acts) {
            lastSeen = Math.max(lastSeen, a.seconds);
        }
        double endSeconds = totalMs >= 0 ? totalMs / 1000.0 : lastSeen;
        double xMax = niceCeil(Math.max(endSeconds, lastSeen) * 1.03);
        s.setXAxisMin(0.0);
        s.setXAxisMax(xMax);

        double remainingMax = 0;
        double rateMax = 0;
        List<Double> xr = new ArrayList<>();
        List<Double> remaining = new ArrayList<>();
        List<Double> xd = new ArrayList<>();
        List<Double> dirty = new ArrayList<>();
        List<Double> xt = new ArrayList<>();
        List<Double> transfer = new ArrayList<>();
        for (Pass p : passes) {
            xr.add(p.seconds);
            remaining.add(p.remainingMiB);
            remainingMax = Math.max(remainingMax, p.remainingMiB);
            if (!Double.isNaN(p.dirtyMiBps)) {
                xd.add(p.seconds);
                dirty.add(p.dirtyMiBps);
                rateMax = Math.max(rateMax, p.dirtyMiBps);
            }
            if (!Double.isNaN(p.transferMiBps)) {
                xt.add(p.seconds);
                transfer.add(p.transferMiBps);
                rateMax = Math.max(rateMax, p.transferMiBps);
            }
        }
        // zero-based axes with room above the data for the labels; a constant (or zero) series still
        // gets an axis with several ticks because the range never collapses to a point
        double leftMax = niceCeil(Math.max(1, remainingMax) * HEADROOM);
        double rightMax = niceCeil(Math.max(1, rateMax) * HEADROOM);
        s.setYAxisMin(0, 0.0);
        s.setYAxisMax(0, leftMax);
        s.setYAxisMin(1, 0.0);
        s.setYAxisMax(1, rightMax);

        // the post-copy phase first, so that every line is drawn over it
        Act switchAct = acts.stream().filter(a -> a.kind.equals("switch_to_postcopy")).findFirst().orElse(null);
        boolean postcopyRan = record.path("postcopy_confirmed").asBoolean(false) || record.path("postcopy_requests").asLong(0) > 0;
        if (switchAct != null && postcopyRan && endSeconds > switchAct.seconds) {
            XYSeries span = chart.addSeries("post-copy phase", new double[] {switchAct.seconds, endSeconds}, new double[] {leftMax, leftMax});
            span.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
            span.setFillColor(POSTCOPY_FILL);
            span.setLineColor(POSTCOPY_FILL);
            span.setMarker(SeriesMarkers.NONE);
            span.setYAxisGroup(0);
            span.setLabel(String.format(Locale.ROOT, "post-copy phase: %d page requests in all (the record has no per-second count)",
                    record.path("postcopy_requests").asLong(0)));
        }

        if (xr.isEmpty()) {
            // no pass known: an empty series keeps the left axis (and its title) on the chart
            xr.add(0.0);
            remaining.add(0.0);
        }
        series(chart, "remaining", xr, remaining, "remaining (MiB, left axis)", SeriesMarkers.CIRCLE, REMAINING, 0);
        if (!dirty.isEmpty()) {
            series(chart, "dirty rate", xd, dirty, "dirty rate (MiB/s, right axis; pages/s × 4 KiB)", SeriesMarkers.DIAMOND, DIRTY, 1);
        }
        if (!transfer.isEmpty()) {
            series(chart, "transfer rate", xt, transfer, "transfer rate (MiB/s, right axis)", SeriesMarkers.SQUARE, TRANSFER, 1);
        }
        if (!dirty.isEmpty() || !transfer.isEmpty()) {
            chart.setYAxisGroupTitle(1, "rate (MiB/s)");
        }

        List<Label> labels = new ArrayList<>();
        BasicStroke dotted = new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {2f, 4f}, 0f);
        for (int i = 0; i < passes.size(); i++) {
            Pass p = passes.get(i);
            XYSeries line = vertical(chart, "pass " + p.iteration, p.seconds, leftMax, PASS, dotted);
            line.setShowInLegend(i == 0);
            line.setLabel("start of a pre-copy pass (dotted)");
            labels.add(label(chart, "pass " + p.iteration, p.seconds, leftMax * 0.97));
        }
        BasicStroke dashed = new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 5f}, 0f);
        for (int i = 0; i < acts.size(); i++) {
            Act a = acts.get(i);
            Color c = switch (a.kind) {
                case "switch_to_postcopy" -> SWITCH;
                case "raise_downtime" -> DOWNTIME;
                default -> ABORT;
            };
            String text = a.describe();
            XYSeries line = vertical(chart, "action " + (i + 1), a.seconds, leftMax, c, dashed);
            line.setLabel(text);
            // staggered rows below the pass labels, so that nova's close downtime steps stay readable
            labels.add(label(chart, text, a.seconds, leftMax * (0.90 - 0.065 * (i % 4))));
        }
        if (totalMs >= 0) {
            long downtimeMs = record.path("downtime_ms").asLong(-1);
            String text = String.format(Locale.ROOT, "%s at %s s", ReportTable.outcome(record), seconds(endSeconds));
            XYSeries line = vertical(chart, "end", endSeconds, leftMax, END, new BasicStroke(1.5f));
            // the downtime goes in the legend (and the title): on the plot a long label would cross the action lines
            line.setLabel("end: " + text + (downtimeMs >= 0 ? ", downtime " + downtimeMs + " ms" : ""));
            labels.add(label(chart, text, endSeconds, leftMax * 0.90 - leftMax * 0.065 * Math.min(acts.size(), 4)));
        }
        layOut(chart, labels);
        return new Drawing(chart, List.copyOf(labels));
    }

    /**
     * Lays the chart out once on a scratch image, then places each label just right of its line
     * (left of it where the plot ends first), so that the line does not strike it through and it
     * stays inside the plot, and hides the pass labels that would run into the previous one.
     */
    private static void layOut(XYChart chart, List<Label> labels) {
        BufferedImage scratch = new BufferedImage(WIDTH_PX, HEIGHT_PX, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = scratch.createGraphics();
        try {
            chart.paint(g, WIDTH_PX, HEIGHT_PX);
            FontRenderContext frc = g.getFontRenderContext();
            Font font = chart.getStyler().getAnnotationTextFont();
            double left = chart.getScreenXFromChart(chart.getStyler().getXAxisMin());
            double right = chart.getScreenXFromChart(chart.getStyler().getXAxisMax());
            double lastPassRight = Double.NEGATIVE_INFINITY;
            for (Label l : labels) {
                double w = font.getStringBounds(l.text(), frc).getWidth();
                double line = chart.getScreenXFromChart(l.xSeconds());
                double centre = line + LABEL_OFFSET_PX + w / 2;
                if (centre + w / 2 > right - 2) {
                    centre = line - LABEL_OFFSET_PX - w / 2;
                }
                centre = Math.max(left + w / 2 + 2, centre);
                l.drawn().setX(chart.getChartXFromCoordinate((int) Math.round(centre)));
                if (l.text().startsWith("pass ")) {
                    boolean room = centre - w / 2 >= lastPassRight + LABEL_GAP_PX;
                    l.drawn().setVisible(room);
                    if (room) {
                        lastPassRight = centre + w / 2;
                    }
                }
            }
        } finally {
            g.dispose();
        }
    }

    private static XYSeries vertical(XYChart chart, String name, double x, double top, Color color, BasicStroke stroke) {
        XYSeries line = chart.addSeries(name, new double[] {x, x}, new double[] {0, top});
        line.setYAxisGroup(0);
        line.setLineColor(color);
        line.setLineStyle(stroke);
        line.setMarker(SeriesMarkers.NONE);
        return line;
    }

    private static Label label(XYChart chart, String text, double x, double yLeftAxis) {
        AnnotationText t = new AnnotationText(text, x, yLeftAxis, false);
        chart.addAnnotation(t);
        return new Label(text, x, t);
    }

    private static String title(JsonNode r) {
        return String.format(Locale.ROOT, "%s (%s, policy %s, strategy %s): %s; TMT %s ms, downtime %s ms",
                r.path("vm").asText(), r.path("mode").asText(), r.path("policy").asText("?"), r.path("strategy").asText(),
                ReportTable.outcome(r), ReportTable.known(r, "total_time_ms"), ReportTable.known(r, "downtime_ms"));
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.1f", s);
    }

    /** The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k that is ≥ v (v > 0): a round axis end. */
    static double niceCeil(double v) {
        if (!(v > 0)) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (m * magnitude >= v - 1e-9 * magnitude) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    /** One pass with a known time; rates NaN where libvirt had not measured them yet. */
    private record Pass(int iteration, double seconds, double remainingMiB, double dirtyMiBps, double transferMiBps) {
    }

    private static List<Pass> passes(JsonNode record) {
        List<Pass> out = new ArrayList<>();
        for (JsonNode p : record.path("passes")) {
            long elapsed = p.path("elapsed_millis").asLong(-1);
            if (elapsed < 0) {
                continue; // no time, no place on a time axis
            }
            JsonNode d = p.get("dirty_rate_pages_per_second");
            double dirty = d == null || d.isNull() ? Double.NaN : d.asDouble() * PAGE_BYTES / MIB;
            // libvirt reports memory_bps 0 until it has measured a pass: not a transfer rate of zero
            double bps = p.path("transfer_rate_bytes_per_second").asDouble(0);
            out.add(new Pass(p.path("iteration").asInt(), elapsed / 1000.0, p.path("remaining_bytes").asDouble() / MIB, dirty,
                    bps > 0 ? bps / MIB : Double.NaN));
        }
        return out;
    }

    /** One action placed on the time axis. */
    private record Act(String kind, int iteration, double seconds, long downtimeMs, boolean timeFromPass) {

        String describe() {
            String what = switch (kind) {
                case "switch_to_postcopy" -> "switch to post-copy";
                case "raise_downtime" -> downtimeMs >= 0 ? "max downtime " + downtimeMs + " ms" : "raise downtime";
                case "abort" -> "abort";
                default -> kind;
            };
            String when = timeFromPass
                    ? ReportTable.atPass(iteration) + " (time not recorded; drawn at the start of pass " + Math.max(1, iteration) + ")"
                    : String.format(Locale.ROOT, "at %s s, %s", MigrationChart.seconds(seconds), ReportTable.atPass(iteration));
            return what + " " + when;
        }
    }

    /**
     * The actions with their real elapsed time ({@code actions[].elapsed_millis}). A record without
     * {@code actions} (older format) or with an unknown time falls back to the start of the pass the
     * action was decided at, and says so.
     */
    private static List<Act> actions(JsonNode record, List<Pass> passes) {
        List<Act> out = new ArrayList<>();
        JsonNode list = record.path("actions");
        if (list.isArray() && !list.isEmpty()) {
            for (JsonNode a : list) {
                int iteration = a.path("iteration").asInt(-1);
                long elapsed = a.path("elapsed_millis").asLong(-1);
                long downtime = a.path("downtime_millis").asLong(-1);
                Act act = elapsed >= 0 ? new Act(a.path("action").asText(), iteration, elapsed / 1000.0, downtime, false)
                        : fromPass(a.path("action").asText(), iteration, downtime, passes);
                if (act != null) {
                    out.add(act);
                }
            }
            return out;
        }
        String kind = record.path("action").asText("none");
        int iteration = record.path("action_iteration").asInt(-1);
        if (!kind.equals("none") && iteration >= 0) {
            Act act = fromPass(kind, iteration, record.path("downtime_limit_ms").asLong(-1), passes);
            if (act != null) {
                out.add(act);
            }
        }
        return out;
    }

    private static Act fromPass(String kind, int iteration, long downtimeMs, List<Pass> passes) {
        for (Pass p : passes) {
            if (p.iteration == Math.max(1, iteration)) {
                return new Act(kind, iteration, p.seconds, downtimeMs, true);
            }
        }
        return null; // neither a time nor a pass to place it at: not drawn rather than drawn at a guess
    }

    /** One measured series: its legend label, marker, colour (line and marker alike) and y axis (0 left, 1 right). */
    private static void series(XYChart chart, String name, List<Double> x, List<Double> y, String label,
                               Marker marker, Color color, int yAxisGroup) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setLabel(label);
        s.setMarker(marker);
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setYAxisGroup(yAxisGroup);
    }
}
