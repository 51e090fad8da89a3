package io.migov.sim;

import io.migov.core.Behaviour;
import io.migov.core.Decision;
import io.migov.core.DecisionCore;
import io.migov.core.Sample;
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
     * What the daemon would decide: the real core, fed one sample per second of the workload
     * before the migration (the warm-up, or longer if the phases start earlier), up to and including
     * the second it starts. Memory % is the working set's share of guest memory.
     */
    public static Scenario of(Workload workload) {
        DecisionCore core = DecisionCore.defaults();
        WorkloadProfile profile = new WorkloadProfile(core);
        int first = (int) Math.floor(Math.min(-WARM_UP_SECONDS, workload.firstSecond()));
        for (int second = first; second <= 0; second++) {
            profile.tick(sample(workload, workload.phaseAt(second)));
        }
        return new Scenario(workload, profile.decision(), profile.predict(LOOK_AHEAD).behaviour(), Double.NaN);
    }

    static Sample sample(Workload w, Phase p) {
        double memoryPercent = Math.min(100, p.workingSetMiB() / w.memoryMiB() * 100);
        return new Sample(p.cpuPercent(), memoryPercent, p.netInPercent(), p.netOutPercent());
    }
}
