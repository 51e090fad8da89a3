// SPDX-License-Identifier: Apache-2.0
package io.migov.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MigrationChartTest {

    private static final double MIBPS_AT_25000_PAGES_PER_S = 25000 * 4096 / 1048576.0;

    @TempDir
    Path dir;

    private static MigrationChart.Drawing postcopy() {
        return MigrationChart.draw(Records.json(Records.switchedBeforePass1()));
    }

    private static MigrationChart.Drawing raised() {
        return MigrationChart.draw(Records.json(Records.raisedAtPass3()));
    }

    private static MigrationChart.Label label(MigrationChart.Drawing d, String prefix) {
        return d.labels().stream().filter(l -> l.text().startsWith(prefix)).findFirst().orElseThrow(() -> new AssertionError(
                "no label " + prefix + " in " + d.labels()));
    }

    /** Paints the chart as the PNG encoder does, so that the labels' bounds are where they are drawn. */
    private static void paint(XYChart chart) {
        BufferedImage image = new BufferedImage(chart.getWidth(), chart.getHeight(), BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        chart.paint(g, chart.getWidth(), chart.getHeight());
        g.dispose();
    }

    @Test
    void draw_xAxis_isSecondsSinceTheStartFromZeroToPastTheEnd() {
        XYChart chart = raised().chart();
        assertEquals("seconds since the migration began", chart.getXAxisTitle());
        assertEquals(0.0, chart.getStyler().getXAxisMin());
        assertTrue(chart.getStyler().getXAxisMax() >= 6.65, "the end at total_time_ms is inside the axis");
    }

    @Test
    void draw_passes_markedAtTheirElapsedSecondsAndLabelled() {
        MigrationChart.Drawing d = raised();
        XYSeries pass2 = d.chart().getSeriesMap().get("pass 2");
        assertArrayEquals(new double[] {2.61, 2.61}, pass2.getXData(), 1e-9);
        assertEquals(2.61, label(d, "pass 2").xSeconds(), 1e-9);
    }

    @Test
    void draw_rates_areOnTheRightAxisAndRemainingOnTheLeftFromZero() {
        XYChart chart = raised().chart();
        assertEquals(Styler.YAxisPosition.Right, chart.getStyler().getYAxisGroupPosistion(1));
        assertEquals(0, chart.getSeriesMap().get("remaining").getYAxisGroup());
        assertEquals(1, chart.getSeriesMap().get("dirty rate").getYAxisGroup());
        assertEquals(1, chart.getSeriesMap().get("transfer rate").getYAxisGroup());
        assertEquals("rate (MiB/s)", chart.getYAxisGroupTitle(1));
        assertEquals(0.0, chart.getStyler().getYAxisMin(0));
        assertEquals(0.0, chart.getStyler().getYAxisMin(1));
        // on the right: the rate axis' zero is drawn at the same height as the left one's, and the
        // left margin holds one axis (a second left axis would push the plot further right)
        paint(chart);
        assertEquals(chart.getScreenYFromChart(0, 0), chart.getScreenYFromChart(0, 1), 0.5);
        assertTrue(chart.getYAxisLeftWidth() < 80, "one axis on the left: " + chart.getYAxisLeftWidth());
    }

    @Test
    void draw_constantDirtyRate_rightAxisSpansWellAboveTheData() {
        XYChart chart = raised().chart();
        assertArrayEquals(new double[] {MIBPS_AT_25000_PAGES_PER_S, MIBPS_AT_25000_PAGES_PER_S},
                chart.getSeriesMap().get("dirty rate").getYData(), 1e-9);
        double max = chart.getStyler().getYAxisMax(1);
        assertTrue(max >= 1.3 * 99, "padded above the transfer rate (99 MiB/s), not collapsed onto a constant: " + max);
        assertTrue(chart.getStyler().getYAxisMax(0) >= 1.3 * 512, "remaining MiB padded likewise");
    }

    @Test
    void draw_unmeasuredFirstPass_hasNoRatePoint() {
        XYChart chart = raised().chart();
        assertEquals(2, chart.getSeriesMap().get("dirty rate").getXData().length, "pass 1: dirty rate not known yet");
        assertEquals(2, chart.getSeriesMap().get("transfer rate").getXData().length, "pass 1: libvirt's 0 means not measured");
        assertEquals(3, chart.getSeriesMap().get("remaining").getXData().length);
    }

    @Test
    void draw_raiseDowntime_markedAtItsElapsedSecondsWithTheLimit() {
        MigrationChart.Drawing d = raised();
        XYSeries action = d.chart().getSeriesMap().get("action 1");
        assertArrayEquals(new double[] {3.31, 3.31}, action.getXData(), 1e-9);
        assertEquals("max downtime 3138 ms at 3.3 s, pass 3", action.getLabel());
        MigrationChart.Label l = label(d, "max downtime 3138 ms");
        paint(d.chart());
        assertEquals(d.chart().getScreenXFromChart(3.31) + MigrationChart.LABEL_OFFSET_PX, l.drawn().getBounds().getMinX(), 1.5,
                "label just right of its line, not struck through by it");
    }

    @Test
    void draw_switchBeforeTheFirstPass_drawnWhenItHappenedAndSaysBeforePass1() {
        MigrationChart.Drawing d = postcopy();
        XYSeries action = d.chart().getSeriesMap().get("action 1");
        assertArrayEquals(new double[] {0.18, 0.18}, action.getXData(), 1e-9);
        assertEquals("switch to post-copy at 0.2 s, before pass 1", action.getLabel());
        assertTrue(d.labels().stream().noneMatch(l -> l.text().contains("pass 0")), d.labels().toString());
        // near the y axis the label is kept inside the plot rather than centred past its left edge
        MigrationChart.Label l = label(d, "switch to post-copy");
        paint(d.chart());
        assertTrue(l.drawn().getBounds().getMinX() >= d.chart().getScreenXFromChart(0), "inside the plot");
    }

    @Test
    void draw_postcopy_shadedFromTheSwitchToTheEndWithItsPageRequests() {
        XYChart chart = postcopy().chart();
        XYSeries span = chart.getSeriesMap().get("post-copy phase");
        assertEquals(XYSeries.XYSeriesRenderStyle.Area, span.getXYSeriesRenderStyle());
        assertArrayEquals(new double[] {0.18, 3.604}, span.getXData(), 1e-9);
        assertTrue(span.getLabel().contains("8491 page requests"), span.getLabel());
        assertTrue(span.getLabel().contains("no per-second count"), "says what the record lacks: " + span.getLabel());
    }

    @Test
    void draw_noPostcopy_noShadedPhase() {
        assertNull(raised().chart().getSeriesMap().get("post-copy phase"));
    }

    @Test
    void draw_end_markedAtTotalTimeWithTheOutcomeAndDowntime() {
        MigrationChart.Drawing d = raised();
        assertArrayEquals(new double[] {6.65, 6.65}, d.chart().getSeriesMap().get("end").getXData(), 1e-9);
        assertEquals(6.65, label(d, "completed at 6.7 s").xSeconds(), 1e-9);
        assertEquals("end: completed at 6.7 s, downtime 4 ms", d.chart().getSeriesMap().get("end").getLabel());
    }

    @Test
    void draw_labelNearThePlotsRightEnd_goesLeftOfItsLine() {
        MigrationChart.Drawing d = postcopy(); // ends at 3.604 s on an axis to 4 s: no room right of the line
        MigrationChart.Label l = label(d, "completed at 3.6 s");
        paint(d.chart());
        double line = d.chart().getScreenXFromChart(3.604);
        assertEquals(line - MigrationChart.LABEL_OFFSET_PX, l.drawn().getBounds().getMaxX(), 1.5);
    }

    @Test
    void draw_recordWithoutActionTimes_placesTheActionAtItsPassAndSaysSo() {
        var n = (com.fasterxml.jackson.databind.node.ObjectNode) Records.json(Records.raisedAtPass3());
        n.putArray("actions");
        MigrationChart.Drawing d = MigrationChart.draw(n);
        assertArrayEquals(new double[] {3.29, 3.29}, d.chart().getSeriesMap().get("action 1").getXData(), 1e-9);
        assertTrue(d.chart().getSeriesMap().get("action 1").getLabel().contains("time not recorded"));
    }

    @Test
    void draw_legend_isOutsideThePlotAndOnlyOnePassEntry() {
        XYChart chart = raised().chart();
        assertEquals(Styler.LegendPosition.OutsideS, chart.getStyler().getLegendPosition());
        assertEquals(1, chart.getSeriesMap().values().stream().filter(s -> s.getName().startsWith("pass ") && s.isShowInLegend()).count());
    }

    @Test
    void write_sameRecordTwice_sameBytes() throws Exception {
        Path a = MigrationChart.write(Records.json(Records.switchedBeforePass1()), dir, "a");
        Path b = MigrationChart.write(Records.json(Records.switchedBeforePass1()), dir, "b");
        assertTrue(Files.size(a) > 5000, "a real chart");
        assertTrue(Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(b)), "deterministic rendering");
    }

    @Test
    void niceCeil_roundsUpToARoundAxisEnd() {
        assertEquals(150, MigrationChart.niceCeil(137), 1e-9);
        assertEquals(800, MigrationChart.niceCeil(716.8), 1e-9);
        assertEquals(1, MigrationChart.niceCeil(0), 1e-9);
        assertEquals(10, MigrationChart.niceCeil(10), 1e-9);
    }
}
