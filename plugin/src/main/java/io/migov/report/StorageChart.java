// SPDX-License-Identifier: Apache-2.0
package io.migov.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One PNG per storage migration (a record with {@code storage.series}): seconds since storage
 * steering began (x); on the left axis in MiB/s the copy speed set on the mirror, the
 * interference-PID's speed, the copy's measured rate and the neighbours' I/O (the device's
 * throughput minus the copy's rate: what the host can tell of the co-located workloads); on the
 * right axis the interference probability and the hysteresis state (1 on, 0 off).
 *
 * <p>Rendering is deterministic: fixed size, nothing taken from the clock.
 */
public final class StorageChart {

    static final int WIDTH_PX = MigrationChart.WIDTH_PX;
    static final int HEIGHT_PX = MigrationChart.HEIGHT_PX;
    private static final double MIB = 1048576.0;

    private StorageChart() {
    }

    /** The record has a storage series to draw. */
    public static boolean applies(JsonNode record) {
        return record.path("storage").path("series").size() > 0;
    }

    public static Path write(JsonNode record, Path directory, String fileStem) throws IOException {
        XYChart chart = draw(record);
        Path out = directory.resolve(fileStem + "-storage.png");
        BitmapEncoder.saveBitmap(chart, out.toString(), BitmapEncoder.BitmapFormat.PNG);
        return out;
    }

    /** Builds the chart; a record without a storage series is refused, naming the field. */
    public static XYChart draw(JsonNode record) {
        JsonNode series = record.path("storage").path("series");
        if (series.size() == 0) {
            throw new IllegalArgumentException("storage.series: expected per-second points, got none");
        }
        System.setProperty("java.awt.headless", "true");
        JsonNode st = record.path("storage");
        XYChart chart = new XYChartBuilder().width(WIDTH_PX).height(HEIGHT_PX)
                .title(String.format(Locale.ROOT, "%s — storage steering on %s: %d s (%d with interference, %d buffered), %.0f MiB prefetched, lever %s",
                        record.path("vm").asText("?"), st.path("device").asText("?"), st.path("steps").asInt(),
                        st.path("interference_seconds").asInt(), st.path("buffered_seconds").asInt(),
                        st.path("prefetched_bytes").asLong() / MIB, st.path("lever").asText("?").split(":", 2)[0]))
                .xAxisTitle("seconds since storage steering began").yAxisTitle("MiB/s").build();
        XYStyler s = chart.getStyler();
        s.setChartTitleFont(s.getChartTitleFont().deriveFont(13f));
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Vertical);
        s.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        s.setPlotGridVerticalLinesVisible(false);
        s.setXAxisMin(0.0);

        List<Double> x = new ArrayList<>();
        List<Double> speed = new ArrayList<>();
        List<Double> pid = new ArrayList<>();
        List<Double> xCopy = new ArrayList<>();
        List<Double> copy = new ArrayList<>();
        List<Double> others = new ArrayList<>();
        List<Double> probability = new ArrayList<>();
        List<Double> on = new ArrayList<>();
        double max = 1;
        for (JsonNode p : series) {
            double t = p.path("second").asDouble();
            x.add(t);
            speed.add(p.path("speed_bytes_per_second").asDouble() / MIB);
            pid.add(p.path("pid_bytes_per_second").asDouble() / MIB);
            probability.add(p.path("probability").asDouble());
            on.add(p.path("interference").asBoolean() ? 1.0 : 0.0);
            max = Math.max(max, Math.max(speed.get(speed.size() - 1), pid.get(pid.size() - 1)));
            long c = p.path("copy_bytes_per_second").asLong(-1);
            long o = p.path("others_bytes_per_second").asLong(-1);
            if (c >= 0 && o >= 0) {
                xCopy.add(t);
                copy.add(c / MIB);
                others.add(o / MIB);
                max = Math.max(max, Math.max(c, o) / MIB);
            }
        }
        s.setYAxisMin(0, 0.0);
        s.setYAxisMax(0, Math.ceil(max * 1.15));
        s.setYAxisMin(1, 0.0);
        s.setYAxisMax(1, 1.0);
        line(chart, "copy speed set (MiB/s)", x, speed, new Color(31, 119, 180), 2f, 0);
        line(chart, "interference-PID speed (MiB/s)", x, pid, new Color(31, 119, 180), 1f, 0)
                .setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
        if (!xCopy.isEmpty()) {
            line(chart, "copy rate measured (MiB/s)", xCopy, copy, new Color(44, 160, 44), 1.5f, 0);
            line(chart, "neighbours' I/O: device throughput − copy rate (MiB/s)", xCopy, others, new Color(148, 103, 189), 1.5f, 0);
        }
        line(chart, "interference probability (right axis)", x, probability, new Color(214, 39, 40), 1.5f, 1);
        line(chart, "hysteresis: interference on = 1 (right axis)", x, on, new Color(255, 127, 14), 1f, 1)
                .setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        return chart;
    }

    private static XYSeries line(XYChart chart, String name, List<Double> x, List<Double> y, Color color, float width, int axis) {
        XYSeries series = chart.addSeries(name, x, y);
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(color);
        series.setLineWidth(width);
        series.setYAxisGroup(axis);
        return series;
    }
}
