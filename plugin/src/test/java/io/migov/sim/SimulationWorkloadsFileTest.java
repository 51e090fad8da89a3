// SPDX-License-Identifier: Apache-2.0
package io.migov.sim;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Workload models from JSON: what is read, and every rejection naming file, field and value. */
class SimulationWorkloadsFileTest {

    private static String message(String json) {
        return assertThrows(IllegalArgumentException.class, () -> WorkloadsFile.parse(json, "w.json")).getMessage();
    }

    @Test
    void parse_validFile_readsPhasesWithDefaultsOfZero() {
        List<Workload> w = WorkloadsFile.parse("""
                [{"name": "lw", "memoryMiB": 1024, "phases": [
                   {"fromSeconds": -20, "cpuPercent": 1},
                   {"fromSeconds": 2, "dirtyPagesPerSecond": 64000, "workingSetMiB": 256, "cpuPercent": 100}]}]
                """, "w.json");
        assertEquals(1, w.size());
        assertEquals(1024, w.get(0).memoryMiB(), 1e-12);
        assertEquals(0, w.get(0).phaseAt(0).dirtyPagesPerSecond(), 1e-12);
        assertEquals(64_000, w.get(0).phaseAt(2).dirtyPagesPerSecond(), 1e-12);
        assertEquals(0, w.get(0).phaseAt(-30).cpuPercent(), 1e-12, "idle before the first phase");
    }

    @Test
    void parse_malformedJson_namesTheFile() {
        String m = message("[{\"name\": \"x\",");
        assertEquals(true, m.startsWith("w.json: not valid JSON"), m);
    }

    @Test
    void parse_negativeRate_namesTheFieldAndTheValue() {
        assertEquals("w.json: workloads[0].phases[1].dirtyPagesPerSecond: expected a finite number ≥ 0, got -5.0", message("""
                [{"name": "a", "memoryMiB": 512, "phases": [{"fromSeconds": -20},
                  {"fromSeconds": 0, "dirtyPagesPerSecond": -5, "workingSetMiB": 10}]}]"""));
    }

    @Test
    void parse_textWhereANumberBelongs_isRejected() {
        assertEquals("w.json: workloads[0].memoryMiB: expected a number, got \"lots\"",
                message("[{\"name\": \"a\", \"memoryMiB\": \"lots\", \"phases\": []}]"));
    }

    @Test
    void parse_unknownField_isRejected() {
        assertEquals("w.json: workloads[0].phases[0]: unknown field 'dirtyRate' (expected fromSeconds, dirtyPagesPerSecond, "
                        + "workingSetMiB, readPagesPerSecond, cpuPercent, netInPercent, netOutPercent)",
                message("[{\"name\": \"a\", \"memoryMiB\": 512, \"phases\": [{\"fromSeconds\": 0, \"dirtyRate\": 5}]}]"));
    }

    @Test
    void parse_phasesOutOfOrder_areRejected() {
        assertEquals("w.json: workloads[0].phases[1].fromSeconds: expected > 5.0 (phases in ascending order), got 1.0",
                message("[{\"name\": \"a\", \"memoryMiB\": 512, \"phases\": [{\"fromSeconds\": 5}, {\"fromSeconds\": 1}]}]"));
    }

    @Test
    void parse_workingSetLargerThanMemory_isRejected() {
        assertEquals("w.json: workloads[0].phases[0].workingSetMiB: expected ≤ memoryMiB (512.0), got 600.0",
                message("[{\"name\": \"a\", \"memoryMiB\": 512, \"phases\": [{\"fromSeconds\": 0, \"workingSetMiB\": 600}]}]"));
    }

    @Test
    void parse_sameNameTwice_isRejected() {
        String one = "{\"name\": \"a\", \"memoryMiB\": 512, \"phases\": [{\"fromSeconds\": 0}]}";
        assertEquals("w.json: workloads[1].name: 'a' is given twice", message("[" + one + "," + one + "]"));
    }

    @Test
    void parse_notAList_isRejected() {
        assertEquals("w.json: expected a JSON list of workloads, got an object", message("{}"));
        assertEquals("w.json: workloads[0].phases[0].fromSeconds: required, missing",
                message("[{\"name\": \"a\", \"memoryMiB\": 512, \"phases\": [{}]}]"));
    }
}
