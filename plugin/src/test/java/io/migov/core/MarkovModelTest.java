// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MarkovModelTest {

    private static final double EPS = 1e-12;

    // --- the research example, literally -------------------------------------------------------

    @Test
    void researchExample_afterTransition0to1_countAndTransitionRowsAsOnTheSlides() {
        MarkovModel model = new MarkovModel(4);
        model.observe(0);
        model.observe(1);

        assertArrayEquals(new long[] {0, 1, 0, 0}, model.countRow(0));
        for (int i = 1; i < 4; i++) {
            assertArrayEquals(new long[] {0, 0, 0, 0}, model.countRow(i));
        }
        assertArrayEquals(new double[] {0, 1, 0, 0}, model.transitionRow(0), EPS);
        for (int i = 1; i < 4; i++) {
            assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, model.transitionRow(i), EPS, "row " + i);
        }
    }

    @Test
    void researchExample_fromState0_nextMostLikelyStateIs1() {
        Discretiser research = Discretiser.builder().threshold(Resource.CPU, 50).threshold(Resource.MEMORY, 50).build();
        Predictor predictor = new Predictor(new StateTraits(research));
        MarkovModel model = new MarkovModel(4);
        model.observe(0);
        model.observe(1);
        // CPU 25 %, memory 25 %: state 0, as on the slides
        int current = research.stateOf(new Sample(25, 25, 0, 0));
        assertEquals(0, current);
        assertEquals(1, predictor.predict(model, current, 1).mostLikelyState(1));
    }

    @Test
    void researchExample_vectorOfState1TimesP_isRow1() {
        MarkovModel model = new MarkovModel(4);
        model.observe(0);
        model.observe(1);
        double[] out = new double[4];
        model.step(new double[] {0, 1, 0, 0}, out);
        assertArrayEquals(model.transitionRow(1), out, EPS);
    }

    @Test
    void researchExample_vTimesPSquared_equalsTwoSingleSteps() {
        Discretiser research = Discretiser.builder().threshold(Resource.CPU, 50).threshold(Resource.MEMORY, 50).build();
        Predictor predictor = new Predictor(new StateTraits(research));
        MarkovModel model = new MarkovModel(4);
        model.observe(0);
        model.observe(1);
        double[] once = new double[4];
        double[] twice = new double[4];
        model.step(new double[] {1, 0, 0, 0}, once);
        model.step(once, twice);
        assertArrayEquals(twice, predictor.distribution(model, 0, 2), EPS);
        // and against P² computed densely by hand
        double[][] p = new double[4][];
        for (int i = 0; i < 4; i++) {
            p[i] = model.transitionRow(i);
        }
        double[] dense = new double[4];
        for (int j = 0; j < 4; j++) {
            for (int k = 0; k < 4; k++) {
                dense[j] += p[0][k] * p[k][j];
            }
        }
        assertArrayEquals(dense, twice, EPS);
        assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, twice, EPS);
    }

    // --- rows ------------------------------------------------------------------------------------

    @Test
    void transitionRow_observedRow_isCountsOverRowTotal() {
        MarkovModel model = new MarkovModel(81);
        int[] trace = {72, 72, 72, 63, 72, 72};
        for (int s : trace) {
            model.observe(s);
        }
        // transitions from 72: 72,72,63,72 → 3×72, 1×63
        assertEquals(0.75, model.probability(72, 72), EPS);
        assertEquals(0.25, model.probability(72, 63), EPS);
        assertEquals(1.0, model.probability(63, 72), EPS);
        assertEquals(1.0 / 81, model.probability(0, 5), EPS);
        assertEquals(6, model.samples());
        assertEquals(5, model.transitions());
    }

    @Test
    void rowsSumToOne_afterAnySequenceOfObservations_property() {
        Random random = new Random(20261122L);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + random.nextInt(81);
            double weight = random.nextBoolean() ? 0 : random.nextDouble() * 10;
            PriorMatrix prior = random.nextBoolean() ? PriorMatrix.uniform(n) : randomPrior(random, n);
            MarkovModel model = new MarkovModel(prior, weight);
            int steps = random.nextInt(500);
            int sticky = random.nextInt(n);
            for (int i = 0; i < steps; i++) {
                model.observe(random.nextInt(4) == 0 ? random.nextInt(n) : sticky);
            }
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (double p : model.transitionRow(i)) {
                    assertTrue(p >= 0, "negative probability");
                    sum += p;
                }
                assertEquals(1.0, sum, 1e-12, "trial " + trial + " row " + i);
            }
        }
    }

    @Test
    void priorWeight_blendsPseudoCountsWithObservations() {
        double[][] m = {{0.5, 0.5}, {0.0, 1.0}};
        MarkovModel model = new MarkovModel(PriorMatrix.of(m), 2.0);
        model.observe(0);
        model.observe(0);
        model.observe(0);
        // row 0: counts [2, 0] + 2 × [0.5, 0.5] over 2 + 2
        assertEquals(3.0 / 4, model.probability(0, 0), EPS);
        assertEquals(1.0 / 4, model.probability(0, 1), EPS);
        // row 1 unobserved: the prior row
        assertEquals(1.0, model.probability(1, 1), EPS);
    }

    @Test
    void workloadPrior_unobservedRowsUseThePriorAndObservedRowsReplaceIt() {
        double[][] m = {{0.1, 0.9}, {0.8, 0.2}};
        MarkovModel model = new MarkovModel(PriorMatrix.of(m), 0);
        assertArrayEquals(new double[] {0.1, 0.9}, model.transitionRow(0), EPS);
        model.observe(0);
        model.observe(0);
        assertArrayEquals(new double[] {1.0, 0.0}, model.transitionRow(0), EPS);
        assertArrayEquals(new double[] {0.8, 0.2}, model.transitionRow(1), EPS);
    }

    @Test
    void storage_growsWithObservedTransitionsNotStatesSquared() {
        MarkovModel model = new MarkovModel(81);
        for (int i = 0; i < 10_000; i++) {
            model.observe(i % 3 == 0 ? 72 : 0);
        }
        assertEquals(3, model.storedTransitions()); // 72→0, 0→0, 0→72
        assertEquals(9_999, model.transitions());
    }

    @Test
    void observe_outOfRangeState_isRejectedAndChangesNothing() {
        MarkovModel model = new MarkovModel(4);
        model.observe(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.observe(4));
        assertTrue(e.getMessage().startsWith("state:") && e.getMessage().contains("4"), e.getMessage());
        assertEquals(1, model.samples());
        assertEquals(1, model.previousState());
    }

    @Test
    void breakChain_nextObservationCountsNoTransition() {
        MarkovModel model = new MarkovModel(4);
        model.observe(1);
        model.breakChain();
        model.observe(2);
        assertEquals(0, model.transitions());
    }

    @Test
    void constructor_negativePriorWeight_isRejectedNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MarkovModel(PriorMatrix.uniform(4), -1));
        assertTrue(e.getMessage().startsWith("priorWeight:"), e.getMessage());
    }

    static PriorMatrix randomPrior(Random random, int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < n; j++) {
                m[i][j] = random.nextInt(3) == 0 ? random.nextDouble() : 0;
                sum += m[i][j];
            }
            if (sum == 0) {
                m[i][i] = 1;
                sum = 1;
            }
            for (int j = 0; j < n; j++) {
                m[i][j] /= sum;
            }
        }
        return PriorMatrix.of(m);
    }
}
