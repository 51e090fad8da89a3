// SPDX-License-Identifier: Apache-2.0
package io.migov.bench;

import io.migov.core.DecisionCore;
import io.migov.core.MarkovModel;
import io.migov.core.Prediction;
import io.migov.core.Predictor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link Predictor#predict(MarkovModel, int, int)} on the default 81-state scheme for n = 1, 5, 10.
 * Target: predict(n = 10) ≤ 20 µs.
 *
 * <p>Models: {@code warmed} learned 10 000 observations of the realistic sticky trace;
 * {@code uniform} is a fresh model (every row the uniform 1/81 prior, the dense-looking case the
 * brief calls the worst, though the model spreads uniform prior mass in one O(N) pass);
 * {@code all81} learned 10 000 uniformly random observations over all 81 states (rows about 70 %
 * full); {@code dense} learned 200 000 of them, so every one of the 81 rows stores all 81 observed
 * columns: 6 561 products per step, the real worst case; {@code sparse20} stores 20 random
 * columns in every row, the longest rows that stay in the sparse (scatter) form, which switches to
 * the dense form at a quarter of the states.
 * The start state cycles through the states the trace visits, so it is never a constant.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class PredictBenchmark {

    @Param({"1", "5", "10"})
    public int lookAhead;

    @Param({"warmed", "uniform", "all81", "dense", "sparse20"})
    public String model;

    private final Predictor predictor = DecisionCore.defaults().predictor();
    private MarkovModel markov;
    private int[] starts;
    private int cursor;

    @Setup(Level.Trial)
    public void setUp() {
        switch (model) {
            case "warmed" -> {
                markov = SyntheticTraces.learn(SyntheticTraces.sticky(10_000, 7));
                starts = SyntheticTraces.sticky(SyntheticTraces.CYCLE, 8);
            }
            case "uniform" -> {
                markov = new MarkovModel(SyntheticTraces.STATES);
                starts = SyntheticTraces.allStates(SyntheticTraces.CYCLE, 8);
            }
            case "all81" -> {
                markov = SyntheticTraces.learn(SyntheticTraces.allStates(10_000, 7));
                starts = SyntheticTraces.allStates(SyntheticTraces.CYCLE, 8);
            }
            case "dense" -> {
                markov = SyntheticTraces.learn(SyntheticTraces.allStates(200_000, 7));
                if (markov.storedTransitions() != SyntheticTraces.STATES * SyntheticTraces.STATES) {
                    throw new IllegalStateException("dense model is not dense: " + markov.storedTransitions());
                }
                starts = SyntheticTraces.allStates(SyntheticTraces.CYCLE, 8);
            }
            case "sparse20" -> {
                markov = SyntheticTraces.rowsOf(20, 7);
                starts = SyntheticTraces.allStates(SyntheticTraces.CYCLE, 8);
            }
            default -> throw new IllegalArgumentException("model: " + model);
        }
        cursor = 0;
    }

    @Benchmark
    public void predict(Blackhole bh) {
        Prediction p = predictor.predict(markov, starts[cursor++ & SyntheticTraces.MASK], lookAhead);
        bh.consume(p.mostLikelyStates());
        bh.consume(p.probabilities());
        bh.consume(p.behaviour());
    }
}
