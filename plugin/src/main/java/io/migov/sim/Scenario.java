// SPDX-License-Identifier: Apache-2.0
package io.migov.sim;

import io.migov.core.Behaviour;
import io.migov.core.Decision;
import io.migov.core.DecisionCore;
import io.migov.core.Discretiser;
import io.migov.core.Sample;
import io.migov.core.StateSpace;
import io.migov.core.WorkloadProfile;

import java.util.Objects;

/**
 * One migration to replay under every policy: the workload, and what the daemon would know when
 * the migration is seen (the decision for the current state and the look-ahead behaviour).
 *
 * @param workload           what the guest does
 * @param decision           strategy for the state at migration start
 * @param behaviour          the look-ahead from the VM's model
 * @param nonZeroMiBAtStart  non-zero guest memory when the migration starts, MiB; NaN = derive it
 *                           from the model's guest base and the workload's phases
 */
public record Scenario(Workload workload, Decision decision, Behaviour behaviour, double nonZeroMiBAtStart) {

    private static final double PAGE_BYTES = 4096;
    /** n, the daemon's default look-ahead (GovernorSettings). */
    public static final int LOOK_AHEAD = 5;
    /** The bench lets every VM warm up this long before it migrates, s: the model learns from these seconds. */
    public static final int WARM_UP_SECONDS = 20;

    public Scenario {
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(behaviour, "behaviour");
        if (!Double.isNaN(nonZeroMiBAtStart) && !(nonZeroMiBAtStart >= 0 && nonZeroMiBAtStart <= workload.memoryMiB())) {
            throw new IllegalArgumentException("nonZeroMiBAtStart: expected 0.." + workload.memoryMiB() + " or NaN, got " + nonZeroMiBAtStart);
        }
    }

    public String name() {
        return workload.name();
    }

    /**
     * How the simulated daemon sees the guest: its state space and look-ahead, and how write
     * intensity is measured (a dirty-rate calculation every {@code dirtyRateIntervalSeconds}, as a
     * share of {@code bandwidthBytesPerSecond}, held in between).
     */
    public record Signal(StateSpace stateSpace, int lookAhead, double bandwidthBytesPerSecond, int dirtyRateIntervalSeconds) {
        /** The daemon's defaults on the lab (100 MiB/s). */
        public static final Signal DEFAULT = new Signal(StateSpace.USAGE, LOOK_AHEAD, 100.0 * 1024 * 1024, 10);

        public Signal {
            Objects.requireNonNull(stateSpace, "stateSpace");
            if (lookAhead < 1 || lookAhead > 1000) {
                throw new IllegalArgumentException("lookAhead: expected 1..1000, got " + lookAhead);
            }
            if (!(bandwidthBytesPerSecond > 0)) {
                throw new IllegalArgumentException("bandwidthBytesPerSecond: expected > 0, got " + bandwidthBytesPerSecond);
            }
            if (dirtyRateIntervalSeconds < 1) {
                throw new IllegalArgumentException("dirtyRateIntervalSeconds: expected ≥ 1, got " + dirtyRateIntervalSeconds);
            }
        }
    }

    public static Scenario of(Workload workload) {
        return of(workload, Signal.DEFAULT);
    }

    /**
     * What the daemon would decide: the real core, fed one sample per second of the workload
     * before the migration (the warm-up, or longer if the phases start earlier), up to and including
     * the second it starts. Memory % is the working set's share of guest memory; write % is the
     * page-sampling dirty rate the last calculation saw (distinct pages dirtied in its second, at
     * most the working set) over the bandwidth.
     */
    public static Scenario of(Workload workload, Signal signal) {
        DecisionCore core = DecisionCore.of(Discretiser.of(signal.stateSpace(), 25, 50));
        WorkloadProfile profile = new WorkloadProfile(core);
        int first = (int) Math.floor(Math.min(-WARM_UP_SECONDS, workload.firstSecond()));
        double writePercent = 0;
        for (int second = first; second <= 0; second++) {
            int sinceFirst = second - first;
            if (sinceFirst >= 1 && (sinceFirst - 1) % signal.dirtyRateIntervalSeconds() == 0) {
                writePercent = writePercent(workload.phaseAt(second - 1), signal.bandwidthBytesPerSecond());
            }
            profile.tick(sample(workload, workload.phaseAt(second), writePercent));
        }
        return new Scenario(workload, profile.decision(), profile.predict(signal.lookAhead()).behaviour(), Double.NaN);
    }

    static Sample sample(Workload w, Phase p, double writePercent) {
        double memoryPercent = Math.min(100, p.workingSetMiB() / w.memoryMiB() * 100);
        return new Sample(p.cpuPercent(), memoryPercent, writePercent, p.netInPercent(), p.netOutPercent());
    }

    static double writePercent(Phase p, double bandwidthBytesPerSecond) {
        double distinctPages = Math.min(p.dirtyPagesPerSecond(), p.workingSetMiB() * 1024 * 1024 / PAGE_BYTES);
        return Sample.writeIntensityPercent(distinctPages * PAGE_BYTES, bandwidthBytesPerSecond);
    }
}
