// SPDX-License-Identifier: Apache-2.0
package io.migov.bench;

import io.migov.core.MarkovModel;
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

/**
 * {@link MarkovModel#observe(int)} on the default 81-state model. Target: ≤ 100 ns per call.
 *
 * <p>Each call feeds the next state of a pre-generated 16 Ki-state trace (cycled with a mask, so
 * the input is not a constant the JIT could fold). The model is first trained on one full cycle so
 * that rows exist and the measurement is the steady state of a long-running VM, not row creation.
 * {@code baseline} measures the trace cursor alone.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ObserveBenchmark {

    /**
     * sticky: realistic VM trace, 6 hot states, 90 % stay (short sparse rows);
     * all81: uniformly random over all 81 states (rows fill to 81 entries, the worst case).
     */
    @Param({"sticky", "all81"})
    public String trace;

    private int[] states;
    private MarkovModel model;
    private int cursor;

    @Setup(Level.Trial)
    public void setUp() {
        states = switch (trace) {
            case "sticky" -> SyntheticTraces.sticky(SyntheticTraces.CYCLE, 42);
            case "all81" -> SyntheticTraces.allStates(SyntheticTraces.CYCLE, 42);
            default -> throw new IllegalArgumentException("trace: " + trace);
        };
        model = SyntheticTraces.learn(states);
        cursor = 0;
    }

    @Benchmark
    public long observe() {
        model.observe(states[cursor++ & SyntheticTraces.MASK]);
        return model.samples();
    }

    /** Cost of reading the next trace element (and returning a long), for reference. */
    @Benchmark
    public long baseline() {
        return states[cursor++ & SyntheticTraces.MASK];
    }
}
