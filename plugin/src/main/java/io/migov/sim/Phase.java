// SPDX-License-Identifier: Apache-2.0
package io.migov.sim;

/**
 * What a workload does from {@code fromSeconds} until the next phase begins (or for ever).
 *
 * @param fromSeconds          start, seconds relative to the migration's start (negative = before it)
 * @param dirtyPagesPerSecond  pages written per second (the rate the guest achieves, not asks for)
 * @param workingSetMiB        memory the phase holds and touches, MiB; writes and reads go over it
 * @param readPagesPerSecond   pages read per second over the working set (only post-copy notices them)
 * @param cpuPercent           busy share of one vCPU, % (0..100)
 * @param netInPercent         received traffic, % of the link (0..100)
 * @param netOutPercent        sent traffic, % of the link (0..100)
 */
public record Phase(double fromSeconds, double dirtyPagesPerSecond, double workingSetMiB, double readPagesPerSecond, double cpuPercent,
                    double netInPercent, double netOutPercent) {

    /** Before a workload's first phase the guest does nothing. */
    static final Phase IDLE = new Phase(Double.NEGATIVE_INFINITY, 0, 0, 0, 0, 0, 0);

    public Phase {
        if (Double.isNaN(fromSeconds) || fromSeconds == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("fromSeconds: expected a finite number, got " + fromSeconds);
        }
        nonNegative("dirtyPagesPerSecond", dirtyPagesPerSecond);
        nonNegative("workingSetMiB", workingSetMiB);
        nonNegative("readPagesPerSecond", readPagesPerSecond);
        percent("cpuPercent", cpuPercent);
        percent("netInPercent", netInPercent);
        percent("netOutPercent", netOutPercent);
        if ((dirtyPagesPerSecond > 0 || readPagesPerSecond > 0) && workingSetMiB == 0) {
            throw new IllegalArgumentException("workingSetMiB: expected > 0 when the phase writes or reads pages, got 0");
        }
    }

    private static void nonNegative(String field, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(field + ": expected a finite number ≥ 0, got " + v);
        }
    }

    private static void percent(String field, double v) {
        if (!(v >= 0 && v <= 100)) {
            throw new IllegalArgumentException(field + ": expected a percentage in [0, 100], got " + v);
        }
    }

    /** Pages the guest touches per second (writes and reads): what faults in post-copy. */
    double touchPagesPerSecond() {
        return dirtyPagesPerSecond + readPagesPerSecond;
    }
}
