package io.migov.core;

/**
 * Looks ahead from a state: the distribution after k steps is v·Pᵏ, computed as k sparse
 * vector-matrix products (Pᵏ is never formed). Stateless and thread-safe, given that the model is
 * not mutated during a call.
 */
public final class Predictor {

    /** Upper bound on the look-ahead, to keep a bad setting from turning a tick into a stall. */
    public static final int MAX_LOOK_AHEAD = 1000;

    private final StateTraits traits;

    public Predictor(StateTraits traits) {
        this.traits = traits;
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
        double[] v = new double[n];
        double[] next = new double[n];
        v[currentState] = 1.0;
        int[] mostLikely = new int[lookAhead];
        double[] probability = new double[lookAhead];
        double memory = 0;
        double netOut = 0;
        double netIn = 0;
        for (int k = 0; k < lookAhead; k++) {
            model.step(v, next);
            double[] swap = v;
            v = next;
            next = swap;
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
        double[] v = new double[model.stateCount()];
        double[] next = new double[model.stateCount()];
        v[currentState] = 1.0;
        for (int k = 0; k < steps; k++) {
            model.step(v, next);
            double[] swap = v;
            v = next;
            next = swap;
        }
        return v;
    }

    // Floating-point sums can land a hair outside [0, 1].
    private static double clampShare(double share) {
        return Math.max(0.0, Math.min(1.0, share));
    }
}
