package io.migov.core;

import java.util.Arrays;

/**
 * A per-VM Markov chain over workload states, learned online.
 *
 * <p>Counts start at zero. Row i of the transition matrix is {@code counts[i] / Σ counts[i]} once
 * row i has counts, else the prior row. With a prior weight w &gt; 0 the prior acts as w
 * pseudo-counts: {@code (counts[i] + w·prior[i]) / (Σ counts[i] + w)}.
 *
 * <p>Only observed transitions are stored (a small sparse row per observed source state), so a
 * model's memory grows with what the VM did, not with N². Not thread-safe: confine a model to one
 * thread or guard it (the daemon's per-VM profile does).
 */
public final class MarkovModel {

    private final int stateCount;
    private final PriorMatrix prior;
    private final double priorWeight;
    private final Row[] rows;
    private int previousState = -1;
    private long samples;

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
            row.increment(state);
        }
        previousState = state;
        samples++;
    }

    /** Forgets the previous state so the next observation starts a new run (e.g. after a gap). */
    public void breakChain() {
        previousState = -1;
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
                out[row.columns[k]] = row.counts[k];
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
     * entries of each; prior mass of the uniform prior is spread once at the end.
     */
    public void step(double[] in, double[] out) {
        if (in.length != stateCount || out.length != stateCount) {
            throw new IllegalArgumentException("vector: expected length " + stateCount + ", got " + in.length + " and " + out.length);
        }
        Arrays.fill(out, 0.0);
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
                long[] counts = row.counts;
                for (int k = 0; k < row.size; k++) {
                    out[cols[k]] += scale * counts[k];
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
        if (uniformMass != 0.0) {
            double share = uniformMass / stateCount;
            for (int j = 0; j < stateCount; j++) {
                out[j] += share;
            }
        }
    }

    private void checkState(String field, int state) {
        if (state < 0 || state >= stateCount) {
            throw new IllegalArgumentException(field + ": expected a state in 0.." + (stateCount - 1) + ", got " + state);
        }
    }

    // --- package-private access for the codec -------------------------------------------------

    int[] rowColumns(int from) {
        Row row = rows[from];
        return row == null ? new int[0] : Arrays.copyOf(row.columns, row.size);
    }

    long[] rowCounts(int from) {
        Row row = rows[from];
        return row == null ? new long[0] : Arrays.copyOf(row.counts, row.size);
    }

    /** Restores a decoded model; the codec validated every value beforehand. */
    void restore(int previous, long sampleCount, int from, int[] columns, long[] counts) {
        if (columns.length > 0) {
            Row row = new Row();
            for (int k = 0; k < columns.length; k++) {
                row.add(columns[k], counts[k]);
            }
            rows[from] = row;
        }
        previousState = previous;
        samples = sampleCount;
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
                    copy.add(src.columns[k], src.counts[k]);
                }
                rows[i] = copy;
            }
        }
        previousState = other.previousState;
        samples = other.samples;
    }

    /** Sparse row: parallel arrays, linear scan (rows hold a handful of entries in practice). */
    private static final class Row {
        int[] columns = new int[2];
        long[] counts = new long[2];
        int size;
        long total;

        void increment(int to) {
            for (int k = 0; k < size; k++) {
                if (columns[k] == to) {
                    counts[k]++;
                    total++;
                    return;
                }
            }
            add(to, 1);
        }

        void add(int to, long count) {
            if (size == columns.length) {
                columns = Arrays.copyOf(columns, size * 2);
                counts = Arrays.copyOf(counts, size * 2);
            }
            columns[size] = to;
            counts[size++] = count;
            total += count;
        }

        long count(int to) {
            for (int k = 0; k < size; k++) {
                if (columns[k] == to) {
                    return counts[k];
                }
            }
            return 0;
        }
    }
}
