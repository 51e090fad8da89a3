// SPDX-License-Identifier: Apache-2.0
package io.migov.sim;

import io.migov.core.policy.Policies;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The bench's results table, shared by {@code migov simulate} and {@code migov bench-report} (lab
 * runs): per workload × policy the medians over repetitions; per policy over the suite the
 * geometric mean of the median total times and the sum of the median post-copy page requests; and
 * the targets ({@link BenchTargets}). Medians because repetitions vary a lot on the lab
 * (page requests 2 k–15 k for one run repeated: the lab facts in testbed/README.md).
 */
public final class BenchTable {

    /**
     * Medians over the runs of one workload under one policy; NaN where no run said.
     *
     * @param startsInPreCopy no run switched to post-copy before the first pass was done
     */
    public record Cell(String workload, String policy, int runs, int completed, double medianTotalSeconds, double minTotalSeconds,
                       double maxTotalSeconds, double medianDowntimeMillis, double medianPostcopyRequests, double medianMiBSent,
                       double medianPasses, double medianDegradation, boolean startsInPreCopy) {

        /** More than half the runs completed: the median run did. */
        public boolean mostlyCompleted() {
            return completed * 2 > runs;
        }
    }

    /**
     * One policy over the suite: the workloads every policy has a median total time for.
     *
     * @param migovRatio migov's geometric mean ÷ this policy's (NaN without migov)
     */
    public record PolicySummary(String policy, int workloads, double geomeanTotalSeconds, double totalPostcopyRequests, double migovRatio) {
    }

    private final List<String> workloads;
    private final List<String> policies;
    private final Map<String, Cell> cells;
    private final List<String> suite;

    private BenchTable(List<String> workloads, List<String> policies, Map<String, Cell> cells) {
        this.workloads = List.copyOf(workloads);
        this.policies = List.copyOf(policies);
        this.cells = cells;
        List<String> common = new ArrayList<>();
        for (String w : workloads) {
            if (policies.stream().allMatch(p -> cell(w, p) != null && !Double.isNaN(cell(w, p).medianTotalSeconds()))) {
                common.add(w);
            }
        }
        this.suite = List.copyOf(common);
    }

    public static BenchTable of(List<BenchRow> rows) {
        Set<String> workloads = new LinkedHashSet<>();
        Set<String> seenPolicies = new LinkedHashSet<>();
        Map<String, List<BenchRow>> groups = new LinkedHashMap<>();
        for (BenchRow r : rows) {
            workloads.add(r.workload());
            seenPolicies.add(r.policy());
            groups.computeIfAbsent(key(r.workload(), r.policy()), k -> new ArrayList<>()).add(r);
        }
        // the suite's order first, as every table lists policies; then any other, as they came
        List<String> policies = new ArrayList<>();
        for (String p : Policies.SUITE) {
            if (seenPolicies.contains(p)) {
                policies.add(p);
            }
        }
        for (String p : seenPolicies) {
            if (!policies.contains(p)) {
                policies.add(p);
            }
        }
        Map<String, Cell> cells = new LinkedHashMap<>();
        for (List<BenchRow> g : groups.values()) {
            Cell c = aggregate(g);
            cells.put(key(c.workload(), c.policy()), c);
        }
        return new BenchTable(new ArrayList<>(workloads), policies, cells);
    }

    private static String key(String workload, String policy) {
        return workload + '\u0000' + policy;
    }

    private static Cell aggregate(List<BenchRow> runs) {
        BenchRow first = runs.get(0);
        int completed = (int) runs.stream().filter(BenchRow::completed).count();
        double[] totals = known(runs, r -> r.totalTimeMs() / 1000.0, r -> r.totalTimeMs());
        double[] downtimes = known(runs.stream().filter(BenchRow::completed).toList(), r -> r.downtimeMs(), r -> r.downtimeMs());
        double[] requests = known(runs, r -> r.postcopyRequests(), r -> r.postcopyRequests());
        double[] mib = known(runs, r -> r.bytesSent() / ModelParameters.MIB, r -> r.bytesSent());
        double[] passes = known(runs, r -> r.passes(), r -> r.passes());
        double[] degradation = runs.stream().mapToDouble(BenchRow::degradation).filter(d -> !Double.isNaN(d)).toArray();
        boolean startsInPreCopy = runs.stream().noneMatch(r -> "switch_to_postcopy".equals(r.action()) && r.actionIteration() >= 0
                && r.actionIteration() <= 1);
        return new Cell(first.workload(), first.policy(), runs.size(), completed, median(totals), min(totals), max(totals),
                median(downtimes), median(requests), median(mib), median(passes), median(degradation), startsInPreCopy);
    }

    private static double[] known(List<BenchRow> runs, ToDoubleFunction<BenchRow> value, ToLongFunction<BenchRow> raw) {
        return runs.stream().filter(r -> raw.applyAsLong(r) >= 0).mapToDouble(value).toArray();
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    /** Geometric mean of positive values; NaN for none. */
    static double geomean(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double logs = 0;
        for (double v : values) {
            logs += Math.log(Math.max(v, 1e-9));
        }
        return Math.exp(logs / values.length);
    }

    // --- queries -------------------------------------------------------------------------------------

    public List<String> workloads() {
        return workloads;
    }

    public List<String> policies() {
        return policies;
    }

    /** The workloads the per-policy summary covers: those every policy has a median total time for. */
    public List<String> suiteWorkloads() {
        return suite;
    }

    /** The cell, or null when that policy has no run of that workload. */
    public Cell cell(String workload, String policy) {
        return cells.get(key(workload, policy));
    }

    public List<Cell> cells() {
        List<Cell> out = new ArrayList<>();
        for (String w : workloads) {
            for (String p : policies) {
                Cell c = cell(w, p);
                if (c != null) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    public PolicySummary summary(String policy) {
        double[] totals = suite.stream().mapToDouble(w -> cell(w, policy).medianTotalSeconds()).toArray();
        double requests = suite.stream().mapToDouble(w -> cell(w, policy).medianPostcopyRequests()).filter(v -> !Double.isNaN(v)).sum();
        double g = geomean(totals);
        double migov = policies.contains(Policies.MIGOV) ? geomean(suite.stream().mapToDouble(w -> cell(w, Policies.MIGOV)
                .medianTotalSeconds()).toArray()) : Double.NaN;
        return new PolicySummary(policy, suite.size(), g, requests, migov / g);
    }

    public List<PolicySummary> summaries() {
        return policies.stream().map(this::summary).toList();
    }

    public List<BenchTargets.Target> targets() {
        return BenchTargets.evaluate(this);
    }

    // --- rendering -----------------------------------------------------------------------------------

    private static final List<String> CELL_HEADER = List.of("workload", "policy", "runs", "completed", "total s (min–max)", "downtime ms",
            "pc requests", "MiB sent", "passes", "degradation");
    private static final List<String> SUMMARY_HEADER = List.of("policy", "workloads", "geomean total s", "pc requests (sum)",
            "migov ÷ policy");

    /** The three tables as aligned plain text. */
    public String text() {
        return TextGrid.text(CELL_HEADER, cellRows()) + '\n' + TextGrid.text(SUMMARY_HEADER, summaryRows()) + '\n' + targetText(false);
    }

    /** The three tables in Markdown. */
    public String markdown() {
        return TextGrid.markdown(CELL_HEADER, cellRows()) + '\n' + TextGrid.markdown(SUMMARY_HEADER, summaryRows()) + '\n'
                + targetText(true);
    }

    private List<List<String>> cellRows() {
        List<List<String>> rows = new ArrayList<>();
        for (Cell c : cells()) {
            String total = fmt(c.medianTotalSeconds(), "%.2f");
            if (c.runs() > 1 && !Double.isNaN(c.minTotalSeconds()) && c.minTotalSeconds() != c.maxTotalSeconds()) {
                total += String.format(Locale.ROOT, " (%.2f–%.2f)", c.minTotalSeconds(), c.maxTotalSeconds());
            }
            rows.add(List.of(c.workload(), c.policy(), Integer.toString(c.runs()), c.completed() + "/" + c.runs(), total,
                    fmt(c.medianDowntimeMillis(), "%.0f"), fmt(c.medianPostcopyRequests(), "%.0f"), fmt(c.medianMiBSent(), "%.0f"),
                    whole(c.medianPasses()), fmt(c.medianDegradation(), "%.2f")));
        }
        return rows;
    }

    private List<List<String>> summaryRows() {
        List<List<String>> rows = new ArrayList<>();
        for (PolicySummary s : summaries()) {
            rows.add(List.of(s.policy(), Integer.toString(s.workloads()), fmt(s.geomeanTotalSeconds(), "%.2f"),
                    fmt(s.totalPostcopyRequests(), "%.0f"), fmt(s.migovRatio(), "%.2f")));
        }
        return rows;
    }

    private String targetText(boolean markdown) {
        StringBuilder sb = new StringBuilder(markdown ? "Targets:\n\n" : "targets\n");
        for (BenchTargets.Target t : targets()) {
            sb.append(markdown ? "- **" + t.status() + "** " : String.format(Locale.ROOT, "%-4s  ", t.status()))
                    .append(t.text()).append('\n');
        }
        return sb.toString();
    }

    static String fmt(double v, String format) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, format, v);
    }

    private static String whole(double v) {
        return Double.isNaN(v) ? "-" : v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
