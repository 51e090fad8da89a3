// SPDX-License-Identifier: Apache-2.0
package io.migov.cli;

import io.migov.sim.BenchCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulateCommandTest {

    @TempDir
    Path dir;

    private static String records() throws URISyntaxException {
        return Path.of(SimulateCommandTest.class.getResource("/sim/migrations.jsonl").toURI()).toString();
    }

    private static String cellLine(String out, String workload, String policy) {
        return out.lines().filter(l -> l.matches(workload + "\\s+" + java.util.regex.Pattern.quote(policy) + "\\s.*")).findFirst()
                .orElseThrow(() -> new AssertionError(workload + "/" + policy + " not in:\n" + out));
    }

    @Test
    void simulate_builtInWorkloads_printsTheBenchTableAndACsvThatBenchReportReads() throws Exception {
        Path csv = dir.resolve("out/sim.csv");
        Path md = dir.resolve("out/sim.md");
        CliRun r = CliRun.of("simulate", "--policies", "migov,precopy,always-postcopy", "--csv", csv.toString(), "--markdown", md.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("migov simulate: 10 workloads × 3 policies; 100 MiB/s, max downtime 300 ms"), r.out());
        assertTrue(cellLine(r.out(), "heavy", "precopy").contains(" 0/1 "), "pre-copy never finishes the heavy writer");
        assertTrue(cellLine(r.out(), "idle", "migov").contains(" 1/1 "));
        assertTrue(r.out().contains("targets"), r.out());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(String.join(",", BenchCsv.HEADER), lines.get(0));
        assertEquals(1 + 30, lines.size());
        assertTrue(Files.readString(md).contains("| workload | policy |"));

        CliRun report = CliRun.of("bench-report", "--csv", csv.toString());
        assertEquals(0, report.exit(), report.err());
        assertEquals(cellLine(r.out(), "heavy", "migov"), cellLine(report.out(), "heavy", "migov"), "the same table from the CSV");
    }

    @Test
    void simulate_workloadsFile_runsThoseWorkloads() throws Exception {
        Path w = dir.resolve("w.json");
        Files.writeString(w, "[{\"name\": \"tiny\", \"memoryMiB\": 256, \"phases\": [{\"fromSeconds\": -20, \"cpuPercent\": 3}]}]");
        CliRun r = CliRun.of("simulate", "--workloads", w.toString(), "--policies", "precopy,hybrid(4)");
        assertEquals(0, r.exit(), r.err());
        assertTrue(cellLine(r.out(), "tiny", "hybrid(4)").contains(" 1/1 "), r.out());
    }

    @Test
    void simulate_records_replaysThemAndNotesTheOneSkipped() throws Exception {
        CliRun r = CliRun.of("simulate", "--records", records(), "--policies", "precopy,always-postcopy");
        assertEquals(0, r.exit(), r.err());
        assertTrue(cellLine(r.out(), "lab-heavy", "precopy").contains(" 0/1 "), r.out());
        assertTrue(cellLine(r.out(), "lab-heavy", "always-postcopy").contains(" 1/1 "), r.out());
        assertTrue(r.err().contains("migov: note: ") && r.err().contains("lab-late skipped"), r.err());
    }

    @Test
    void simulate_missingWorkloadsFile_exits2NamingIt() {
        CliRun r = CliRun.of("simulate", "--workloads", dir.resolve("nope.json").toString());
        assertEquals(2, r.exit());
        assertEquals("migov: --workloads: no such file: " + dir.resolve("nope.json"), r.err().strip());
        assertEquals("", r.out());
    }

    @Test
    void simulate_malformedJson_exits2NamingTheFile() throws Exception {
        Path w = dir.resolve("bad.json");
        Files.writeString(w, "[{\"name\": ");
        CliRun r = CliRun.of("simulate", "--workloads", w.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("migov: " + w + ": not valid JSON"), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line");
    }

    @Test
    void simulate_badFieldValue_exits2NamingFieldAndValue() throws Exception {
        Path w = dir.resolve("w.json");
        Files.writeString(w, "[{\"name\": \"a\", \"memoryMiB\": 512, \"phases\": [{\"fromSeconds\": 0, \"cpuPercent\": 150}]}]");
        CliRun r = CliRun.of("simulate", "--workloads", w.toString());
        assertEquals(2, r.exit());
        assertEquals("migov: " + w + ": workloads[0].phases[0].cpuPercent: expected a percentage in [0, 100], got 150.0", r.err().strip());
    }

    @Test
    void simulate_malformedRecords_exits2NamingFileAndLine() throws Exception {
        Path f = dir.resolve("m.jsonl");
        Files.writeString(f, "{\"uuid\": \"x\", \"passes\": []}\nhello\n");
        CliRun r = CliRun.of("simulate", "--records", f.toString());
        assertEquals(2, r.exit());
        assertEquals("migov: " + f + ":2: not a JSON object", r.err().strip());
    }

    @Test
    void simulate_unknownPolicy_exits2NamingIt() {
        CliRun r = CliRun.of("simulate", "--policies", "migov,fastest");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("migov: --policies: policy: expected one of") && r.err().contains("got 'fastest'"), r.err());
    }

    @Test
    void simulate_badNumbers_exit2NamingTheOption() {
        assertEquals("migov: --bandwidth-mib: expected a number > 0, got 0.0", CliRun.of("simulate", "--bandwidth-mib", "0").err().strip());
        assertEquals("migov: --timeout-s: expected 1..86400, got 0", CliRun.of("simulate", "--timeout-s", "0").err().strip());
        assertEquals(2, CliRun.of("simulate", "--downtime-ms", "soon").exit());
    }

    @Test
    void simulate_withoutPostcopy_migovRaisesTheDowntimeOnHeavy() {
        CliRun r = CliRun.of("simulate", "--no-postcopy", "--policies", "migov");
        assertEquals(0, r.exit(), r.err());
        String heavy = cellLine(r.out(), "heavy", "migov");
        assertTrue(heavy.contains(" 1/1 ") && heavy.contains("  0  "), "completed without post-copy page requests: " + heavy);
    }
}
