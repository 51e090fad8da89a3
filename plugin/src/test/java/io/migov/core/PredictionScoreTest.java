// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PredictionScoreTest {

    @Test
    void observe_alternatingStatesPredictedRight_beatsPersistence() {
        PredictionScore score = new PredictionScore();
        int[] states = {1, 2, 1, 2, 1, 2, 1, 2, 1};
        for (int t = 0; t < states.length; t++) {
            int next = states[t] == 1 ? 2 : 1;
            score.observe(states[t], next, 1);
        }
        assertEquals(8, score.scored());
        assertEquals(1.0, score.hitRate());
        assertEquals(0.0, score.persistenceHitRate());
        assertEquals(1, score.lastPredicted(), "made at the 8th tick, in state 2");
        assertEquals(1, score.lastRealised());
        assertEquals(2, score.pendingPrediction());
    }

    @Test
    void observe_predictionNStepsAhead_isScoredNTicksLater() {
        PredictionScore score = new PredictionScore();
        score.observe(5, 7, 3);
        score.observe(5, 5, 3);
        score.observe(6, 5, 3);
        assertEquals(0, score.scored(), "nothing is due before 3 ticks have passed");
        score.observe(7, 7, 3); // the first prediction (7) comes due: hit; persistence said 5: miss
        assertEquals(1, score.scored());
        assertEquals(1.0, score.hitRate());
        assertEquals(0.0, score.persistenceHitRate());
        score.observe(5, 5, 3); // second prediction (5) came true, and so did persistence (5)
        assertEquals(1.0, score.hitRate());
        assertEquals(0.5, score.persistenceHitRate());
    }

    @Test
    void observe_moreThanTheWindow_ratesCoverTheLastWindowOnly() {
        PredictionScore score = new PredictionScore();
        for (int t = 0; t < PredictionScore.WINDOW + 1; t++) {
            score.observe(0, 1, 1); // always wrong
        }
        for (int t = 0; t < PredictionScore.WINDOW; t++) {
            score.observe(0, 0, 1); // always right from here
        }
        assertEquals(PredictionScore.WINDOW, score.scored());
        // the first right prediction comes due one tick after it is made: one wrong one is still in the window
        assertEquals((PredictionScore.WINDOW - 1.0) / PredictionScore.WINDOW, score.hitRate(), 1e-12);
    }

    @Test
    void breakChain_dropsPredictionsStillDue() {
        PredictionScore score = new PredictionScore();
        score.observe(1, 1, 2);
        score.observe(1, 1, 2);
        score.breakChain();
        score.observe(3, 3, 2);
        score.observe(3, 3, 2);
        assertEquals(0, score.scored(), "predictions made before the break are never scored");
        assertEquals(-1, score.lastPredicted());
        score.observe(3, 3, 2);
        assertEquals(1, score.scored());
    }

    @Test
    void observe_lookAheadChanged_startsAfreshWithTheNewHorizon() {
        PredictionScore score = new PredictionScore();
        score.observe(1, 2, 1);
        score.observe(2, 2, 1);
        assertEquals(1, score.scored());
        score.observe(2, 9, 4);
        assertEquals(4, score.horizon());
        for (int t = 0; t < 3; t++) {
            score.observe(2, 2, 4);
        }
        assertEquals(1, score.scored(), "the horizon-4 predictions are not due yet");
        assertTrue(Double.isFinite(score.hitRate()));
    }

    @Test
    void hitRate_beforeAnyScore_isNaN() {
        PredictionScore score = new PredictionScore();
        assertTrue(Double.isNaN(score.hitRate()));
        assertTrue(Double.isNaN(score.persistenceHitRate()));
        assertThrows(IllegalArgumentException.class, () -> score.observe(0, 0, 0));
    }

    @Test
    void workloadProfileTick_periodicWorkload_modelBeatsPersistence() {
        DecisionCore core = DecisionCore.defaults();
        WorkloadProfile p = new WorkloadProfile(core);
        Sample[] cycle = {new Sample(5, 10, 0, 0), new Sample(30, 10, 0, 0), new Sample(90, 10, 0, 0)};
        for (int t = 0; t < 400; t++) {
            p.tick(cycle[t % 3], 2); // cpu low → moderate → high, a second each
        }
        WorkloadProfile.ScoreView s = p.score();
        assertEquals(PredictionScore.WINDOW, s.scored());
        assertTrue(s.hitRate() > 0.95, "the model learns the period: " + s.hitRate());
        assertEquals(0.0, s.persistenceHitRate(), 1e-12, "two steps ahead the state has always moved on");
    }

    @Test
    void observe_tickWithoutPrediction_isNotScoredWhenDue_andKeepsThePendingOne() {
        PredictionScore score = new PredictionScore();
        score.observe(1, 1, 1);
        score.observe(1, PredictionScore.NONE, 1);
        assertEquals(1, score.scored(), "the first tick's prediction came due");
        assertEquals(1, score.pendingPrediction(), "no new prediction: the latest one stands");
        score.observe(2, 7, 1);
        assertEquals(1, score.scored(), "the second tick made none: nothing scored");
        score.observe(7, PredictionScore.NONE, 1);
        assertEquals(2, score.scored());
        assertEquals(1.0, score.hitRate());
        assertEquals(0.5, score.persistenceHitRate());
    }

    @Test
    void observe_predictedStateBelowNone_namesTheField() {
        PredictionScore score = new PredictionScore();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> score.observe(0, -2, 1));
        assertTrue(e.getMessage().contains("predictedState") && e.getMessage().contains("-2"), e.getMessage());
        assertEquals(-1, score.pendingPrediction(), "nothing filed");
    }

    @Test
    void workloadProfileTick_predictsOnTheFirstTickThenEveryFifth_alsoAfterABreak() {
        WorkloadProfile p = new WorkloadProfile(DecisionCore.defaults());
        Sample s = new Sample(5, 10, 0, 0);
        int ticks = 1 + 2 * PredictionScore.PREDICT_EVERY_TICKS;
        for (int t = 0; t < ticks; t++) {
            p.tick(s, 1);
        }
        // predictions at ticks 0, 5 and 10; the first two came due at ticks 1 and 6
        assertEquals(2, p.score().scored());
        p.breakChain();
        p.tick(s, 1);
        p.tick(s, 1);
        assertEquals(3, p.score().scored(), "the first tick after the break predicted, and it came due");
    }
}
