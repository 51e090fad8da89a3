// SPDX-License-Identifier: Apache-2.0
package io.migov.sim;

import io.migov.core.Strategy;
import io.migov.core.policy.Policies;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Simulator} end to end on the bench's built-in workloads, every policy of the suite. */
class SimulatorBuiltInTest {

    private static final List<BenchRow> ROWS = new Simulator(ModelParameters.DEFAULTS).run(BuiltInWorkloads.scenarios(), Policies.SUITE);

    private static BenchRow row(String workload, String policy) {
        return ROWS.stream().filter(r -> r.workload().equals(workload) && r.policy().equals(policy)).findFirst().orElseThrow();
    }

    @Test
    void builtIns_areTheBenchsTenWorkloads() {
        assertEquals(List.of("idle", "light", "medium", "heavy", "readmostly", "bursty", "latewriter", "quiet", "netin", "netout"),
                BuiltInWorkloads.all().stream().map(Workload::name).toList());
        assertEquals(10 * Policies.SUITE.size(), ROWS.size());
    }

    @Test
    void builtIns_decisionsComeFromTheRealCore() {
        Map<String, Scenario> s = BuiltInWorkloads.scenarios().stream().collect(Collectors.toMap(Scenario::name, Function.identity()));
        assertEquals(Strategy.HYBRID, s.get("idle").decision().strategy());
        assertEquals(Strategy.POST_COPY, s.get("heavy").decision().strategy(), "mem = 256 of 512 MiB = 50 %: memory-intensive");
        assertEquals(Strategy.PRE_COPY, s.get("netin").decision().strategy(), "mostly incoming");
        assertEquals(Strategy.POST_COPY, s.get("netout").decision().strategy(), "mostly outgoing");
        assertTrue(s.get("heavy").behaviour().isMemoryIntensive());
        assertFalse(s.get("idle").behaviour().isMemoryIntensive());
    }

    @Test
    void precopy_heavy_neverCompletes() {
        BenchRow r = row("heavy", Policies.PRECOPY);
        assertFalse(r.completed());
        assertEquals("timeout", r.outcome());
    }

    @Test
    void alwaysPostcopy_idle_takesPageRequests() {
        BenchRow r = row("idle", Policies.ALWAYS_POSTCOPY);
        assertTrue(r.completed());
        assertTrue(r.postcopyRequests() > 0, "the idle guest's OS still touches pages not yet there");
    }

    @Test
    void migov_idle_takesNoPageRequests() {
        BenchRow r = row("idle", Policies.MIGOV);
        assertTrue(r.completed());
        assertEquals(0, r.postcopyRequests());
        assertEquals("none", r.action());
    }

    @Test
    void migov_heavy_completesAsFastAsAlwaysPostcopy() {
        BenchRow m = row("heavy", Policies.MIGOV);
        assertTrue(m.completed());
        assertTrue(m.totalTimeMs() <= 1.1 * row("heavy", Policies.ALWAYS_POSTCOPY).totalTimeMs());
    }

    @Test
    void everyRun_endsWithAKnownOutcome() {
        for (BenchRow r : ROWS) {
            assertTrue(List.of("completed", "timeout", "aborted").contains(r.outcome()), r.toString());
            assertTrue(r.totalTimeMs() > 0 && r.totalTimeMs() <= 90_000 || r.completed(), r.toString());
        }
    }
}
