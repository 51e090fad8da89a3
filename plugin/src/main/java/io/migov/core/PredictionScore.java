// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

/**
 * Scores a VM's predictions as they come due: every {@link #PREDICT_EVERY_TICKS}th tick the model
 * predicts the most likely state {@code n} steps ahead; {@code n} ticks later that prediction is
 * compared with the state that was realised, and so is the persistence guess ("the state stays the
 * same"). The rolling hit rates over the last {@link #WINDOW} scored predictions tell operators
 * whether the model earns its place: a model that does not beat persistence predicts nothing a
 * constant would not.
 *
 * <p>Why not every tick: over the dwell-aware chain a prediction costs far more than the rest of a
 * VM's tick (a JFR profile of 500 VMs at 1 Hz put a third of migov's CPU there,
 * docs/evaluation/scale.md), and a hit rate is an estimate that a sample of the ticks serves as
 * well. A migration's own prediction is made when it starts, not taken from here.
 *
 * <p>A break in the chain (migration, pause) or a change of {@code n} drops the predictions still
 * due, since they no longer refer to the next {@code n} seconds. Not thread-safe: the owning
 * {@link WorkloadProfile} serialises access.
 */
public final class PredictionScore {

    /** Ticks per prediction made for scoring: the first tick predicts, then every this many. */
    public static final int PREDICT_EVERY_TICKS = 5;

    /** Scored predictions the rolling hit rates cover (5 minutes of 1 s ticks, one prediction in 5). */
    public static final int WINDOW = 60;

    /** The predicted state of a tick that made no prediction. */
    public static final int NONE = -1;

    private int horizon;
    private int[] duePredicted = new int[0];
    private int[] dueFrom = new int[0];
    private int dueHead;
    private int dueCount;

    private final boolean[] hit = new boolean[WINDOW];
    private final boolean[] persistenceHit = new boolean[WINDOW];
    private int windowHead;
    private int scored;
    private int hits;
    private int persistenceHits;

    private int lastPredicted = -1;
    private int lastRealised = -1;
    private int pendingPrediction = -1;

    /**
     * Scores the prediction due now, if one was made then, against {@code realisedState}, then files
     * {@code predictedState}, the prediction made now for {@code lookAhead} steps ahead, or
     * {@link #NONE} when this tick made none.
     */
    public void observe(int realisedState, int predictedState, int lookAhead) {
        if (predictedState < NONE) {
            throw new IllegalArgumentException("predictedState: expected a state ≥ 0 or " + NONE + " (none), got " + predictedState);
        }
        if (lookAhead < 1) {
            throw new IllegalArgumentException("lookAhead: expected ≥ 1, got " + lookAhead);
        }
        if (lookAhead != horizon) {
            horizon = lookAhead;
            duePredicted = new int[lookAhead];
            dueFrom = new int[lookAhead];
            dueHead = 0;
            dueCount = 0;
        }
        if (dueCount == horizon) {
            int predicted = duePredicted[dueHead];
            int from = dueFrom[dueHead];
            if (predicted != NONE) {
                score(predicted == realisedState, from == realisedState);
                lastPredicted = predicted;
                lastRealised = realisedState;
            }
            dueCount--;
            dueHead = (dueHead + 1) % horizon;
        }
        int tail = (dueHead + dueCount) % horizon;
        duePredicted[tail] = predictedState;
        dueFrom[tail] = realisedState;
        dueCount++;
        if (predictedState != NONE) {
            pendingPrediction = predictedState;
        }
    }

    /** The chain broke: predictions still due no longer refer to what comes next. The window stays. */
    public void breakChain() {
        dueHead = 0;
        dueCount = 0;
        pendingPrediction = -1;
    }

    private void score(boolean modelHit, boolean persistence) {
        if (scored == WINDOW) {
            hits -= hit[windowHead] ? 1 : 0;
            persistenceHits -= persistenceHit[windowHead] ? 1 : 0;
        } else {
            scored++;
        }
        hit[windowHead] = modelHit;
        persistenceHit[windowHead] = persistence;
        hits += modelHit ? 1 : 0;
        persistenceHits += persistence ? 1 : 0;
        windowHead = (windowHead + 1) % WINDOW;
    }

    /** Predictions scored in the window (≤ {@link #WINDOW}). */
    public int scored() {
        return scored;
    }

    /** Share of scored predictions that came true; NaN before the first. */
    public double hitRate() {
        return scored == 0 ? Double.NaN : (double) hits / scored;
    }

    /** Share of the same ticks where "the state stays the same" came true; NaN before the first. */
    public double persistenceHitRate() {
        return scored == 0 ? Double.NaN : (double) persistenceHits / scored;
    }

    /** The state the latest prediction (at most {@link #PREDICT_EVERY_TICKS} − 1 ticks old) said for {@code n} steps ahead, -1 if none since the last break. */
    public int pendingPrediction() {
        return pendingPrediction;
    }

    /** The last scored prediction: what was predicted, -1 before the first. */
    public int lastPredicted() {
        return lastPredicted;
    }

    /** The last scored prediction: the state that was realised, -1 before the first. */
    public int lastRealised() {
        return lastRealised;
    }

    /** Steps ahead the filed predictions look (n at the last observation). */
    public int horizon() {
        return horizon;
    }
}
