// SPDX-License-Identifier: Apache-2.0
package io.migov.replay;

import io.migov.core.DecisionCore;
import io.migov.core.MarkovModel;
import io.migov.core.PriorMatrix;
import io.migov.core.Prediction;
import io.migov.core.Strategy;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Replays a trace through an online-learning model and scores its look-ahead, as the research's
 * evaluation of the look-ahead n asks: at each time t the model has learned from samples ≤ t only.
 */
public final class PredictionReplay {

    private final DecisionCore core;
    private final PriorMatrix prior;
    private final double priorWeight;

    public PredictionReplay(DecisionCore core, PriorMatrix prior, double priorWeight) {
        if (prior.stateCount() != core.discretiser().stateCount()) {
            throw new IllegalArgumentException("prior.states: expected " + core.discretiser().stateCount() + ", got " + prior.stateCount());
        }
        this.core = core;
        this.prior = prior;
        this.priorWeight = priorWeight;
    }

    /**
     * @param accuracy    index k-1: share of times t (with t+k inside the trace) where the most
     *                    likely state k steps ahead equals the observed state at t+k
     * @param persistence the same score for the baseline "the state stays as it is"
     * @param decisions   how often each strategy was chosen, one decision per sample
     */
    public record Result(int samples, int states, int lookAhead, double[] accuracy, double[] persistence,
                         Map<Strategy, Integer> decisions, int distinctStates) {
    }

    public Result run(List<io.migov.core.Sample> samples, int lookAhead) {
        int size = samples.size();
        int[] states = new int[size];
        for (int t = 0; t < size; t++) {
            states[t] = core.discretiser().stateOf(samples.get(t));
        }
        MarkovModel model = new MarkovModel(prior, priorWeight);
        long[] hits = new long[lookAhead];
        long[] persistHits = new long[lookAhead];
        long[] trials = new long[lookAhead];
        Map<Strategy, Integer> decisions = new EnumMap<>(Strategy.class);
        for (Strategy s : Strategy.values()) {
            decisions.put(s, 0);
        }
        boolean[] seen = new boolean[core.discretiser().stateCount()];
        int distinct = 0;
        for (int t = 0; t < size; t++) {
            int state = states[t];
            model.observe(state);
            if (!seen[state]) {
                seen[state] = true;
                distinct++;
            }
            decisions.merge(core.selector().select(state).strategy(), 1, Integer::sum);
            int horizon = Math.min(lookAhead, size - 1 - t);
            if (horizon < 1) {
                continue;
            }
            Prediction p = core.predictor().predict(model, state, horizon);
            for (int k = 1; k <= horizon; k++) {
                trials[k - 1]++;
                if (p.mostLikelyState(k) == states[t + k]) {
                    hits[k - 1]++;
                }
                if (state == states[t + k]) {
                    persistHits[k - 1]++;
                }
            }
        }
        double[] accuracy = new double[lookAhead];
        double[] persistence = new double[lookAhead];
        for (int k = 0; k < lookAhead; k++) {
            accuracy[k] = trials[k] == 0 ? 0.0 : (double) hits[k] / trials[k];
            persistence[k] = trials[k] == 0 ? 0.0 : (double) persistHits[k] / trials[k];
        }
        return new Result(size, core.discretiser().stateCount(), lookAhead, accuracy, persistence, decisions, distinct);
    }
}
