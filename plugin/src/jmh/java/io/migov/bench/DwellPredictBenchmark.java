// SPDX-License-Identifier: Apache-2.0
package io.migov.bench;

import io.migov.core.Discretiser;
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
 * The dwell-aware look-ahead against the first-order chain, from the state the model saw last (the
 * only case where the dwell is known, and the one the daemon's tick predicts from every second).
 *
 * <p>Models learned 10 000 observations: {@code sticky} the realistic sticky trace (runs of a few
 * to tens of samples, so many dwell rows), {@code all81} uniformly random states (every run short,
 * mass spread over all 81 states after one step: the widest (state, dwell) vectors).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class DwellPredictBenchmark {

    @Param({"1", "5", "10"})
    public int lookAhead;

    @Param({"sticky", "all81"})
    public String model;

    @Param({"chain", "dwell"})
    public String predictor;

    private Predictor p;
    private MarkovModel markov;
    private int current;

    @Setup(Level.Trial)
    public void setUp() {
        p = DecisionCore.of(Discretiser.defaultScheme(), "dwell".equals(predictor)).predictor();
        int[] trace = "sticky".equals(model) ? SyntheticTraces.sticky(10_000, 7) : SyntheticTraces.allStates(10_000, 7);
        markov = SyntheticTraces.learn(trace);
        current = markov.previousState();
        if ("dwell".equals(predictor) && markov.dwell() == 0) {
            throw new IllegalStateException("the model does not know how long its last state has lasted");
        }
    }

    @Benchmark
    public void predict(Blackhole bh) {
        Prediction prediction = p.predict(markov, current, lookAhead);
        bh.consume(prediction.mostLikelyStates());
        bh.consume(prediction.behaviour());
    }
}
