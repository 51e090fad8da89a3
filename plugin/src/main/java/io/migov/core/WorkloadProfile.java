// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

import java.util.Objects;

/**
 * One VM's learned behaviour: its Markov model and current state, fed one sample per tick.
 * Thread-safe: the profiler ticks while management reads and migrations ask for a prediction.
 */
public final class WorkloadProfile {

    private final DecisionCore core;
    private MarkovModel model;
    private int currentState = -1;
    private final PredictionScore score = new PredictionScore();
    /** Ticks since the last prediction made for scoring; the first tick (also after a break) predicts. */
    private int ticksSincePrediction = PredictionScore.PREDICT_EVERY_TICKS - 1;

    public WorkloadProfile(DecisionCore core, MarkovModel model) {
        this.core = Objects.requireNonNull(core, "core");
        requireCompatible(core, model);
        this.model = model;
        this.currentState = model.previousState();
    }

    public WorkloadProfile(DecisionCore core) {
        this(core, new MarkovModel(core.discretiser().stateCount()));
    }

    /** Discretises the sample, learns the transition into its state and returns that state. */
    public synchronized int tick(Sample sample) {
        int state = core.discretiser().stateOf(sample);
        model.observe(state);
        currentState = state;
        return state;
    }

    /**
     * As {@link #tick(Sample)}, and scores the model: the prediction made {@code lookAhead} ticks
     * ago, if that tick made one, is compared with the new state, and every
     * {@link PredictionScore#PREDICT_EVERY_TICKS}th tick a new one is made ({@link #score()}).
     */
    public synchronized int tick(Sample sample, int lookAhead) {
        int state = tick(sample);
        int predicted = PredictionScore.NONE;
        if (++ticksSincePrediction >= PredictionScore.PREDICT_EVERY_TICKS) {
            ticksSincePrediction = 0;
            predicted = core.predictor().predict(model, state, lookAhead).mostLikelyState(lookAhead);
        }
        score.observe(state, predicted, lookAhead);
        return state;
    }

    /** The next sample starts a new run: no transition is learned across a gap (a migration, a pause). */
    public synchronized void breakChain() {
        model.breakChain();
        score.breakChain();
        ticksSincePrediction = PredictionScore.PREDICT_EVERY_TICKS - 1;
    }

    /** Point-in-time copy of the model's prediction score. */
    public synchronized ScoreView score() {
        return new ScoreView(score.pendingPrediction(), score.horizon(), score.lastPredicted(), score.lastRealised(),
                score.scored(), score.hitRate(), score.persistenceHitRate());
    }

    /**
     * How the model's predictions fared.
     *
     * @param predictedState      the state predicted now for {@code lookAhead} steps ahead, -1 if none
     * @param lookAhead           n of the predictions
     * @param lastPredicted       the last prediction that came due: what it said, -1 before the first
     * @param lastRealised        the state realised when it came due, -1 before the first
     * @param scored              predictions scored in the rolling window
     * @param hitRate             share of them that came true (NaN before the first)
     * @param persistenceHitRate  share of the same ticks where "the state stays the same" came true
     */
    public record ScoreView(int predictedState, int lookAhead, int lastPredicted, int lastRealised, int scored,
                            double hitRate, double persistenceHitRate) {
    }

    /** Current state, or -1 before the first sample. */
    public synchronized int currentState() {
        return currentState;
    }

    public synchronized long samples() {
        return model.samples();
    }

    /** The decision for the current state, or null before the first sample. */
    public synchronized Decision decision() {
        return currentState < 0 ? null : core.selector().select(currentState);
    }

    public synchronized Prediction predict(int lookAhead) {
        if (currentState < 0) {
            throw new IllegalStateException("no sample yet: nothing to predict from");
        }
        return core.predictor().predict(model, currentState, lookAhead);
    }

    public synchronized double[] transitionRow(int from) {
        return model.transitionRow(from);
    }

    public synchronized String exportModel() {
        return ModelCodec.encode(model);
    }

    /** Replaces the model (e.g. one that arrived with the VM); the state continues from its last state. */
    public synchronized void replaceModel(MarkovModel replacement) {
        requireCompatible(core, replacement);
        model = replacement;
        currentState = replacement.previousState();
        score.breakChain();
        ticksSincePrediction = PredictionScore.PREDICT_EVERY_TICKS - 1;
    }

    /**
     * Gives the model another prior, keeping everything it learned (counts, dwell rows, the run in
     * progress); {@code prior} must have the model's state count.
     */
    public synchronized void replacePrior(PriorMatrix prior, double priorWeight) {
        MarkovModel relearned = new MarkovModel(prior, priorWeight);
        relearned.copyCountsFrom(model);
        model = relearned;
    }

    public synchronized void resetModel() {
        model = new MarkovModel(model.prior(), model.priorWeight());
        currentState = -1;
        score.breakChain();
        ticksSincePrediction = PredictionScore.PREDICT_EVERY_TICKS - 1;
    }

    public DecisionCore core() {
        return core;
    }

    private static void requireCompatible(DecisionCore core, MarkovModel model) {
        if (model.stateCount() != core.discretiser().stateCount()) {
            throw new IllegalArgumentException("model.states: expected " + core.discretiser().stateCount() + ", got " + model.stateCount());
        }
    }
}
