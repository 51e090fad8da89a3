// SPDX-License-Identifier: Apache-2.0
package io.migov.report;

import io.migov.sim.BenchTable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The bench as bar charts, one PNG each: median total time, median post-copy page requests and
 * median degradation per workload (x) and policy (one bar each), from a {@link BenchTable}.
 */
public final class BenchCharts {

    private BenchCharts() {
    }

    /** Writes {@code bench-total-time.png}, {@code bench-postcopy-requests.png}, {@code bench-degradation.png}. */
    public static List<Path> write(BenchTable table, Path directory) throws IOException {
        System.setProperty("java.awt.headless", "true");
        return List.of(
                chart(table, directory, "bench-total-time", "median total migration time", "s", BenchTable.Cell::medianTotalSeconds),
                chart(table, directory, "bench-postcopy-requests", "median post-copy page requests", "page requests",
                        BenchTable.Cell::medianPostcopyRequests),
                chart(table, directory, "bench-degradation", "median degradation (ops during ÷ ops before; 1 = unharmed)",
                        "ops during ÷ before", BenchTable.Cell::medianDegradation));
    }

    private static Path chart(BenchTable table, Path directory, String stem, String title, String yTitle,
                              ToDoubleFunction<BenchTable.Cell> value) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(Math.max(900, 160 * table.workloads().size())).height(600).title(title)
                .xAxisTitle("workload").yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setAvailableSpaceFill(0.9);
        chart.getStyler().setXAxisLabelRotation(30);
        for (String policy : table.policies()) {
            List<Double> y = new ArrayList<>();
            for (String w : table.workloads()) {
                BenchTable.Cell c = table.cell(w, policy);
                double v = c == null ? Double.NaN : value.applyAsDouble(c);
                y.add(Double.isNaN(v) ? null : v); // no bar where nothing is known
            }
            chart.addSeries(policy, table.workloads(), y);
        }
        Path out = directory.resolve(stem + ".png");
        BitmapEncoder.saveBitmap(chart, out.toString(), BitmapEncoder.BitmapFormat.PNG);
        return out;
    }
}
