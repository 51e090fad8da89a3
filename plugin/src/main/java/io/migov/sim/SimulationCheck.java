// SPDX-License-Identifier: Apache-2.0
package io.migov.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How well {@code migov simulate} predicts the lab: per workload × policy that both tables have
 * and that completed in most lab runs, the simulated median total time against the lab's median.
 * The bar the issue sets is 25 %: a simulator further off than that would rank policies wrongly.
 */
public final class SimulationCheck {

    /** The tolerance, as a share of the lab's median. */
    public static final double TOLERANCE = 0.25;

    /**
     * @param ratio simulated ÷ lab median total time
     */
    public record Row(String workload, String policy, double labSeconds, double simulatedSeconds, double ratio) {
        public boolean within() {
            return Math.abs(ratio - 1) <= TOLERANCE;
        }
    }

    private final List<Row> rows;

    private SimulationCheck(List<Row> rows) {
        this.rows = List.copyOf(rows);
    }

    public static SimulationCheck of(BenchTable lab, BenchTable simulated) {
        List<Row> rows = new ArrayList<>();
        for (BenchTable.Cell l : lab.cells()) {
            BenchTable.Cell s = simulated.cell(l.workload(), l.policy());
            if (s == null || !l.mostlyCompleted() || !s.mostlyCompleted() || !(l.medianTotalSeconds() > 0)) {
                continue; // a run that never finishes has no total time to compare
            }
            rows.add(new Row(l.workload(), l.policy(), l.medianTotalSeconds(), s.medianTotalSeconds(),
                    s.medianTotalSeconds() / l.medianTotalSeconds()));
        }
        return new SimulationCheck(rows);
    }

    public List<Row> rows() {
        return rows;
    }

    public long within() {
        return rows.stream().filter(Row::within).count();
    }

    /** The comparison as a table plus one summary line; Markdown when asked. */
    public String render(boolean markdown) {
        List<List<String>> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(List.of(r.workload(), r.policy(), BenchTable.fmt(r.labSeconds(), "%.2f"), BenchTable.fmt(r.simulatedSeconds(), "%.2f"),
                    BenchTable.fmt(r.ratio(), "%.2f"), r.within() ? "yes" : "NO"));
        }
        List<String> header = List.of("workload", "policy", "lab median s", "simulated s", "sim ÷ lab", "within 25 %");
        String table = markdown ? TextGrid.markdown(header, out) : TextGrid.text(header, out);
        return table + '\n' + String.format(Locale.ROOT, "simulated total time within %.0f %% of the lab's median: %d of %d cells%n",
                TOLERANCE * 100, within(), rows.size());
    }
}
