// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

import java.util.Arrays;

/**
 * A per-VM Markov chain over workload states, learned online.
 *
 * <p>Counts start at zero. Row i of the transition matrix is {@code counts[i] / Σ counts[i]} once
 * row i has counts, else the prior row. With a prior weight w &gt; 0 the prior acts as w
 * pseudo-counts: {@code (counts[i] + w·prior[i]) / (Σ counts[i] + w)}.
 *
 * <p>Only observed transitions are stored (a small sparse row per observed source state, switched
 * to a dense array once it holds a quarter of the states), so a model's memory grows with what the
 * VM did, not with N².
 *
 * <p>Beside the first-order counts it keeps <em>dwell rows</em>: what followed a state once it had
 * lasted d samples. A first-order chain cannot time a phase (from "writing", the next state is
 * "writing" with the same probability whether the burst began 1 s or 9 s ago), so on periodic
 * workloads it can do no better than "the state stays as it is"; the dwell rows let the predictor
 * see that a phase is about to end. Not thread-safe: confine a model to one thread or guard it (the daemon's
 * per-VM profile does).
 */
public final class MarkovModel {

    /**
     * Runs longer than this many samples count as this long. Dwell rows exist so that a phase's
     * length can be learned (a VM that writes for 20 s and rests for 40 s); 120 samples (two minutes
     * at 1 Hz) times the phases worth timing before a migration, and it bounds the dwell table at
     * 120 rows per visited state.
     */
    public static final int DWELL_CAP_SAMPLES = 120;

    private final int stateCount;
    private final PriorMatrix prior;
    private final double priorWeight;
    private final Row[] rows;
    private int previousState = -1;
    /** Samples the previous state has lasted so far (1..DWELL_CAP_SAMPLES); 0 while unknown. */
    private int dwell;
    /**
     * Next-state counts by (state, dwell): what followed a state once it had lasted that long. Keyed
     * by state, then dwell (null until observed); holds only what was observed.
     */
    private final Row[][] dwellRows;
    private long samples;
    /** Rows in the dense form; while there are none, {@link #step} takes the plain sparse loop. */
    private int denseRows;

    public MarkovModel(int stateCount) {
        this(PriorMatrix.uniform(stateCount), 0.0);
    }

    public MarkovModel(PriorMatrix prior, double priorWeight) {
        if (!Double.isFinite(priorWeight) || priorWeight < 0) {
            throw new IllegalArgumentException("priorWeight: expected a finite value ≥ 0, got " + priorWeight);
        }
        this.prior = prior;
        this.stateCount = prior.stateCount();
        this.priorWeight = priorWeight;
        this.rows = new Row[stateCount];
        this.dwellRows = new Row[stateCount][];
    }

    /** Feeds the next state of the VM; counts the transition from the previous one, if any. */
    public void observe(int state) {
        if (state < 0 || state >= stateCount) {
            throw new IllegalArgumentException("state: expected 0.." + (stateCount - 1) + ", got " + state);
        }
        if (previousState >= 0) {
            Row row = rows[previousState];
            if (row == null) {
                row = new Row();
                rows[previousState] = row;
            }
            if (row.increment(state, stateCount)) {
                denseRows++;
            }
            if (dwell > 0) {
                Row[] byDwell = dwellRows[previousState];
                if (byDwell == null) {
                    byDwell = new Row[DWELL_CAP_SAMPLES + 1];
                    dwellRows[previousState] = byDwell;
                }
                Row dwellRow = byDwell[dwell];
                if (dwellRow == null) {
                    dwellRow = new Row();
                    byDwell[dwell] = dwellRow;
                }
                dwellRow.increment(state, stateCount);
            }
            // a run whose start is unknown (a version-1 model) stays unknown until the state changes:
            // counting it from 1 would record its end at too short a dwell
            dwell = state != previousState ? 1 : dwell > 0 ? Math.min(dwell + 1, DWELL_CAP_SAMPLES) : 0;
        } else {
            dwell = 1;
        }
        previousState = state;
        samples++;
    }

    /** Forgets the previous state so the next observation starts a new run (e.g. after a gap). */
    public void breakChain() {
        previousState = -1;
        dwell = 0;
    }

    /**
     * How many consecutive samples the last observed state has lasted (capped at
     * {@link #DWELL_CAP_SAMPLES}), 0 before the first observation and after {@link #breakChain}.
     */
    public int dwell() {
        return dwell;
    }

    /** Transitions counted out of {@code state} once it had lasted {@code dwell} samples. */
    public long dwellRowTotal(int state, int dwell) {
        checkState("state", state);
        checkDwell(dwell);
        Row row = dwellRow(state, dwell);
        return row == null ? 0 : row.total;
    }

    /** What followed {@code state} after {@code dwell} samples, {@code to} times. */
    public long dwellCount(int state, int dwell, int to) {
        checkState("state", state);
        checkDwell(dwell);
        checkState("to", to);
        Row row = dwellRow(state, dwell);
        return row == null ? 0 : row.count(to);
    }

    /** Number of (state, dwell, next) triples stored. */
    public int storedDwellTransitions() {
        int total = 0;
        for (Row[] byDwell : dwellRows) {
            if (byDwell != null) {
                for (Row row : byDwell) {
                    total += row == null ? 0 : row.size;
                }
            }
        }
        return total;
    }

    /**
     * One step of the dwell-aware chain over (state, dwell) pairs, vectors indexed by
     * {@code state * (DWELL_CAP_SAMPLES + 1) + dwell}: from (s, d) the next state follows what was
     * observed after s had lasted d samples, blended with s's ordinary row as {@code pseudoCounts}
     * pseudo-observations — a dwell never seen (or seen once) leans on the ordinary row, a well
     * observed one on its own counts. Staying in s leads to (s, d+1), anything else to (t, 1).
     *
     * @param in           mass by (state, dwell); for each state only dwells 1..{@code maxDwell[s]} are read
     * @param maxDwell     per state, the largest dwell carrying mass in {@code in} (0: none)
     * @param out          filled with the next distribution; must be zero outside the dwells
     *                     {@code outMaxDwell} bounds (as left by a previous call)
     * @param outMaxDwell  filled with the bounds of {@code out}
     * @param scratchIn    a vector of length {@link #stateCount()}, overwritten
     * @param scratchOut   a vector of length {@link #stateCount()}, overwritten
     */
    public void stepDwell(double[] in, int[] maxDwell, double[] out, int[] outMaxDwell, double pseudoCounts,
                          double[] scratchIn, double[] scratchOut) {
        int width = DWELL_CAP_SAMPLES + 1;
        if (in.length != stateCount * width || out.length != in.length || maxDwell.length != stateCount
                || outMaxDwell.length != stateCount || scratchIn.length != stateCount || scratchOut.length != stateCount) {
            throw new IllegalArgumentException("vectors: expected " + stateCount * width + " (state, dwell) entries and "
                    + stateCount + " states");
        }
        if (!Double.isFinite(pseudoCounts) || pseudoCounts < 0) {
            throw new IllegalArgumentException("pseudoCounts: expected a finite value ≥ 0, got " + pseudoCounts);
        }
        // out holds an older distribution: only the dwells its bounds cover can be non-zero
        for (int s = 0; s < stateCount; s++) {
            if (outMaxDwell[s] > 0) {
                Arrays.fill(out, s * width + 1, s * width + outMaxDwell[s] + 1, 0.0);
                outMaxDwell[s] = 0;
            }
        }
        Arrays.fill(scratchIn, 0.0);
        for (int s = 0; s < stateCount; s++) {
            int hi = maxDwell[s];
            if (hi == 0) {
                continue;
            }
            double stay = -1; // the ordinary row's P(s → s), computed once per state
            int base = s * width;
            Row[] byDwell = dwellRows[s];
            for (int d = 1; d <= hi; d++) {
                double m = in[base + d];
                if (m == 0.0) {
                    continue;
                }
                Row row = byDwell == null ? null : byDwell[d];
                long n = row == null ? 0 : row.total;
                double ordinary = n == 0 ? m : m * pseudoCounts / (n + pseudoCounts);
                int next = Math.min(d + 1, DWELL_CAP_SAMPLES);
                if (n > 0) {
                    double scale = m / (n + pseudoCounts);
                    for (int k = 0; k < row.size; k++) {
                        int t = row.columns[k];
                        add(out, outMaxDwell, t, t == s ? next : 1, scale * row.countAt(k), width);
                    }
                }
                if (ordinary != 0.0) {
                    // the ordinary row's self-transition keeps the dwell; its other targets start a run
                    if (stay < 0) {
                        stay = probability(s, s);
                    }
                    add(out, outMaxDwell, s, next, ordinary * stay, width);
                    scratchIn[s] += ordinary;
                }
            }
        }
        step(scratchIn, scratchOut);
        for (int t = 0; t < stateCount; t++) {
            // mass that stayed in t was placed above with its dwell: only what arrived from elsewhere starts a run
            double arrived = scratchOut[t] - (scratchIn[t] == 0.0 ? 0.0 : scratchIn[t] * probability(t, t));
            if (arrived > 0.0) {
                add(out, outMaxDwell, t, 1, arrived, width);
            }
        }
    }

    private static void add(double[] out, int[] outMaxDwell, int state, int dwell, double mass, int width) {
        out[state * width + dwell] += mass;
        if (dwell > outMaxDwell[state]) {
            outMaxDwell[state] = dwell;
        }
    }

    private Row dwellRow(int state, int dwell) {
        Row[] byDwell = dwellRows[state];
        return byDwell == null ? null : byDwell[dwell];
    }

    private static void checkDwell(int dwell) {
        if (dwell < 1 || dwell > DWELL_CAP_SAMPLES) {
            throw new IllegalArgumentException("dwell: expected 1.." + DWELL_CAP_SAMPLES + " samples, got " + dwell);
        }
    }

    public int stateCount() {
        return stateCount;
    }

    public PriorMatrix prior() {
        return prior;
    }

    public double priorWeight() {
        return priorWeight;
    }

    /** The last observed state, or -1 before the first observation. */
    public int previousState() {
        return previousState;
    }

    /** Number of states observed so far. */
    public long samples() {
        return samples;
    }

    public long transitions() {
        long total = 0;
        for (Row row : rows) {
            if (row != null) {
                total += row.total;
            }
        }
        return total;
    }

    /** Number of distinct (from, to) pairs stored: what the model's memory grows with. */
    public int storedTransitions() {
        int total = 0;
        for (Row row : rows) {
            if (row != null) {
                total += row.size;
            }
        }
        return total;
    }

    public long count(int from, int to) {
        checkState("from", from);
        checkState("to", to);
        Row row = rows[from];
        return row == null ? 0 : row.count(to);
    }

    public long rowTotal(int from) {
        checkState("from", from);
        Row row = rows[from];
        return row == null ? 0 : row.total;
    }

    public long[] countRow(int from) {
        checkState("from", from);
        long[] out = new long[stateCount];
        Row row = rows[from];
        if (row != null) {
            for (int k = 0; k < row.size; k++) {
                out[row.columns[k]] = row.countAt(k);
            }
        }
        return out;
    }

    public double probability(int from, int to) {
        checkState("from", from);
        checkState("to", to);
        Row row = rows[from];
        long total = row == null ? 0 : row.total;
        if (total == 0) {
            return prior.probability(from, to);
        }
        double observed = row.count(to);
        if (priorWeight == 0) {
            return observed / total;
        }
        return (observed + priorWeight * prior.probability(from, to)) / (total + priorWeight);
    }

    /** Dense copy of transition row {@code from}. */
    public double[] transitionRow(int from) {
        checkState("from", from);
        double[] v = new double[stateCount];
        v[from] = 1.0;
        double[] out = new double[stateCount];
        step(v, out);
        return out;
    }

    /**
     * {@code out = in · P}, touching only the rows where {@code in} is non-zero and only the stored
     * entries of each (a dense row in one contiguous pass); prior mass of the uniform prior is
     * spread once at the end.
     */
    public void step(double[] in, double[] out) {
        if (in.length != stateCount || out.length != stateCount) {
            throw new IllegalArgumentException("vector: expected length " + stateCount + ", got " + in.length + " and " + out.length);
        }
        Arrays.fill(out, 0.0);
        double uniformMass = denseRows == 0 ? addSparseRows(in, out) : addMixedRows(in, out);
        if (uniformMass != 0.0) {
            double share = uniformMass / stateCount;
            for (int j = 0; j < stateCount; j++) {
                out[j] += share;
            }
        }
    }

    /** The rows of {@link #step} when every row is sparse; returns the uniform prior mass. */
    private double addSparseRows(double[] in, double[] out) {
        double uniformMass = 0.0;
        boolean uniformPrior = prior.isUniform();
        for (int i = 0; i < stateCount; i++) {
            double vi = in[i];
            if (vi == 0.0) {
                continue;
            }
            Row row = rows[i];
            long total = row == null ? 0 : row.total;
            double priorMass;
            if (total == 0) {
                priorMass = vi;
            } else {
                double scale = vi / (total + priorWeight);
                int[] cols = row.columns;
                double[] weights = row.weights;
                for (int k = 0; k < row.size; k++) {
                    out[cols[k]] += scale * weights[k];
                }
                priorMass = scale * priorWeight;
            }
            if (priorMass != 0.0) {
                if (uniformPrior) {
                    uniformMass += priorMass;
                } else {
                    prior.addRow(i, priorMass, out);
                }
            }
        }
        return uniformMass;
    }

    /**
     * The rows of {@link #step} when some rows are dense: the same additions in the same order,
     * with two consecutive dense rows sharing one pass; returns the uniform prior mass.
     */
    private double addMixedRows(double[] in, double[] out) {
        double uniformMass = 0.0;
        boolean uniformPrior = prior.isUniform();
        // A dense row waiting to be added, so that two consecutive dense rows share one pass.
        double[] pending = null;
        double pendingScale = 0.0;
        for (int i = 0; i < stateCount; i++) {
            double vi = in[i];
            if (vi == 0.0) {
                continue;
            }
            Row row = rows[i];
            long total = row == null ? 0 : row.total;
            double priorMass;
            if (total == 0) {
                priorMass = vi;
            } else {
                double scale = vi / (total + priorWeight);
                double[] dense = row.denseWeights;
                if (dense != null && Double.isFinite(scale)) {
                    if (pending == null) {
                        pending = dense;
                        pendingScale = scale;
                    } else {
                        addDense(out, pendingScale, pending, scale, dense);
                        pending = null;
                    }
                } else {
                    if (pending != null) {
                        addDense(out, pendingScale, pending);
                        pending = null;
                    }
                    int[] cols = row.columns;
                    if (dense == null) {
                        double[] weights = row.weights;
                        for (int k = 0; k < row.size; k++) {
                            out[cols[k]] += scale * weights[k];
                        }
                    } else {
                        // non-finite scale: Inf·0 would turn unobserved columns into NaN
                        for (int k = 0; k < row.size; k++) {
                            out[cols[k]] += scale * dense[cols[k]];
                        }
                    }
                }
                priorMass = scale * priorWeight;
            }
            if (priorMass != 0.0) {
                if (uniformPrior) {
                    uniformMass += priorMass;
                } else {
                    if (pending != null) {
                        addDense(out, pendingScale, pending);
                        pending = null;
                    }
                    prior.addRow(i, priorMass, out);
                }
            }
        }
        if (pending != null) {
            addDense(out, pendingScale, pending);
        }
        return uniformMass;
    }

    /*
     * Dense rows are added in contiguous (vectorisable) passes over all columns. The unobserved
     * columns add scale·0 = ±0.0 (scale is finite), which leaves out[j] bit-for-bit unchanged: out[j]
     * is never -0.0, as it starts at +0.0 and a sum is -0.0 only if both terms are. Two rows in one
     * pass evaluate (out[j] + a·x[j]) + b·y[j], the same additions in the same order as two passes.
     * So the result is identical to adding only the stored entries, row by row.
     */
    private static void addDense(double[] out, double a, double[] x) {
        for (int j = 0; j < out.length; j++) {
            out[j] += a * x[j];
        }
    }

    private static void addDense(double[] out, double a, double[] x, double b, double[] y) {
        for (int j = 0; j < out.length; j++) {
            out[j] = out[j] + a * x[j] + b * y[j];
        }
    }

    private void checkState(String field, int state) {
        if (state < 0 || state >= stateCount) {
            throw new IllegalArgumentException(field + ": expected a state in 0.." + (stateCount - 1) + ", got " + state);
        }
    }

    // --- package-private access for the codec -------------------------------------------------

    int[] rowColumns(int from) {
        return columnsOf(rows[from]);
    }

    long[] rowCounts(int from) {
        return countsOf(rows[from]);
    }

    private static int[] columnsOf(Row row) {
        return row == null ? new int[0] : Arrays.copyOf(row.columns, row.size);
    }

    private static long[] countsOf(Row row) {
        if (row == null) {
            return new long[0];
        }
        long[] out = new long[row.size];
        for (int k = 0; k < row.size; k++) {
            out[k] = row.countAt(k);
        }
        return out;
    }

    /** Dwells of {@code state} with a dwell row, ascending (empty when none). */
    int[] dwellsWithRows(int state) {
        Row[] byDwell = dwellRows[state];
        if (byDwell == null) {
            return new int[0];
        }
        int n = 0;
        int[] out = new int[byDwell.length];
        for (int d = 1; d < byDwell.length; d++) {
            if (byDwell[d] != null && byDwell[d].size > 0) {
                out[n++] = d;
            }
        }
        return Arrays.copyOf(out, n);
    }

    int[] dwellRowColumns(int state, int dwell) {
        return columnsOf(dwellRow(state, dwell));
    }

    long[] dwellRowCounts(int state, int dwell) {
        return countsOf(dwellRow(state, dwell));
    }

    /** Restores one decoded dwell row; the codec validated every value beforehand. */
    void restoreDwellRow(int state, int dwell, int[] columns, long[] counts) {
        Row[] byDwell = dwellRows[state];
        if (byDwell == null) {
            byDwell = new Row[DWELL_CAP_SAMPLES + 1];
            dwellRows[state] = byDwell;
        }
        Row row = new Row();
        for (int k = 0; k < columns.length; k++) {
            row.add(columns[k], counts[k], stateCount);
        }
        byDwell[dwell] = row;
    }

    /** Restores how long the previous state had lasted (0: unknown until the state next changes). */
    void restoreDwell(int samplesInState) {
        dwell = samplesInState;
    }

    /** Restores a decoded model; the codec validated every value beforehand. */
    void restore(int previous, long sampleCount, int from, int[] columns, long[] counts) {
        if (columns.length > 0) {
            Row row = new Row();
            for (int k = 0; k < columns.length; k++) {
                row.add(columns[k], counts[k], stateCount);
            }
            rows[from] = row;
        }
        previousState = previous;
        samples = sampleCount;
        recountDenseRows();
    }

    private void recountDenseRows() {
        denseRows = 0;
        for (Row row : rows) {
            if (row != null && row.denseWeights != null) {
                denseRows++;
            }
        }
    }

    /** Copies the learned counts of {@code other} (same state count) into this model. */
    public void copyCountsFrom(MarkovModel other) {
        if (other.stateCount != stateCount) {
            throw new IllegalArgumentException("states: expected " + stateCount + ", got " + other.stateCount);
        }
        for (int i = 0; i < stateCount; i++) {
            Row src = other.rows[i];
            if (src == null) {
                rows[i] = null;
            } else {
                Row copy = new Row();
                for (int k = 0; k < src.size; k++) {
                    copy.add(src.columns[k], src.countAt(k), stateCount);
                }
                rows[i] = copy;
            }
        }
        for (int i = 0; i < stateCount; i++) {
            Row[] src = other.dwellRows[i];
            if (src == null) {
                dwellRows[i] = null;
                continue;
            }
            Row[] copy = new Row[src.length];
            for (int d = 0; d < src.length; d++) {
                if (src[d] != null) {
                    Row c = new Row();
                    for (int k = 0; k < src[d].size; k++) {
                        c.add(src[d].columns[k], src[d].countAt(k), stateCount);
                    }
                    copy[d] = c;
                }
            }
            dwellRows[i] = copy;
        }
        previousState = other.previousState;
        dwell = other.dwell;
        samples = other.samples;
        recountDenseRows();
    }

    /**
     * A row of observed counts. Sparse while short: parallel arrays in insertion order, linear scan
     * (rows hold a handful of entries in practice). Once it holds at least a quarter of the states
     * it switches to dense arrays indexed by target state, so that {@link #step} is a contiguous
     * (vectorisable) pass instead of a scatter and {@link #observe} is O(1); at that size the dense
     * arrays cost a small constant times the sparse ones, so memory still grows with the observed
     * transitions. Besides the exact {@code long} counts each form keeps their {@code double}
     * values, which is what {@link #step} multiplies by: the same numbers the long-to-double
     * conversion gives, without paying for that conversion on every product. {@code columns} keeps
     * the insertion order in both forms (the codec writes rows in that order).
     */
    private static final class Row {
        int[] columns = new int[2];
        int size;
        long total;
        /** Sparse form, parallel to {@code columns}; null once dense. */
        long[] counts = new long[2];
        double[] weights = new double[2];
        /** Dense form, indexed by target state; null while sparse. */
        long[] denseCounts;
        double[] denseWeights;

        /** Counts one transition to {@code to}; true when that switched the row to the dense form. */
        boolean increment(int to, int stateCount) {
            if (denseCounts != null) {
                long c = ++denseCounts[to];
                denseWeights[to] = c;
                if (c == 1) {
                    appendColumn(to);
                }
                total++;
                return false;
            }
            for (int k = 0; k < size; k++) {
                if (columns[k] == to) {
                    weights[k] = ++counts[k];
                    total++;
                    return false;
                }
            }
            return add(to, 1, stateCount);
        }

        /** Adds a target state that is not in the row yet; true when the row switched to dense. */
        boolean add(int to, long count, int stateCount) {
            total += count;
            if (denseCounts != null) {
                denseCounts[to] = count;
                denseWeights[to] = count;
                appendColumn(to);
                return false;
            }
            if (size == counts.length) {
                counts = Arrays.copyOf(counts, size * 2);
                weights = Arrays.copyOf(weights, size * 2);
            }
            counts[size] = count;
            weights[size] = count;
            appendColumn(to);
            if (size * 4L >= stateCount) {
                denseCounts = new long[stateCount];
                denseWeights = new double[stateCount];
                for (int k = 0; k < size; k++) {
                    denseCounts[columns[k]] = counts[k];
                    denseWeights[columns[k]] = weights[k];
                }
                counts = null;
                weights = null;
                return true;
            }
            return false;
        }

        private void appendColumn(int to) {
            if (size == columns.length) {
                columns = Arrays.copyOf(columns, size * 2);
            }
            columns[size++] = to;
        }

        /** Count of the k-th stored target state (insertion order). */
        long countAt(int k) {
            return denseCounts != null ? denseCounts[columns[k]] : counts[k];
        }

        long count(int to) {
            if (denseCounts != null) {
                return denseCounts[to];
            }
            for (int k = 0; k < size; k++) {
                if (columns[k] == to) {
                    return counts[k];
                }
            }
            return 0;
        }
    }
}
