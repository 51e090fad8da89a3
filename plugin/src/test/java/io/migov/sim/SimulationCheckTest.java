// SPDX-License-Identifier: Apache-2.0
package io.migov.sim;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulationCheckTest {

    private static final String HEADER = "workload,policy,rep,outcome,completed,total_time_ms,downtime_ms,bytes_sent,passes,"
            + "postcopy_requests,action,action_iteration,integrity_failures,ops_before,ops_during,degradation,reason";

    private static BenchTable table(String... lines) throws IOException {
        return BenchTable.of(BenchCsv.read(new StringReader(HEADER + "\n" + String.join("\n", lines) + "\n"), "t.csv"));
    }

    private static String row(String workload, String policy, int rep, boolean completed, long totalMs) {
        return String.join(",", workload, policy, Integer.toString(rep), completed ? "completed" : "aborted", Boolean.toString(completed),
                Long.toString(totalMs), "20", "1048576", "3", "0", "none", "-1", "0", "", "", "", "x");
    }

    @Test
    void of_labMedianAgainstSimulated_ratioAndTolerance() throws IOException {
        BenchTable lab = table(row("idle", "migov", 1, true, 1000), row("idle", "migov", 2, true, 1200), row("idle", "migov", 3, true, 5000),
                row("heavy", "migov", 1, true, 4000));
        BenchTable sim = table(row("idle", "migov", 1, true, 1440), row("heavy", "migov", 1, true, 6000));
        SimulationCheck c = SimulationCheck.of(lab, sim);
        assertEquals(2, c.rows().size());
        SimulationCheck.Row idle = c.rows().stream().filter(r -> r.workload().equals("idle")).findFirst().orElseThrow();
        assertEquals(1.2, idle.labSeconds(), 1e-9);
        assertEquals(1.2, idle.ratio(), 1e-9);
        assertTrue(idle.within());
        SimulationCheck.Row heavy = c.rows().stream().filter(r -> r.workload().equals("heavy")).findFirst().orElseThrow();
        assertEquals(1.5, heavy.ratio(), 1e-9);
        assertFalse(heavy.within());
        assertEquals(1, c.within());
        assertTrue(c.render(false).contains("within 25 % of the lab's median: 1 of 2 cells"), c.render(false));
    }

    @Test
    void of_cellsThatNeverFinished_areNotCompared() throws IOException {
        BenchTable lab = table(row("heavy", "precopy", 1, false, 90000), row("idle", "precopy", 1, true, 1000));
        BenchTable sim = table(row("heavy", "precopy", 1, false, 90000), row("idle", "precopy", 1, true, 1100));
        assertEquals(List.of("idle"), SimulationCheck.of(lab, sim).rows().stream().map(SimulationCheck.Row::workload).toList());
    }
}
