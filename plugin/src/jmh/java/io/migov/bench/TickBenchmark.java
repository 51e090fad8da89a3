// SPDX-License-Identifier: Apache-2.0
package io.migov.bench;

import io.migov.core.Decision;
import io.migov.core.DecisionCore;
import io.migov.core.Prediction;
import io.migov.core.Sample;
import io.migov.core.WorkloadProfile;
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
 * The whole per-VM tick of the profiler: {@link WorkloadProfile#tick(Sample)} (discretise + learn),
 * then the look-ahead {@link WorkloadProfile#predict(int)} and the strategy decision for the new
 * state. The profile has already learned 10 000 samples of the realistic sticky trace; each call
 * feeds the next sample of a 16 Ki-sample continuation of it (percentages jittered inside each
 * band, so the discretiser does real work). {@code tickOnly} is the learning part alone.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TickBenchmark {

    /** One VM's profile, already trained, and the samples it will be fed. */
    @State(Scope.Thread)
    public static class Vm {
        WorkloadProfile profile;
        Sample[] samples;
        int cursor;

        @Setup(Level.Trial)
        public void setUp() {
            DecisionCore core = DecisionCore.defaults();
            profile = new WorkloadProfile(core);
            for (Sample s : SyntheticTraces.samplesFor(SyntheticTraces.sticky(10_000, 11), core.discretiser(), 12)) {
                profile.tick(s);
            }
            samples = SyntheticTraces.samplesFor(SyntheticTraces.sticky(SyntheticTraces.CYCLE, 13), core.discretiser(), 14);
            cursor = 0;
        }

        Sample next() {
            return samples[cursor++ & SyntheticTraces.MASK];
        }
    }

    /** The look-ahead n; a separate state so that {@code tickOnly} is not repeated per n. */
    @State(Scope.Thread)
    public static class Horizon {
        @Param({"1", "5", "10"})
        public int lookAhead;
    }

    @Benchmark
    public void tick(Vm vm, Horizon horizon, Blackhole bh) {
        int state = vm.profile.tick(vm.next());
        Prediction prediction = vm.profile.predict(horizon.lookAhead);
        Decision decision = vm.profile.decision();
        bh.consume(state);
        bh.consume(prediction);
        bh.consume(decision);
    }

    /** Discretise + observe only (no prediction, no decision). */
    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public int tickOnly(Vm vm) {
        return vm.profile.tick(vm.next());
    }
}
