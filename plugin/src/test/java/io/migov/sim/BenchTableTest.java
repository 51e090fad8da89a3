// SPDX-License-Identifier: Apache-2.0
package io.migov.sim;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bench table on a hand-made CSV: medians, geometric means, and each target judged. */
class BenchTableTest {

    /** Columns in another order than the writer's, as the lab bench may write them. */
    private static final String HEADER = "policy,workload,rep,completed,total_time_ms,postcopy_requests,degradation,action,"
            + "action_iteration,reason,outcome,downtime_ms,bytes_sent,passes,integrity_failures,ops_before,ops_during";

    private static String line(String policy, String workload, int rep, boolean completed, long totalMs, long requests, String degradation,
                               String action, int at) {
        return String.join(",", policy, workload, Integer.toString(rep), Boolean.toString(completed), Long.toString(totalMs),
                Long.toString(requests), degradation, action, Integer.toString(at), "\"because, \"\"quoted\"\"\"",
                completed ? "completed" : "timeout", completed ? "20" : "", "1048576", "3", "", "", "");
    }

    private static final String CSV = String.join("\n", HEADER,
            // idle: migov 3 runs (median 1.2 s), precopy 2 runs (median 1.125 s)
            line("migov", "idle", 1, true, 1000, 0, "0.98", "none", -1),
            line("migov", "idle", 2, true, 1200, 0, "0.97", "none", -1),
            line("migov", "idle", 3, true, 5000, 0, "0.99", "none", -1),
            line("precopy", "idle", 1, true, 1100, 0, "0.99", "none", -1),
            line("precopy", "idle", 2, true, 1150, 0, "0.99", "none", -1),
            line("always-postcopy", "idle", 1, true, 900, 200, "0.99", "switch_to_postcopy", 0),
            line("hybrid(4)", "idle", 1, true, 1200, 0, "0.99", "none", -1),
            line("kubevirt-stall", "idle", 1, true, 1300, 0, "", "none", -1),
            line("nova-force-complete", "idle", 1, true, 1400, 0, "-1", "raise_downtime", 0),
            // quiet: migov switches and pays 50 page requests; always-postcopy is faster with fewer
            line("migov", "quiet", 1, true, 2000, 50, "0.99", "switch_to_postcopy", 0),
            line("precopy", "quiet", 1, true, 2100, 0, "0.99", "none", -1),
            line("always-postcopy", "quiet", 1, true, 1900, 40, "0.99", "switch_to_postcopy", 0),
            line("hybrid(4)", "quiet", 1, true, 2100, 0, "0.99", "none", -1),
            line("kubevirt-stall", "quiet", 1, true, 2100, 0, "0.99", "none", -1),
            line("nova-force-complete", "quiet", 1, true, 2100, 0, "0.99", "none", -1),
            // heavy: one of migov's three runs timed out
            line("migov", "heavy", 1, true, 4000, 3000, "0.3", "switch_to_postcopy", 0),
            line("migov", "heavy", 2, true, 4200, 3100, "0.3", "switch_to_postcopy", 0),
            line("migov", "heavy", 3, false, 90000, 0, "1.0", "switch_to_postcopy", 0),
            line("precopy", "heavy", 1, false, 90000, 0, "1.0", "none", -1),
            line("always-postcopy", "heavy", 1, true, 4000, 6000, "0.2", "switch_to_postcopy", 0),
            line("hybrid(4)", "heavy", 1, true, 10000, 2000, "0.8", "switch_to_postcopy", 4),
            line("kubevirt-stall", "heavy", 1, true, 20000, 2000, "0.9", "switch_to_postcopy", 9),
            line("nova-force-complete", "heavy", 1, false, 90000, 0, "1.0", "raise_downtime", 0),
            // latewriter: hybrid(4) is the best that starts in pre-copy (always-postcopy switches at 0)
            line("migov", "latewriter", 1, true, 5000, 0, "0.9", "switch_to_postcopy", 3),
            line("precopy", "latewriter", 1, false, 90000, 0, "1.0", "none", -1),
            line("always-postcopy", "latewriter", 1, true, 3000, 500, "0.5", "switch_to_postcopy", 0),
            line("hybrid(4)", "latewriter", 1, true, 4800, 100, "0.9", "switch_to_postcopy", 4),
            line("kubevirt-stall", "latewriter", 1, true, 6000, 100, "0.9", "switch_to_postcopy", 5),
            line("nova-force-complete", "latewriter", 1, true, 9000, 100, "0.9", "switch_to_postcopy", 8)) + "\n";

    private static BenchTable table() throws IOException {
        return BenchTable.of(BenchCsv.read(new StringReader(CSV), "bench.csv"));
    }

    private static BenchTargets.Target target(BenchTable t, String prefix) {
        return t.targets().stream().filter(x -> x.text().startsWith(prefix)).findFirst().orElseThrow(() -> new AssertionError(prefix));
    }

    @Test
    void read_columnsInAnyOrderQuotesAndUnknowns_parseIntoRows() throws IOException {
        List<BenchRow> rows = BenchCsv.read(new StringReader(CSV), "bench.csv");
        assertEquals(29, rows.size());
        BenchRow kv = rows.get(7);
        assertEquals("kubevirt-stall", kv.policy());
        assertEquals("because, \"quoted\"", kv.reason());
        assertTrue(Double.isNaN(kv.degradation()), "empty = unknown");
        assertTrue(Double.isNaN(rows.get(8).degradation()), "-1 = unknown");
        assertEquals(-1, rows.get(17).downtimeMs(), "empty = unknown");
    }

    @Test
    void cell_threeRuns_medianMinMax() throws IOException {
        BenchTable.Cell c = table().cell("idle", "migov");
        assertEquals(3, c.runs());
        assertEquals(3, c.completed());
        assertEquals(1.2, c.medianTotalSeconds(), 1e-12);
        assertEquals(1.0, c.minTotalSeconds(), 1e-12);
        assertEquals(5.0, c.maxTotalSeconds(), 1e-12);
        assertEquals(0.98, c.medianDegradation(), 1e-12);
        assertEquals(1.0, c.medianMiBSent(), 1e-12);
    }

    @Test
    void cell_twoRuns_medianIsTheMeanOfBoth() throws IOException {
        assertEquals(1.125, table().cell("idle", "precopy").medianTotalSeconds(), 1e-12);
    }

    @Test
    void cell_downtimeMedian_onlyOverCompletedRuns() throws IOException {
        BenchTable.Cell c = table().cell("heavy", "migov");
        assertEquals(2, c.completed());
        assertEquals(20, c.medianDowntimeMillis(), 1e-12);
        assertEquals(3000, c.medianPostcopyRequests(), 1e-12);
    }

    @Test
    void summary_geomeanOfMedians_andMigovsRatioToEachPeer() throws IOException {
        BenchTable t = table();
        double migov = Math.pow(1.2 * 2.0 * 4.2 * 5.0, 0.25);
        double kubevirt = Math.pow(1.3 * 2.1 * 20 * 6, 0.25);
        assertEquals(4, t.summary("migov").workloads());
        assertEquals(migov, t.summary("migov").geomeanTotalSeconds(), 1e-9);
        assertEquals(kubevirt, t.summary("kubevirt-stall").geomeanTotalSeconds(), 1e-9);
        assertEquals(migov / kubevirt, t.summary("kubevirt-stall").migovRatio(), 1e-9);
        assertEquals(0 + 50 + 3000 + 0, t.summary("migov").totalPostcopyRequests(), 1e-9);
        assertEquals(200 + 40 + 6000 + 500, t.summary("always-postcopy").totalPostcopyRequests(), 1e-9);
    }

    @Test
    void policies_listedInTheSuitesOrder() throws IOException {
        assertEquals(List.of("migov", "precopy", "hybrid(4)", "always-postcopy", "nova-force-complete", "kubevirt-stall"),
                table().policies());
    }

    @Test
    void target1_idleWithinTenPercentOfTheBestWithoutRequests_passes() throws IOException {
        BenchTargets.Target t = target(table(), "(1) idle");
        assertEquals(BenchTargets.Status.PASS, t.status(), t.text());
        assertTrue(t.text().contains("1.20 s vs ≤ 1.1 × 1.13 s (precopy"), t.text());
    }

    @Test
    void target1_quietWithPageRequests_misses() throws IOException {
        assertEquals(BenchTargets.Status.MISS, target(table(), "(1) quiet").status());
    }

    @Test
    void target2_heavyWithARunNotCompleted_misses() throws IOException {
        BenchTargets.Target t = target(table(), "(2) heavy");
        assertEquals(BenchTargets.Status.MISS, t.status());
        assertTrue(t.text().contains("completed 2/3"), t.text());
    }

    @Test
    void target2_latewriterAgainstTheBestThatStartsInPrecopy_passes() throws IOException {
        BenchTargets.Target t = target(table(), "(2) latewriter");
        assertEquals(BenchTargets.Status.PASS, t.status(), t.text());
        assertTrue(t.text().contains("4.80 s (hybrid(4)"), "always-postcopy (3.0 s) switches at once and does not count: " + t.text());
    }

    @Test
    void target3_aPeerFasterWithFewerRequests_misses() throws IOException {
        BenchTargets.Target t = target(table(), "(3) no peer");
        assertEquals(BenchTargets.Status.MISS, t.status());
        assertEquals("(3) no peer beats migov on both total time and page requests: quiet: always-postcopy 1.90 s / 40 requests vs migov "
                + "2.00 s / 50", t.text());
    }

    @Test
    void target3_degradationBelowTheBestCompletingFixedPolicy_misses() throws IOException {
        BenchTargets.Target t = target(table(), "(3) migov's degradation");
        assertEquals(BenchTargets.Status.MISS, t.status());
        assertTrue(t.text().contains("heavy: migov 0.30 < hybrid(4) 0.80"), "precopy never finished heavy, so it is no yardstick: " + t.text());
        assertTrue(!t.text().contains("idle"), t.text());
    }

    @Test
    void target4_geomeanRatios_judgedAgainstTheirFactors() throws IOException {
        BenchTable t = table();
        List<BenchTargets.Target> four = t.targets().stream().filter(x -> x.text().startsWith("(4) geomean")).toList();
        assertEquals(BenchTargets.Status.MISS, four.get(0).status(), "0.63 > 0.6 × kubevirt-stall: " + four.get(0).text());
        assertEquals(BenchTargets.Status.PASS, four.get(1).status(), "0.38 ≤ 0.4 × nova-force-complete: " + four.get(1).text());
        assertEquals(BenchTargets.Status.PASS, target(t, "(4) total page requests").status());
    }

    @Test
    void render_textAndMarkdown_holdEveryCellAndTheTargets() throws IOException {
        BenchTable t = table();
        String text = t.text();
        assertTrue(text.contains("1.20 (1.00–5.00)"), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("heavy") && l.contains("migov") && l.contains("2/3")), text);
        assertTrue(text.contains("MISS  (2) heavy"), text);
        String md = t.markdown();
        assertTrue(md.startsWith("| workload | policy |"), md);
        assertTrue(md.contains("- **PASS** (2) latewriter"), md);
    }

    @Test
    void writeThenRead_roundTripsEveryColumn() throws IOException {
        BenchRow r = new BenchRow("w,1", "hybrid(4)", 2, "completed", true, 1234, 56, 789, 4, 10, "switch_to_postcopy", 4, -1, 100, 80,
                0.8, "pass 4, \"m\"");
        StringWriter out = new StringWriter();
        BenchCsv.write(List.of(r), out);
        assertTrue(out.toString().startsWith(String.join(",", BenchCsv.HEADER) + "\n"));
        BenchRow back = BenchCsv.read(new StringReader(out.toString()), "x").get(0);
        assertEquals(r, back);
    }

    @Test
    void read_badNumber_isRejectedNamingLineAndColumn() {
        String bad = HEADER + "\n" + line("migov", "idle", 1, true, 1000, 0, "0.9", "none", -1).replace(",1000,", ",1.5s,") + "\n";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchCsv.read(new StringReader(bad), "b.csv"));
        assertEquals("b.csv:2: total_time_ms: expected a whole number (empty or -1 = unknown), got '1.5s'", e.getMessage());
    }

    @Test
    void read_missingColumn_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchCsv.read(new StringReader("workload,policy,completed\nidle,migov,true\n"), "b.csv"));
        assertTrue(e.getMessage().startsWith("b.csv:1: missing column 'total_time_ms'"), e.getMessage());
    }
}
