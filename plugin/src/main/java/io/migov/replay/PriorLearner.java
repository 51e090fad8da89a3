// SPDX-License-Identifier: Apache-2.0
package io.migov.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.migov.core.Discretiser;
import io.migov.core.PriorMatrix;
import io.migov.core.Sample;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Learns a workload-specific initial transition matrix (a {@link PriorMatrix}) from recorded traces
 * of one workload type, instead of the uniform 1/N rows a fresh model starts with.
 *
 * <p>Every sample is discretised; a transition is counted between two consecutive samples of the
 * same trace whose times are at most {@value #MAX_STEP_SECONDS} s apart (never across two traces,
 * nor across a gap, where the states in between are unknown). Row {@code i} of the result is
 * {@code (counts[i][j] + K/N) / (Σ counts[i] + K)}: {@code K} pseudo-counts spread uniformly, so no
 * transition is impossible and a row never observed is uniform (with {@code K = 0} too).
 *
 * <p>Counts are kept only for observed rows. Not thread-safe.
 */
public final class PriorLearner {

    /** Consecutive samples further apart than this are not linked: a missed second or more. */
    public static final double MAX_STEP_SECONDS = 1.5;
    /** The prior is a dense N×N matrix; larger schemes would not fit in a sensible file. */
    public static final int MAX_STATES = 4096;

    private static final ObjectMapper SCHEME_JSON = new ObjectMapper();
    private final Discretiser discretiser;
    private final int stateCount;
    private final double smoothing;
    /** Observed rows only: from-state → counts per to-state. */
    private final Map<Integer, long[]> counts = new HashMap<>();
    private final Map<Integer, Long> rowTotals = new HashMap<>();
    private int traces;
    private long samples;
    private long transitions;
    private long gaps;

    /**
     * @param smoothing K, pseudo-counts per row spread uniformly over the N states; finite and ≥ 0
     */
    public PriorLearner(Discretiser discretiser, double smoothing) {
        if (discretiser == null) {
            throw new IllegalArgumentException("discretiser: required");
        }
        if (!Double.isFinite(smoothing) || smoothing < 0) {
            throw new IllegalArgumentException("smoothing: expected a finite value ≥ 0, got " + smoothing);
        }
        if (discretiser.stateCount() > MAX_STATES) {
            throw new IllegalArgumentException("thresholds: the prior is a dense N×N matrix, at most " + MAX_STATES
                    + " states, got " + discretiser.stateCount());
        }
        this.discretiser = discretiser;
        this.stateCount = discretiser.stateCount();
        this.smoothing = smoothing;
    }

    /** Counts the transitions inside one trace; the chain starts afresh and breaks at every gap. */
    public PriorLearner add(Trace trace) {
        List<Double> times = trace.times();
        List<Sample> s = trace.samples();
        traces++;
        samples += s.size();
        int previous = -1;
        double previousTime = Double.NaN;
        for (int i = 0; i < s.size(); i++) {
            int state = discretiser.stateOf(s.get(i));
            double t = times.get(i);
            if (previous >= 0) {
                if (t - previousTime <= MAX_STEP_SECONDS) {
                    counts.computeIfAbsent(previous, k -> new long[stateCount])[state]++;
                    rowTotals.merge(previous, 1L, Long::sum);
                    transitions++;
                } else {
                    gaps++;
                }
            }
            previous = state;
            previousTime = t;
        }
        return this;
    }

    public int stateCount() {
        return stateCount;
    }

    public double smoothing() {
        return smoothing;
    }

    /** Traces added. */
    public int traces() {
        return traces;
    }

    /** Samples read over all traces. */
    public long samples() {
        return samples;
    }

    /** Transitions counted. */
    public long transitions() {
        return transitions;
    }

    /** Consecutive samples not linked because their times are more than {@value #MAX_STEP_SECONDS} s apart. */
    public long gaps() {
        return gaps;
    }

    /** Rows with at least one counted transition. */
    public int rowsObserved() {
        return counts.size();
    }

    /** Transitions counted from {@code from} to {@code to}. */
    public long count(int from, int to) {
        discretiser.requireState(from);
        discretiser.requireState(to);
        long[] row = counts.get(from);
        return row == null ? 0 : row[to];
    }

    /** Row {@code from} of the learned matrix; sums to 1 (up to rounding far below 1e-9). */
    public double[] row(int from) {
        discretiser.requireState(from);
        double[] p = new double[stateCount];
        long[] c = counts.get(from);
        if (c == null) {
            Arrays.fill(p, 1.0 / stateCount);
            return p;
        }
        double total = rowTotals.get(from) + smoothing;
        double pseudo = smoothing / stateCount;
        for (int j = 0; j < stateCount; j++) {
            p[j] = (c[j] + pseudo) / total;
        }
        return p;
    }

    /** The learned N×N matrix. */
    public double[][] matrix() {
        double[][] m = new double[stateCount][];
        for (int i = 0; i < stateCount; i++) {
            m[i] = row(i);
        }
        return m;
    }

    /** The learned matrix as the prior a model starts from (validated by {@link PriorMatrix#of}), labelled with its scheme. */
    public PriorMatrix prior() {
        return PriorMatrix.of(matrix()).withScheme(discretiser.toString());
    }

    /**
     * Writes {@code {"format":"migov-prior","version":1,"scheme":"cpu[25,50] …","matrix":[[…],…]}},
     * one row per line, each probability in Java's shortest round-trip decimal form (so the file loads
     * back exactly). The scheme lets the daemon refuse a prior learned in another state space.
     */
    public void writeJson(Appendable out) throws IOException {
        out.append("{\"format\":\"migov-prior\",\"version\":").append(Integer.toString(PriorMatrix.FORMAT_VERSION))
                .append(",\"scheme\":").append(SCHEME_JSON.writeValueAsString(discretiser.toString()))
                .append(",\"matrix\":[\n");
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < stateCount; i++) {
            double[] p = row(i);
            line.setLength(0);
            line.append('[');
            for (int j = 0; j < stateCount; j++) {
                if (j > 0) {
                    line.append(',');
                }
                line.append(p[j]);
            }
            line.append(i + 1 < stateCount ? "],\n" : "]\n");
            out.append(line);
        }
        out.append("]}\n");
    }

    /** {@link #writeJson} as a string. */
    public String toJson() {
        StringBuilder sb = new StringBuilder();
        try {
            writeJson(sb);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a StringBuilder does not throw
        }
        return sb.toString();
    }
}
