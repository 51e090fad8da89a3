// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A row that holds a quarter of the states or more is stored densely (for a vectorisable
 * {@link MarkovModel#step}). These tests pin that the switch is invisible: counts, codec output and
 * {@code step} results are bit-for-bit those of the plain sparse definition.
 */
class MarkovModelDenseRowTest {

    @Test
    void step_withDenseAndSparseRows_isBitIdenticalToTheSparseDefinition() {
        SplittableRandom random = new SplittableRandom(2024);
        for (double priorWeight : new double[] {0.0, 2.5}) {
            MarkovModel model = new MarkovModel(PriorMatrix.uniform(81), priorWeight);
            // states 0..39 visit everything (dense rows), 40..80 only a few neighbours (sparse rows)
            int state = 0;
            for (int t = 0; t < 20_000; t++) {
                model.observe(state);
                state = state < 40 ? random.nextInt(81) : Math.min(80, state + random.nextInt(3));
                if (state == 80 && random.nextInt(4) == 0) {
                    state = random.nextInt(40);
                }
            }
            double[] v = new double[81];
            v[0] = 1.0;
            for (int k = 0; k < 10; k++) {
                double[] out = new double[81];
                model.step(v, out);
                assertArrayEquals(referenceStep(model, v), out, 0.0, "step " + (k + 1) + ", prior weight " + priorWeight);
                v = out;
            }
        }
    }

    @Test
    void step_nonFiniteInput_leavesUnobservedColumnsAsTheSparsePassDoes() {
        // Inf · 0 is NaN: a dense pass would turn the unobserved columns into NaN where the sparse
        // definition leaves them to the (infinite) prior mass.
        MarkovModel model = new MarkovModel(PriorMatrix.uniform(16), 2.5);
        for (int t = 0; t < 8; t++) {
            model.observe(0);
            model.observe(t);
        }
        double[] v = new double[16];
        v[0] = Double.POSITIVE_INFINITY;
        double[] out = new double[16];
        model.step(v, out);
        assertArrayEquals(referenceStep(model, v), out, 0.0);
        assertEquals(Double.POSITIVE_INFINITY, out[15]);
    }

    @Test
    void denseRow_countsAndCodecOutput_keepInsertionOrderAndExactCounts() {
        MarkovModel model = new MarkovModel(81);
        int[] targets = {50, 3, 77, 12, 40, 8, 66, 21, 30, 1, 45, 60, 70, 5, 33, 18, 27, 9, 54, 72, 80, 2, 15};
        for (int round = 0; round < 3; round++) {
            for (int to : targets) {
                model.observe(0);
                model.observe(to);
            }
        }
        assertEquals(targets.length, model.rowColumns(0).length);
        int[] columns = model.rowColumns(0);
        long[] counts = model.rowCounts(0);
        for (int k = 0; k < targets.length; k++) {
            assertEquals(targets[k], columns[k], "insertion order");
            assertEquals(3, counts[k]);
            assertEquals(3, model.count(0, targets[k]));
        }
        assertEquals(3L * targets.length, model.rowTotal(0));
        MarkovModel decoded = ModelCodec.decode(ModelCodec.encode(model), PriorMatrix.uniform(81), 0.0);
        assertEquals(ModelCodec.encode(model), ModelCodec.encode(decoded));
        for (int to = 0; to < 81; to++) {
            assertEquals(model.count(0, to), decoded.count(0, to));
        }
        MarkovModel copied = new MarkovModel(81);
        copied.copyCountsFrom(decoded);
        double[] v = new double[81];
        java.util.Arrays.fill(v, 1.0 / 81);
        for (MarkovModel restored : new MarkovModel[] {decoded, copied}) {
            double[] expected = new double[81];
            double[] actual = new double[81];
            model.step(v, expected);
            restored.step(v, actual);
            assertArrayEquals(expected, actual, 0.0);
            assertArrayEquals(referenceStep(model, v), actual, 0.0);
        }
    }

    /** The sparse definition: rows in ascending order, one term per observed (row, column). */
    private static double[] referenceStep(MarkovModel model, double[] in) {
        int n = model.stateCount();
        double[] out = new double[n];
        double uniformMass = 0.0;
        for (int i = 0; i < n; i++) {
            double vi = in[i];
            if (vi == 0.0) {
                continue;
            }
            long total = model.rowTotal(i);
            double priorMass;
            if (total == 0) {
                priorMass = vi;
            } else {
                double scale = vi / (total + model.priorWeight());
                long[] counts = model.countRow(i);
                for (int j = 0; j < n; j++) {
                    if (counts[j] != 0) {
                        out[j] += scale * counts[j];
                    }
                }
                priorMass = scale * model.priorWeight();
            }
            if (priorMass != 0.0) {
                uniformMass += priorMass;
            }
        }
        if (uniformMass != 0.0) {
            double share = uniformMass / n;
            for (int j = 0; j < n; j++) {
                out[j] += share;
            }
        }
        return out;
    }
}
