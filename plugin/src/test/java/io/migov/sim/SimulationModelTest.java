// SPDX-License-Identifier: Apache-2.0
package io.migov.sim;

import io.migov.core.Action;
import io.migov.core.ActionKind;
import io.migov.core.policy.Observation;
import io.migov.core.policy.Policies;
import io.migov.core.policy.PolicySettings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The transfer model: QEMU's pre-copy passes, stop-and-copy, post-copy, and the actions on them. */
class SimulationModelTest {

    private static final double MIB = 1024.0 * 1024.0;
    private static final ModelParameters LAB = ModelParameters.DEFAULTS;

    private static Scenario scenario(String name, double dirty, double workingSetMiB, double read, double cpu) {
        return Scenario.of(new Workload(name, 512, List.of(new Phase(-20, dirty, workingSetMiB, read, cpu, 0, 0))));
    }

    private static final Scenario IDLE = scenario("idle", 0, 0, 0, 1);
    /** Dirties 256 MiB at ≈ 250 MiB/s against 100 MiB/s sent: pre-copy can never converge. */
    private static final Scenario WRITER = scenario("writer", 64_000, 256, 0, 100);

    private static MigrationRun.Result run(Scenario s, ScriptedPolicy p, ModelParameters parameters) {
        return new MigrationRun(s, p, parameters).run();
    }

    private static MigrationRun.Result run(Scenario s, String policy, ModelParameters parameters) {
        return new Simulator(parameters, PolicySettings.DEFAULTS).runDetailed(s, policy);
    }

    @Test
    void idleGuest_precopyAt100MiBps_completesAfterPassOneAndASmallPassTwo() {
        ScriptedPolicy p = ScriptedPolicy.passive();
        BenchRow r = run(IDLE, p, LAB).row();
        assertTrue(r.completed());
        assertEquals(2, r.passes(), "pass 1 sends everything, pass 2 (the final sync) the little the OS dirtied");
        assertTrue(r.totalTimeMs() > 1000 && r.totalTimeMs() < 1400, "≈ 1.2 s as on the lab, got " + r.totalTimeMs());
        assertTrue(r.downtimeMs() >= LAB.switchoverMillis() && r.downtimeMs() < 40, "a tiny stop-and-copy, got " + r.downtimeMs());
        assertEquals(0, r.postcopyRequests());
        List<Observation> boundaries = p.boundaries();
        assertEquals(2, boundaries.size());
        assertEquals(0, boundaries.get(0).elapsedMillis());
        assertEquals(512 * MIB, boundaries.get(0).remainingBytes(), 1, "pass 1 announces all of memory");
        assertTrue(Double.isNaN(boundaries.get(0).dirtyRatePagesPerSecond()), "no dirty rate before pass 2");
        assertTrue(boundaries.get(1).remainingBytes() < MIB, "pass 2 is small: " + boundaries.get(1).remainingBytes());
        assertTrue(boundaries.get(1).dirtyRateKnown());
        assertTrue(p.observations.stream().anyMatch(o -> !o.newPass() && o.elapsedMillis() == 1000), "a poll at 1 s, within pass 1");
    }

    @Test
    void neverConvergingWriter_precopy_hitsTheTimeoutNotCompleted() {
        ScriptedPolicy p = ScriptedPolicy.passive();
        BenchRow r = run(WRITER, p, LAB).row();
        assertFalse(r.completed());
        assertEquals("timeout", r.outcome());
        assertEquals(90_000, r.totalTimeMs());
        assertEquals(-1, r.downtimeMs());
        assertEquals(0, r.postcopyRequests());
        List<Observation> boundaries = p.boundaries();
        assertTrue(boundaries.size() > 20, "a pass every ≈ 2.6 s: " + boundaries.size());
        for (Observation b : boundaries.subList(2, boundaries.size())) {
            assertEquals(256 * MIB, b.remainingBytes(), 0.02 * 256 * MIB, "remaining flat at the working set, pass " + b.iteration());
        }
        long passMillis = boundaries.get(5).elapsedMillis() - boundaries.get(4).elapsedMillis();
        assertTrue(passMillis > 2300 && passMillis < 2800, "256 MiB at 100 MiB/s, got " + passMillis);
    }

    @Test
    void neverConvergingWriter_alwaysPostcopy_completesWithPageRequestsAfterLibvirtStopsRefusing() {
        MigrationRun.Result result = run(WRITER, Policies.ALWAYS_POSTCOPY, LAB);
        BenchRow r = result.row();
        assertTrue(r.completed());
        assertTrue(r.postcopyRequests() > 100, "the writer faults on the pages not pushed yet: " + r.postcopyRequests());
        assertEquals(LAB.postcopyRefusalMillis(), result.switchedAtMillis(), "asked at 0, carried out once libvirt accepts it");
        assertEquals(LAB.postcopySwitchMillis(), r.downtimeMs());
        assertTrue(r.totalTimeMs() > 3000 && r.totalTimeMs() < 5000, "≈ what is left ÷ bandwidth after 0.5 s: " + r.totalTimeMs());
        assertTrue(r.degradation() < 0.5, "a writer waiting on page requests gets little done: " + r.degradation());
    }

    @Test
    void neverConvergingWriter_raiseDowntimeToFitTheRemainingData_finishesAtOnce() {
        ScriptedPolicy p = new ScriptedPolicy(o -> o.newPass() && o.iteration() == 3
                ? new Action(ActionKind.RAISE_DOWNTIME, 3, "fit it", 3200) : Action.none(o.iteration(), "wait"));
        BenchRow r = run(WRITER, p, LAB).row();
        assertTrue(r.completed(), r.toString());
        long raisedAt = p.boundaries().get(2).elapsedMillis();
        assertTrue(r.totalTimeMs() - raisedAt < 3500, "QEMU stops the guest right away, not a pass later: " + (r.totalTimeMs() - raisedAt));
        assertTrue(r.downtimeMs() > 2000 && r.downtimeMs() <= 3200 + LAB.switchoverMillis(),
                "≈ 256 MiB at 100 MiB/s within the new limit, got " + r.downtimeMs());
        assertEquals("raise_downtime", r.action());
        assertEquals(3, r.actionIteration());
    }

    @Test
    void neverConvergingWriter_migovWithoutPostcopy_raisesTheDowntimeAndCompletes() {
        BenchRow r = run(WRITER, Policies.MIGOV, LAB.withPostCopyPermitted(false)).row();
        assertTrue(r.completed(), r.toString());
        assertEquals("raise_downtime", r.action());
        assertEquals(0, r.postcopyRequests());
        assertTrue(r.downtimeMs() > 1000, "the stop-and-copy of the working set: " + r.downtimeMs());
    }

    @Test
    void switch_postcopyNotPermitted_isRefusedAndThePolicyAskedWhatInstead() {
        ScriptedPolicy p = new ScriptedPolicy(o -> o.newPass() && o.iteration() == 2
                ? new Action(ActionKind.SWITCH_TO_POSTCOPY, 2, "go", 0) : Action.none(o.iteration(), "wait"));
        BenchRow r = run(WRITER, p, LAB.withPostCopyPermitted(false)).row();
        assertEquals(1, p.refusals);
        assertEquals("none", r.action(), "a refused switch was never carried out");
        assertFalse(r.completed());
        assertEquals(0, r.postcopyRequests());
        assertTrue(r.reason().contains("refused"), r.reason());
    }

    @Test
    void abort_atPassTwo_endsTheMigrationNotCompleted() {
        ScriptedPolicy p = new ScriptedPolicy(o -> o.newPass() && o.iteration() == 2
                ? new Action(ActionKind.ABORT, 2, "give up", 0) : Action.none(o.iteration(), "wait"));
        BenchRow r = run(WRITER, p, LAB).row();
        assertFalse(r.completed());
        assertEquals("aborted", r.outcome());
        assertEquals(p.boundaries().get(1).elapsedMillis(), r.totalTimeMs());
        assertEquals(2, r.passes());
        assertEquals(1, p.boundaries().size() - 1, "nothing observed after the abort");
    }

    @Test
    void switch_askedAtTheFinalSync_hasNoEffect() {
        // libvirt-after-precopy on an idle guest: pass 2 is the final sync, the guest is already stopping
        BenchRow r = run(IDLE, Policies.POSTCOPY_AFTER_PRECOPY, LAB).row();
        assertTrue(r.completed());
        assertEquals(0, r.postcopyRequests());
        assertEquals("switch_to_postcopy", r.action());
        assertTrue(r.reason().contains("no effect"), r.reason());
    }

    @Test
    void readMostlyGuest_postcopy_faultsOnReadsWhilePrecopyDoesNot() {
        Scenario reader = scenario("reader", 200, 384, 20_000, 100);
        BenchRow post = run(reader, Policies.ALWAYS_POSTCOPY, LAB).row();
        BenchRow pre = run(reader, Policies.PRECOPY, LAB).row();
        assertTrue(post.postcopyRequests() > 1000, "reads of pages not yet there: " + post.postcopyRequests());
        assertEquals(0, pre.postcopyRequests());
        assertTrue(pre.completed());
    }

    @Test
    void faultLatency_longer_costsTheGuestMore() {
        BenchRow fast = run(WRITER, Policies.ALWAYS_POSTCOPY, LAB.withFaultLatencyMicros(100)).row();
        BenchRow slow = run(WRITER, Policies.ALWAYS_POSTCOPY, LAB.withFaultLatencyMicros(5000)).row();
        assertTrue(slow.degradation() < fast.degradation(), slow.degradation() + " vs " + fast.degradation());
    }

    @Test
    void run_sameInput_sameRow() {
        assertEquals(run(WRITER, Policies.MIGOV, LAB).row(), run(WRITER, Policies.MIGOV, LAB).row());
    }

    @Test
    void parameters_outOfRange_areRejectedNamingTheField() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> LAB.withBandwidthBytesPerSecond(0));
        assertTrue(e.getMessage().startsWith("bandwidth: expected"), e.getMessage());
    }
}
