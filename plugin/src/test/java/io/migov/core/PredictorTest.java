// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PredictorTest {

    private final DecisionCore core = DecisionCore.defaults();
    private final Predictor predictor = core.predictor();

    @Test
    void predict_freshModel_tiesGoToTheLowestIndex() {
        Prediction p = predictor.predict(new MarkovModel(81), 40, 3);
        assertArrayEquals(new int[] {0, 0, 0}, p.mostLikelyStates());
        assertEquals(1.0 / 81, p.probability(1), 1e-12);
    }

    @Test
    void predict_kSteps_matchesRepeatedDenseProducts() {
        MarkovModel model = new MarkovModel(81);
        int[] trace = {0, 0, 72, 72, 72, 9, 0, 72, 63, 72, 72, 0};
        for (int s : trace) {
            model.observe(s);
        }
        double[][] p = new double[81][];
        for (int i = 0; i < 81; i++) {
            p[i] = model.transitionRow(i);
        }
        double[] v = new double[81];
        v[72] = 1;
        for (int k = 1; k <= 6; k++) {
            double[] next = new double[81];
            for (int i = 0; i < 81; i++) {
                for (int j = 0; j < 81; j++) {
                    next[j] += v[i] * p[i][j];
                }
            }
            v = next;
            assertArrayEquals(v, predictor.distribution(model, 72, k), 1e-12, "k=" + k);
        }
    }

    @Test
    void predict_memoryHeavyChain_behaviourIsMemoryIntensive() {
        MarkovModel model = new MarkovModel(81);
        for (int i = 0; i < 50; i++) {
            model.observe(72); // cpu high, mem high
        }
        model.observe(9); // mem moderate, once
        model.observe(72);
        Prediction p = predictor.predict(model, 72, 5);
        assertEquals(72, p.mostLikelyState(1));
        assertTrue(p.behaviour().memoryIntensiveShare() > 0.9, p.behaviour().toString());
        assertTrue(p.behaviour().isMemoryIntensive());
        assertEquals(0.0, p.behaviour().netOutIntensiveShare(), 1e-12);
    }

    @Test
    void predict_netOutChain_behaviourIsNetOutIntensive() {
        int netOutHeavy = 2; // net_out high, rest low
        MarkovModel model = new MarkovModel(81);
        for (int i = 0; i < 20; i++) {
            model.observe(netOutHeavy);
        }
        Behaviour b = predictor.predict(model, netOutHeavy, 4).behaviour();
        assertEquals(1.0, b.netOutIntensiveShare(), 1e-12);
        assertEquals(0.0, b.netInIntensiveShare(), 1e-12);
        assertEquals(0.0, b.memoryIntensiveShare(), 1e-12);
    }

    @Test
    void predict_uniformRows_sharesAreTheShareOfStatesInEachClass() {
        Behaviour b = predictor.predict(new MarkovModel(81), 0, 2).behaviour();
        assertEquals(27.0 / 81, b.memoryIntensiveShare(), 1e-12); // mem = high in a third of the states
        // net-out-intensive: out > in and out ≥ 1: (in,out) ∈ {(0,1),(0,2),(1,2)} → 3 of 9
        assertEquals(3.0 / 9, b.netOutIntensiveShare(), 1e-12);
        assertEquals(3.0 / 9, b.netInIntensiveShare(), 1e-12);
    }

    @Test
    void predict_badLookAheadOrState_isRejectedNamingTheField() {
        MarkovModel model = new MarkovModel(81);
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> predictor.predict(model, 0, 0));
        assertTrue(zero.getMessage().startsWith("lookAhead:"), zero.getMessage());
        IllegalArgumentException state = assertThrows(IllegalArgumentException.class, () -> predictor.predict(model, 81, 1));
        assertTrue(state.getMessage().startsWith("state:"), state.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> predictor.predict(new MarkovModel(4), 0, 1));
        assertTrue(size.getMessage().startsWith("model.states:"), size.getMessage());
    }
}
