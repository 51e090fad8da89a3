// SPDX-License-Identifier: Apache-2.0
package io.migov.sim;

import java.util.List;
import java.util.Objects;

/**
 * A workload model: a guest of {@code memoryMiB} whose behaviour changes in phases over time.
 *
 * @param name       the name used in tables and CSVs
 * @param memoryMiB  guest memory, MiB
 * @param phases     in strictly ascending {@code fromSeconds}; before the first the guest is idle
 */
public record Workload(String name, double memoryMiB, List<Phase> phases) {

    public Workload {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.chars().anyMatch(c -> c == '\n' || c == '\r')) {
            throw new IllegalArgumentException("name: expected a non-empty name on one line, got '" + name + "'");
        }
        if (!(memoryMiB >= 1 && memoryMiB <= 16 * 1024 * 1024)) {
            throw new IllegalArgumentException("memoryMiB: expected 1..16777216, got " + memoryMiB);
        }
        phases = List.copyOf(phases);
        if (phases.isEmpty()) {
            throw new IllegalArgumentException("phases: expected at least one phase");
        }
        for (int i = 0; i < phases.size(); i++) {
            Phase p = phases.get(i);
            if (i > 0 && !(p.fromSeconds() > phases.get(i - 1).fromSeconds())) {
                throw new IllegalArgumentException("phases[" + i + "].fromSeconds: expected > " + phases.get(i - 1).fromSeconds()
                        + " (phases in ascending order), got " + p.fromSeconds());
            }
            if (p.workingSetMiB() > memoryMiB) {
                throw new IllegalArgumentException("phases[" + i + "].workingSetMiB: expected ≤ memoryMiB (" + memoryMiB + "), got "
                        + p.workingSetMiB());
            }
        }
    }

    /** The phase in force at {@code seconds} after the migration started. */
    public Phase phaseAt(double seconds) {
        // binary search: the simulation asks once per 10 ms step, and periodic workloads have many phases
        int lo = 0;
        int hi = phases.size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (phases.get(mid).fromSeconds() <= seconds) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found < 0 ? Phase.IDLE : phases.get(found);
    }

    /** The hot region: the largest working set of any phase, MiB (phases share one region, the smaller inside the larger). */
    public double hotMiB() {
        return phases.stream().mapToDouble(Phase::workingSetMiB).max().orElse(0);
    }

    /** Hot memory already written when the migration starts (phases that began at or before it), MiB. */
    double hotWrittenAtStartMiB() {
        return phases.stream().filter(p -> p.fromSeconds() <= 0).mapToDouble(Phase::workingSetMiB).max().orElse(0);
    }

    /** Earliest second the workload describes (at most 0). */
    double firstSecond() {
        return Math.min(0, phases.get(0).fromSeconds());
    }
}
