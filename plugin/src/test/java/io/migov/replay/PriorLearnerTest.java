// SPDX-License-Identifier: Apache-2.0
package io.migov.replay;

import io.migov.core.Discretiser;
import io.migov.core.PriorMatrix;
import io.migov.core.Resource;
import io.migov.core.Sample;
import org.junit.jupiter.api.Test;

import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PriorLearnerTest {

    private static final int N = 81;
    /** Default scheme: idle → 0, cpu high + mem high → 72, mem moderate → 9. */
    private static final Sample IDLE = new Sample(1, 1, 1, 1);
    private static final Sample BUSY = new Sample(90, 90, 1, 1);
    private static final Sample MEM = new Sample(1, 30, 1, 1);

    private static Trace trace(double[] times, Sample... samples) {
        List<Double> t = new ArrayList<>();
        for (double d : times) {
            t.add(d);
        }
        return new Trace(t, List.of(samples));
    }

    private static Trace everySecond(Sample... samples) {
        double[] t = new double[samples.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = i;
        }
        return trace(t, samples);
    }

    private static double sum(double[] row) {
        double s = 0;
        for (double p : row) {
            s += p;
        }
        return s;
    }

    @Test
    void add_tinyTrace_countsMatchTheTransitionsByHand() {
        // states 0, 72, 0, 0, 72, 9: 0→72 ×2, 72→0 ×1, 0→0 ×1, 72→9 ×1
        PriorLearner l = new PriorLearner(Discretiser.defaultScheme(), 1.0).add(everySecond(IDLE, BUSY, IDLE, IDLE, BUSY, MEM));
        assertEquals(1, l.traces());
        assertEquals(6, l.samples());
        assertEquals(5, l.transitions());
        assertEquals(2, l.rowsObserved());
        assertEquals(2, l.count(0, 72));
        assertEquals(1, l.count(0, 0));
        assertEquals(1, l.count(72, 0));
        assertEquals(1, l.count(72, 9));
        assertEquals(0, l.count(9, 0));
    }

    @Test
    void row_smoothingOne_isCountsPlusKOverNDividedByTotalPlusK() {
        PriorLearner l = new PriorLearner(Discretiser.defaultScheme(), 1.0).add(everySecond(IDLE, BUSY, IDLE, IDLE, BUSY, MEM));
        double[] zero = l.row(0); // 3 transitions out of 0
        assertEquals((2 + 1.0 / N) / 4, zero[72], 1e-15);
        assertEquals((1 + 1.0 / N) / 4, zero[0], 1e-15);
        assertEquals((1.0 / N) / 4, zero[9], 1e-15);
        double[] busy = l.row(72); // 2 transitions out of 72
        assertEquals((1 + 1.0 / N) / 3, busy[0], 1e-15);
        assertEquals((1 + 1.0 / N) / 3, busy[9], 1e-15);
        assertEquals((1.0 / N) / 3, busy[72], 1e-15);
        double[] unseen = l.row(9); // 9 is only ever the last sample
        for (double p : unseen) {
            assertEquals(1.0 / N, p, 1e-15);
        }
        for (double[] row : l.matrix()) {
            assertEquals(1.0, sum(row), 1e-12);
            for (double p : row) {
                assertTrue(p > 0, "smoothing leaves no transition impossible");
            }
        }
    }

    @Test
    void add_twoTraces_areNotLinked() {
        // A ends in 72, B starts in 0: no 72→0 transition may be counted
        PriorLearner l = new PriorLearner(Discretiser.defaultScheme(), 0)
                .add(everySecond(IDLE, BUSY))
                .add(everySecond(IDLE, IDLE));
        assertEquals(2, l.traces());
        assertEquals(4, l.samples());
        assertEquals(2, l.transitions());
        assertEquals(0, l.count(72, 0));
        assertEquals(1, l.count(0, 72));
        assertEquals(1, l.count(0, 0));
        assertEquals(1, l.rowsObserved());
    }

    @Test
    void add_gapInTimeAboveOneAndAHalfSeconds_breaksTheChain() {
        // 0 →(1 s) 72 →(1.75 s, broken) 0 →(1.5 s, kept) 72
        PriorLearner l = new PriorLearner(Discretiser.defaultScheme(), 0)
                .add(trace(new double[] {10, 11, 12.75, 14.25}, IDLE, BUSY, IDLE, BUSY));
        assertEquals(2, l.transitions());
        assertEquals(1, l.gaps());
        assertEquals(2, l.count(0, 72));
        assertEquals(0, l.count(72, 0));
        assertEquals(1, l.rowsObserved());
    }

    @Test
    void row_smoothingZero_seenRowsExactUnseenRowsUniform() {
        PriorLearner l = new PriorLearner(Discretiser.defaultScheme(), 0).add(everySecond(IDLE, BUSY, IDLE, IDLE, BUSY, MEM));
        double[] zero = l.row(0);
        assertEquals(2.0 / 3, zero[72], 0);
        assertEquals(1.0 / 3, zero[0], 0);
        assertEquals(0.0, zero[9], 0);
        assertEquals(0.5, l.row(72)[0], 0);
        assertEquals(0.5, l.row(72)[9], 0);
        assertEquals(0.0, l.row(72)[72], 0);
        for (int i = 0; i < N; i++) {
            if (i != 0 && i != 72) {
                for (double p : l.row(i)) {
                    assertEquals(1.0 / N, p, 0);
                }
            }
        }
    }

    @Test
    void toJson_loadsThroughPriorMatrixWithTheSameProbabilities() {
        PriorLearner l = new PriorLearner(Discretiser.defaultScheme(), 1.0).add(everySecond(IDLE, BUSY, IDLE, IDLE, BUSY, MEM));
        String json = l.toJson();
        assertTrue(json.replace("\n", "").startsWith("{\"format\":\"migov-prior\",\"version\":1,\"scheme\":\""
                + Discretiser.defaultScheme() + "\",\"matrix\":[["), json.substring(0, 140));
        assertEquals(N + 2, json.strip().lines().count(), "the header line, one line per row, the closing line");
        PriorMatrix loaded = PriorMatrix.fromJson(json);
        assertEquals(N, loaded.stateCount());
        assertEquals(Discretiser.defaultScheme().toString(), loaded.scheme().orElseThrow(), "the file says which scheme it was learned in");
        assertFalse(loaded.isUniform());
        for (int i = 0; i < N; i++) {
            double[] row = l.row(i);
            for (int j = 0; j < N; j++) {
                assertEquals(row[j], loaded.probability(i, j), 0, "[" + i + "][" + j + "] round-trips exactly");
            }
        }
    }

    @Test
    void prior_phasedTrace_everyRowSumsToOneWithinTheLoadersTolerance() throws Exception {
        Trace phased;
        try (InputStreamReader r = new InputStreamReader(PriorLearnerTest.class.getResourceAsStream("/traces/phased.csv"),
                StandardCharsets.UTF_8)) {
            phased = Trace.read(r, "phased.csv");
        }
        for (double k : new double[] {0, 0.5, 1, 7, 1e6}) {
            PriorLearner l = new PriorLearner(Discretiser.defaultScheme(), k).add(phased);
            assertEquals(phased.size() - 1, l.transitions());
            for (double[] row : l.matrix()) {
                assertEquals(1.0, sum(row), PriorMatrix.ROW_SUM_TOLERANCE / 100, "K=" + k);
            }
            assertEquals(N, l.prior().stateCount()); // PriorMatrix.of validates every row
        }
    }

    @Test
    void constructor_customScheme_learnsThatManyStates() {
        Discretiser research = Discretiser.builder().threshold(Resource.CPU, 50).threshold(Resource.MEMORY, 50).build();
        PriorLearner l = new PriorLearner(research, 0).add(everySecond(IDLE, BUSY, IDLE));
        assertEquals(4, l.stateCount());
        assertEquals(1.0, l.row(0)[3], 0); // idle → cpu high + mem high is state 3 of 4
        assertEquals(4, PriorMatrix.fromJson(l.toJson()).stateCount());
        assertEquals(research.toString(), l.prior().scheme().orElseThrow());
    }

    @Test
    void constructor_negativeOrNaNSmoothing_isRejectedNamingTheField() {
        for (double bad : new double[] {-0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new PriorLearner(Discretiser.defaultScheme(), bad));
            assertTrue(e.getMessage().startsWith("smoothing: expected a finite value ≥ 0, got "), e.getMessage());
        }
    }

    @Test
    void row_stateOutOfRange_isRejected() {
        PriorLearner l = new PriorLearner(Discretiser.defaultScheme(), 1);
        assertThrows(IllegalArgumentException.class, () -> l.row(81));
        assertThrows(IllegalArgumentException.class, () -> l.count(-1, 0));
    }
}
