package io.migov.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One PNG per migration: remaining MiB and dirty rate (pages/s) per pre-copy pass, with the pass
 * where migov acted marked.
 */
public final class MigrationChart {

    private MigrationChart() {
    }

    public static Path write(JsonNode record, Path directory, String fileStem) throws IOException {
        System.setProperty("java.awt.headless", "true");
        JsonNode passes = record.path("passes");
        List<Double> x = new ArrayList<>();
        List<Double> remaining = new ArrayList<>();
        List<Double> xDirty = new ArrayList<>();
        List<Double> dirty = new ArrayList<>();
        for (JsonNode p : passes) {
            double iteration = p.path("iteration").asDouble();
            x.add(iteration);
            remaining.add(p.path("remaining_bytes").asDouble() / 1048576.0);
            JsonNode d = p.get("dirty_rate_pages_per_second");
            if (d != null && !d.isNull()) {
                xDirty.add(iteration);
                dirty.add(d.asDouble());
            }
        }
        String title = String.format(Locale.ROOT, "%s (%s): %s, %s%s; %s, TMT %s ms, downtime %s ms",
                record.path("vm").asText(), record.path("mode").asText(), record.path("strategy").asText(),
                record.path("action").asText(),
                record.path("action_iteration").asInt(-1) >= 0 ? " at pass " + record.path("action_iteration").asInt() : "",
                record.path("completed").asBoolean() ? "completed" : "not completed",
                ReportTable.known(record, "total_time_ms"), ReportTable.known(record, "downtime_ms"));
        XYChart chart = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle("pre-copy pass").yAxisTitle("remaining (MiB)").build();
        chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(12f));
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        chart.getStyler().setXAxisDecimalPattern("0");
        if (x.isEmpty()) {
            x.add(0.0);
            remaining.add(0.0);
        }
        XYSeries r = chart.addSeries("remaining MiB", x, remaining);
        r.setMarker(SeriesMarkers.CIRCLE);
        r.setYAxisGroup(0);
        if (!dirty.isEmpty()) {
            XYSeries d = chart.addSeries("dirty rate (pages/s)", xDirty, dirty);
            d.setMarker(SeriesMarkers.DIAMOND);
            d.setYAxisGroup(1);
            chart.setYAxisGroupTitle(1, "dirty rate (pages/s)");
        }
        int actionIteration = record.path("action_iteration").asInt(-1);
        if (actionIteration >= 0 && !"none".equals(record.path("action").asText())) {
            double top = remaining.stream().mapToDouble(Double::doubleValue).max().orElse(1);
            XYSeries mark = chart.addSeries(record.path("action").asText() + " @ pass " + actionIteration,
                    List.of((double) actionIteration, (double) actionIteration), List.of(0.0, Math.max(1, top)));
            mark.setYAxisGroup(0);
            mark.setLineColor(Color.RED);
            mark.setMarker(SeriesMarkers.NONE);
            mark.setLineStyle(new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f));
        }
        Path out = directory.resolve(fileStem + ".png");
        BitmapEncoder.saveBitmap(chart, out.toString(), BitmapEncoder.BitmapFormat.PNG);
        return out;
    }
}
