// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dwell rows of {@link MarkovModel} and the dwell-aware look-ahead of {@link Predictor}. */
class DwellPredictionTest {

    private static final StateTraits TRAITS = new StateTraits(Discretiser.defaultScheme());
    private static final Predictor CHAIN = new Predictor(TRAITS);
    private static final Predictor DWELL = new Predictor(TRAITS, Predictor.DEFAULT_DWELL_PSEUDO_COUNTS);
    private static final int A = 0;
    private static final int B = 40;

    @Test
    void observe_countsWhatFollowedAStateByHowLongItHadLasted() {
        MarkovModel m = new MarkovModel(81);
        assertEquals(0, m.dwell());
        for (int s : new int[] {A, A, A, B}) {
            m.observe(s);
        }
        assertEquals(1, m.dwellCount(A, 1, A));
        assertEquals(1, m.dwellCount(A, 2, A));
        assertEquals(1, m.dwellCount(A, 3, B));
        assertEquals(0, m.dwellCount(A, 3, A));
        assertEquals(1, m.dwellRowTotal(A, 3));
        assertEquals(1, m.dwell(), "B has lasted one sample");
        assertEquals(3, m.storedDwellTransitions());
    }

    @Test
    void observe_longRun_dwellStopsAtTheCap() {
        MarkovModel m = new MarkovModel(81);
        for (int i = 0; i < 200; i++) {
            m.observe(A);
        }
        assertEquals(MarkovModel.DWELL_CAP_SAMPLES, m.dwell());
        // 199 transitions: one at each dwell 1..119, the other 80 at the cap
        assertEquals(200 - MarkovModel.DWELL_CAP_SAMPLES, m.dwellCount(A, MarkovModel.DWELL_CAP_SAMPLES, A));
        assertEquals(MarkovModel.DWELL_CAP_SAMPLES, m.storedDwellTransitions());
    }

    @Test
    void breakChain_forgetsHowLongTheStateLasted() {
        MarkovModel m = new MarkovModel(81);
        m.observe(A);
        m.observe(A);
        m.breakChain();
        assertEquals(0, m.dwell());
        m.observe(A);
        assertEquals(1, m.dwell(), "a run after a gap starts again");
        assertEquals(1, m.dwellRowTotal(A, 1), "nothing counted across the gap");
    }

    @Test
    void dwellAccessors_outOfRange_areRejectedNamingTheField() {
        MarkovModel m = new MarkovModel(81);
        assertEquals("dwell: expected 1..120 samples, got 0",
                assertThrows(IllegalArgumentException.class, () -> m.dwellCount(A, 0, A)).getMessage());
        assertEquals("dwell: expected 1..120 samples, got 121",
                assertThrows(IllegalArgumentException.class, () -> m.dwellRowTotal(A, 121)).getMessage());
        assertEquals("dwellPseudoCounts: expected a finite value ≥ 0 (or NaN for off), got -1.0",
                assertThrows(IllegalArgumentException.class, () -> new Predictor(TRAITS, -1)).getMessage());
    }

    @Test
    void predict_periodicPhases_dwellPredictsThePhaseEndWhereTheChainPredictsPersistence() {
        // three samples of A, two of B, repeated: from A the chain sees A→A 2/3 of the time, whatever A's age
        MarkovModel m = new MarkovModel(81);
        for (int cycle = 0; cycle < 20; cycle++) {
            for (int s : new int[] {A, A, A, B, B}) {
                m.observe(s);
            }
        }
        for (int s : new int[] {A, A, A}) {
            m.observe(s);
        }
        assertEquals(3, m.dwell());
        assertEquals(A, CHAIN.predict(m, A, 1).mostLikelyState(1), "first order: the state stays");
        Prediction p = DWELL.predict(m, A, 3);
        assertEquals(B, p.mostLikelyState(1), "A has lasted 3 samples: it always ended there");
        assertEquals(B, p.mostLikelyState(2));
        assertEquals(A, p.mostLikelyState(3), "then A again, after B's two samples");
        assertTrue(p.probability(1) > 0.9, "one pseudo-observation of the ordinary row against 20 of the dwell row: "
                + p.probability(1));
    }

    @Test
    void distribution_noDwellRows_isExactlyTheChainsLookAhead() {
        // a model without dwell rows (a version-1 document): the dwell-aware look-ahead must fall back to the counts
        Random random = new Random(7);
        for (int trial = 0; trial < 20; trial++) {
            MarkovModel learned = new MarkovModel(81);
            for (int i = 0; i < 300; i++) {
                learned.observe(random.nextInt(6) * 13);
            }
            // a version-1 document: the first-order counts only
            MarkovModel decoded = ModelCodec.decode(ModelCodec.encode(learned).replace("\"version\":2", "\"version\":1"),
                    PriorMatrix.uniform(81), 0.5);
            int current = random.nextInt(6) * 13;
            decoded.observe(current); // no dwell row counted: the run's start was unknown
            assertEquals(0, decoded.storedDwellTransitions());
            for (int k = 0; k <= 6; k++) {
                double[] chain = CHAIN.distribution(decoded, current, k);
                double[] dwell = DWELL.distribution(decoded, current, k);
                for (int s = 0; s < 81; s++) {
                    assertEquals(chain[s], dwell[s], 1e-12, "trial " + trial + ", k=" + k + ", state " + s);
                }
            }
        }
    }

    @Test
    void distribution_randomModels_massStaysOneAndNonNegative() {
        Random random = new Random(11);
        for (int trial = 0; trial < 30; trial++) {
            MarkovModel m = new MarkovModel(PriorMatrix.uniform(81), trial % 3);
            int state = 0;
            for (int i = 0; i < 400; i++) {
                state = random.nextInt(10) < 7 ? state : random.nextInt(81);
                m.observe(state);
            }
            for (int k = 1; k <= 8; k++) {
                double[] v = DWELL.distribution(m, state, k);
                double sum = 0;
                for (double p : v) {
                    assertFalse(p < -1e-15, "negative mass " + p);
                    sum += p;
                }
                assertEquals(1.0, sum, 1e-9, "trial " + trial + ", k=" + k);
            }
        }
    }

    @Test
    void predict_stateOtherThanTheLastObserved_usesTheChain() {
        MarkovModel m = new MarkovModel(81);
        for (int cycle = 0; cycle < 10; cycle++) {
            for (int s : new int[] {A, A, B}) {
                m.observe(s);
            }
        }
        // asked from A while the model last saw B: A's age is unknown, so no dwell row applies
        double[] chain = CHAIN.distribution(m, A, 2);
        double[] dwell = DWELL.distribution(m, A, 2);
        for (int s = 0; s < 81; s++) {
            assertEquals(chain[s], dwell[s], 0.0);
        }
    }
}
