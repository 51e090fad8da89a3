// SPDX-License-Identifier: Apache-2.0
package io.migov.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.migov.core.Strategy;
import io.migov.core.policy.Policies;
import io.migov.governor.MigrationRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Recorded migrations (the daemon's migrations.jsonl) turned into scenarios and replayed. */
class SimulationRecordsTest {

    private static final double MIB = 1024.0 * 1024.0;

    private static String fixture() throws IOException {
        try (InputStream in = SimulationRecordsTest.class.getResourceAsStream("/sim/migrations.jsonl")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static RecordScenarios.Loaded load(String text) {
        return new RecordScenarios(ModelParameters.DEFAULTS).add(text, "m.jsonl").loaded();
    }

    private static Scenario named(RecordScenarios.Loaded l, String name) {
        return l.scenarios().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void fixture_usesTheDaemonsPassKeys() throws IOException {
        Set<String> expected = new TreeSet<>();
        for (RecordComponent c : MigrationRecord.Pass.class.getRecordComponents()) {
            expected.add(c.getName().replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT));
        }
        JsonNode pass = new ObjectMapper().readTree(fixture().lines().findFirst().orElseThrow()).get("passes").get(0);
        Set<String> actual = new TreeSet<>();
        for (Iterator<String> it = pass.fieldNames(); it.hasNext(); ) {
            actual.add(it.next());
        }
        assertEquals(expected, actual, "the fixture must look like what JsonLinesRecordSink writes");
    }

    @Test
    void records_fixture_twoReplayableOneSkippedWithANote() throws IOException {
        RecordScenarios.Loaded l = load(fixture());
        assertEquals(List.of("lab-heavy", "lab-idle"), l.scenarios().stream().map(Scenario::name).toList());
        assertEquals(1, l.notes().size());
        assertTrue(l.notes().get(0).startsWith("m.jsonl:3: lab-late skipped: pass 1 not recorded"), l.notes().get(0));
    }

    @Test
    void records_neverConvergingWriter_derivesMemoryWorkingSetAndDecision() throws IOException {
        Scenario s = named(load(fixture()), "lab-heavy");
        assertEquals(512, s.workload().memoryMiB(), 1e-9, "pass 1's remaining bytes");
        assertEquals(251, s.workload().hotMiB(), 1e-9, "the largest remaining bytes after pass 1");
        assertEquals(Strategy.POST_COPY, s.decision().strategy(), "state 72 = cpu high, mem high");
        assertEquals(1.0, s.behaviour().memoryIntensiveShare(), 1e-12);
        assertEquals(352, s.nonZeroMiBAtStart(), 1, "pass 1 took 3.6 s at 100 MiB/s: 352 MiB non-zero, the rest zero pages");
        // remaining stayed flat: the measured rates are doubled to keep the working set saturated
        assertEquals(2 * 25_100, s.workload().phaseAt(4).dirtyPagesPerSecond(), 1e-9, "pass 3's rate holds from pass 2's start (3.6 s)");
        assertEquals(2 * 18_200, s.workload().phaseAt(1).dirtyPagesPerSecond(), 1e-9, "pass 2's rate holds from the start");
        assertEquals(2 * 25_200, s.workload().phaseAt(60).dirtyPagesPerSecond(), 1e-9, "the last rate holds after the last pass");
    }

    @Test
    void records_replay_precopyNeverCompletesTheWriterAndAlwaysPostcopyDoes() throws IOException {
        Scenario heavy = named(load(fixture()), "lab-heavy");
        Simulator sim = new Simulator(ModelParameters.DEFAULTS);
        BenchRow pre = sim.run(heavy, Policies.PRECOPY);
        BenchRow post = sim.run(heavy, Policies.ALWAYS_POSTCOPY);
        assertFalse(pre.completed(), pre.toString());
        assertTrue(post.completed(), post.toString());
        assertTrue(post.postcopyRequests() > 0);
    }

    @Test
    void records_replay_idleGuestCompletesInAboutTheRecordedTime() throws IOException {
        Scenario idle = named(load(fixture()), "lab-idle");
        assertEquals(Strategy.HYBRID, idle.decision().strategy());
        BenchRow r = new Simulator(ModelParameters.DEFAULTS).run(idle, Policies.MIGOV);
        assertTrue(r.completed());
        assertEquals(0, r.postcopyRequests());
        assertEquals(1190, r.totalTimeMs(), 150, "recorded: 1190 ms");
    }

    @Test
    void records_duplicateVmNames_getNumbered() throws IOException {
        String line = fixture().lines().skip(1).findFirst().orElseThrow();
        RecordScenarios.Loaded l = load(line + "\n" + line + "\n");
        assertEquals(List.of("lab-idle", "lab-idle#2"), l.scenarios().stream().map(Scenario::name).toList());
    }

    @Test
    void records_malformedLine_isRejectedNamingFileAndLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> load("\n{not json\n"));
        assertEquals("m.jsonl:2: not a JSON object", e.getMessage());
    }

    @Test
    void records_badPassValue_isRejectedNamingTheField() throws IOException {
        String bad = fixture().lines().skip(1).findFirst().orElseThrow().replace("\"remaining_bytes\":200704", "\"remaining_bytes\":-5");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> load(bad));
        assertEquals("m.jsonl:1: passes[1].remaining_bytes: expected a whole number ≥ 0, got -5", e.getMessage());
    }
}
