// SPDX-License-Identifier: Apache-2.0
package io.migov.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchReportCommandTest {

    @TempDir
    Path dir;

    private static final String CSV = """
            workload,policy,rep,outcome,completed,total_time_ms,downtime_ms,bytes_sent,passes,postcopy_requests,action,action_iteration,integrity_failures,ops_before,ops_during,degradation,reason
            idle,migov,1,completed,true,1200,20,100663296,2,0,none,-1,0,,,,vanilla
            idle,migov,2,completed,true,1300,22,100663296,2,0,none,-1,0,,,,vanilla
            idle,always-postcopy,1,completed,true,1100,5,100663296,1,213,switch_to_postcopy,0,0,1000,990,0.99,"switch, now"
            heavy,migov,1,completed,true,3700,8,400000000,1,6043,switch_to_postcopy,0,0,60000,12000,0.2,strategy POST_COPY
            heavy,always-postcopy,1,completed,true,3700,8,400000000,1,6043,switch_to_postcopy,0,0,60000,12000,0.2,always
            """;

    @Test
    void benchReport_labCsvs_printsTheTableWritesMarkdownAndThreeCharts() throws Exception {
        Path a = dir.resolve("a.csv");
        Path b = dir.resolve("b.csv");
        String[] lines = CSV.split("\n");
        Files.writeString(a, String.join("\n", lines[0], lines[1], lines[2], lines[3]) + "\n");
        Files.writeString(b, String.join("\n", lines[0], lines[4], lines[5]) + "\n");
        Path md = dir.resolve("report.md");
        Path plots = dir.resolve("plots");
        CliRun r = CliRun.of("bench-report", "--csv", a + "," + b, "--markdown", md.toString(), "--plots", plots.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("idle") && l.contains("migov") && l.contains("2/2")
                && l.contains("1.25 (1.20–1.30)")), r.out());
        assertTrue(r.out().contains("PASS  (2) heavy"), r.out());
        assertTrue(Files.readString(md).contains("| idle | always-postcopy |"));
        for (String png : new String[] {"bench-total-time.png", "bench-postcopy-requests.png", "bench-degradation.png"}) {
            Path p = plots.resolve(png);
            assertTrue(Files.size(p) > 5000, "a real chart: " + p);
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(Files.readAllBytes(p), 4));
            assertTrue(r.out().contains("plot: " + p), r.out());
        }
    }

    @Test
    void benchReport_missingFile_exits2NamingIt() {
        CliRun r = CliRun.of("bench-report", "--csv", dir.resolve("nope.csv").toString());
        assertEquals(2, r.exit());
        assertEquals("migov: --csv: no such file: " + dir.resolve("nope.csv"), r.err().strip());
    }

    @Test
    void benchReport_badCell_exits2NamingFileLineAndColumn() throws Exception {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, CSV.replace("idle,migov,2,completed,true", "idle,migov,2,completed,maybe"));
        CliRun r = CliRun.of("bench-report", "--csv", f.toString());
        assertEquals(2, r.exit());
        assertEquals("migov: " + f + ":3: completed: expected true or false, got 'maybe'", r.err().strip());
        assertEquals("", r.out());
    }
}
