// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

import java.util.Arrays;

/**
 * Looks ahead from a state: the distribution after k steps is v·Pᵏ, computed as k sparse
 * vector-matrix products (Pᵏ is never formed). Dwell-aware (the default in the daemon), the chain
 * runs over (state, how long it has lasted), so a phase that always ends after about the same time
 * is predicted to end; see {@link MarkovModel#stepDwell}. Stateless and thread-safe, given that the model is
 * not mutated during a call.
 */
public final class Predictor {

    /** Upper bound on the look-ahead, to keep a bad setting from turning a tick into a stall. */
    public static final int MAX_LOOK_AHEAD = 1000;

    /** The default weight of a state's ordinary row against its dwell row: one pseudo-observation. */
    public static final double DEFAULT_DWELL_PSEUDO_COUNTS = 1.0;

    private final StateTraits traits;
    /** NaN: the research's first-order chain; else the ordinary row's weight in a dwell row. */
    private final double dwellPseudoCounts;

    /** A predictor over the first-order chain (the research's v·Pⁿ). */
    public Predictor(StateTraits traits) {
        this(traits, Double.NaN);
    }

    /**
     * @param dwellPseudoCounts NaN for the research's first-order chain; else look ahead over
     *                          (state, dwell) with this many pseudo-observations of the ordinary row
     *                          in each dwell row (≥ 0, finite)
     */
    public Predictor(StateTraits traits, double dwellPseudoCounts) {
        if (!Double.isNaN(dwellPseudoCounts) && (!Double.isFinite(dwellPseudoCounts) || dwellPseudoCounts < 0)) {
            throw new IllegalArgumentException("dwellPseudoCounts: expected a finite value ≥ 0 (or NaN for off), got " + dwellPseudoCounts);
        }
        this.traits = traits;
        this.dwellPseudoCounts = dwellPseudoCounts;
    }

    /** Whether look-ahead follows how long the current state has lasted. */
    public boolean dwellAware() {
        return !Double.isNaN(dwellPseudoCounts);
    }

    public Prediction predict(MarkovModel model, int currentState, int lookAhead) {
        if (lookAhead < 1 || lookAhead > MAX_LOOK_AHEAD) {
            throw new IllegalArgumentException("lookAhead: expected 1.." + MAX_LOOK_AHEAD + ", got " + lookAhead);
        }
        int n = model.stateCount();
        if (n != traits.stateCount()) {
            throw new IllegalArgumentException("model.states: expected " + traits.stateCount() + ", got " + n);
        }
        traits.discretiser().requireState(currentState);
        Stepper stepper = stepper(model, currentState);
        int[] mostLikely = new int[lookAhead];
        double[] probability = new double[lookAhead];
        double memory = 0;
        double netOut = 0;
        double netIn = 0;
        for (int k = 0; k < lookAhead; k++) {
            double[] v = stepper.next();
            int best = 0;
            for (int s = 0; s < n; s++) {
                double p = v[s];
                if (p > v[best]) {
                    best = s; // strict '>' keeps the lowest index on ties
                }
                if (p != 0.0) {
                    if (traits.memoryIntensiveUnchecked(s)) {
                        memory += p;
                    }
                    if (traits.netOutIntensiveUnchecked(s)) {
                        netOut += p;
                    }
                    if (traits.netInIntensiveUnchecked(s)) {
                        netIn += p;
                    }
                }
            }
            mostLikely[k] = best;
            probability[k] = v[best];
        }
        Behaviour behaviour = new Behaviour(lookAhead, clampShare(memory / lookAhead),
                clampShare(netOut / lookAhead), clampShare(netIn / lookAhead));
        return new Prediction(currentState, mostLikely, probability, behaviour);
    }

    /** Distribution after exactly {@code steps} steps from {@code currentState}. */
    public double[] distribution(MarkovModel model, int currentState, int steps) {
        if (steps < 0 || steps > MAX_LOOK_AHEAD) {
            throw new IllegalArgumentException("steps: expected 0.." + MAX_LOOK_AHEAD + ", got " + steps);
        }
        traits.discretiser().requireState(currentState);
        Stepper stepper = stepper(model, currentState);
        double[] v = stepper.states();
        for (int k = 0; k < steps; k++) {
            v = stepper.next();
        }
        return v.clone();
    }

    /**
     * Dwell-aware when configured and the model knows how long {@code currentState} has lasted (it
     * is the state the model saw last); otherwise the first-order chain.
     */
    private Stepper stepper(MarkovModel model, int currentState) {
        if (dwellAware() && model.previousState() == currentState && model.dwell() > 0) {
            return new DwellStepper(model, currentState, model.dwell(), dwellPseudoCounts, buffers(model.stateCount()));
        }
        return new ChainStepper(model, currentState);
    }

    /**
     * The (state, dwell) vectors are 121 × the state count: reused per thread rather than allocated
     * per prediction (the profiler predicts for every VM every second).
     */
    private static final ThreadLocal<Buffers> BUFFERS = new ThreadLocal<>();

    private static Buffers buffers(int stateCount) {
        Buffers b = BUFFERS.get();
        if (b == null || b.marginal.length != stateCount) {
            b = new Buffers(stateCount);
            BUFFERS.set(b);
        }
        return b;
    }

    private static final class Buffers {
        final double[] pairs;
        final double[] nextPairs;
        /** Per state, the largest dwell carrying mass (0: none), for {@code pairs} and {@code nextPairs}. */
        final int[] maxDwell;
        final int[] nextMaxDwell;
        final double[] scratchIn;
        final double[] scratchOut;
        final double[] marginal;

        Buffers(int n) {
            int width = MarkovModel.DWELL_CAP_SAMPLES + 1;
            pairs = new double[n * width];
            nextPairs = new double[n * width];
            maxDwell = new int[n];
            nextMaxDwell = new int[n];
            scratchIn = new double[n];
            scratchOut = new double[n];
            marginal = new double[n];
        }

        /** Zeroes what the last prediction left: only the dwells its bounds cover can be non-zero. */
        void clear() {
            int width = MarkovModel.DWELL_CAP_SAMPLES + 1;
            for (int s = 0; s < maxDwell.length; s++) {
                if (maxDwell[s] > 0) {
                    Arrays.fill(pairs, s * width + 1, s * width + maxDwell[s] + 1, 0.0);
                    maxDwell[s] = 0;
                }
                if (nextMaxDwell[s] > 0) {
                    Arrays.fill(nextPairs, s * width + 1, s * width + nextMaxDwell[s] + 1, 0.0);
                    nextMaxDwell[s] = 0;
                }
            }
            Arrays.fill(marginal, 0.0);
        }
    }

    /** Successive state distributions v·P, v·P², … */
    private interface Stepper {
        /** The current distribution over states (read-only). */
        double[] states();

        /** Advances one step and returns the distribution over states (read-only, reused). */
        double[] next();
    }

    private static final class ChainStepper implements Stepper {
        private final MarkovModel model;
        private double[] v;
        private double[] next;

        ChainStepper(MarkovModel model, int currentState) {
            this.model = model;
            this.v = new double[model.stateCount()];
            this.next = new double[model.stateCount()];
            v[currentState] = 1.0;
        }

        @Override
        public double[] states() {
            return v;
        }

        @Override
        public double[] next() {
            model.step(v, next);
            double[] swap = v;
            v = next;
            next = swap;
            return v;
        }
    }

    /** Steps over (state, dwell) pairs and reports the marginal over states. */
    private static final class DwellStepper implements Stepper {
        private static final int WIDTH = MarkovModel.DWELL_CAP_SAMPLES + 1;
        private final MarkovModel model;
        private final double pseudoCounts;
        private double[] pairs;
        private double[] nextPairs;
        private int[] maxDwell;
        private int[] nextMaxDwell;
        private final double[] scratchIn;
        private final double[] scratchOut;
        private final double[] marginal;

        DwellStepper(MarkovModel model, int currentState, int dwell, double pseudoCounts, Buffers b) {
            this.model = model;
            this.pseudoCounts = pseudoCounts;
            b.clear();
            this.pairs = b.pairs;
            this.nextPairs = b.nextPairs;
            this.maxDwell = b.maxDwell;
            this.nextMaxDwell = b.nextMaxDwell;
            this.scratchIn = b.scratchIn;
            this.scratchOut = b.scratchOut;
            this.marginal = b.marginal;
            pairs[currentState * WIDTH + dwell] = 1.0;
            maxDwell[currentState] = dwell;
            marginal[currentState] = 1.0;
        }

        @Override
        public double[] states() {
            return marginal;
        }

        @Override
        public double[] next() {
            model.stepDwell(pairs, maxDwell, nextPairs, nextMaxDwell, pseudoCounts, scratchIn, scratchOut);
            double[] swap = pairs;
            pairs = nextPairs;
            nextPairs = swap;
            int[] swapBounds = maxDwell;
            maxDwell = nextMaxDwell;
            nextMaxDwell = swapBounds;
            for (int s = 0; s < marginal.length; s++) {
                double sum = 0.0;
                int hi = maxDwell[s];
                if (hi > 0) {
                    int base = s * WIDTH;
                    for (int d = 1; d <= hi; d++) {
                        sum += pairs[base + d];
                    }
                }
                marginal[s] = sum;
            }
            return marginal;
        }
    }

    // Floating-point sums can land a hair outside [0, 1].
    private static double clampShare(double share) {
        return Math.max(0.0, Math.min(1.0, share));
    }
}
