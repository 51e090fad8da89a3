// SPDX-License-Identifier: Apache-2.0
package io.migov.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.migov.governor.MigrationOutcome;
import io.migov.governor.MigrationRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportCommandTest {

    @TempDir
    Path dir;

    /** Post-copy ran when the action was a switch to it. */
    private static MigrationRecord record(String vm, long start, String action, int at) {
        boolean switched = action.equals("switch_to_postcopy");
        List<MigrationRecord.Pass> passes = List.of(
                new MigrationRecord.Pass(1, 10, null, 512L << 20, 100 << 20, "NOT_DECAYING"),
                new MigrationRecord.Pass(2, 2300, 24000.0, 250L << 20, 100 << 20, "NOT_DECAYING"),
                new MigrationRecord.Pass(3, 4600, 24500.0, 251L << 20, 100 << 20, "STALLED"));
        return new MigrationRecord(vm, "6c653893-0e90-474e-a49a-0bf763b94100", "fake:///", "enforce", "migov", start, start + 9000,
                MigrationOutcome.COMPLETED, true, 9000, 12, 900L << 20, 3, 72, "HYBRID", "r", 0.9, 0, 0, 5, action, at, "because", action, -1,
                switched, switched ? 4321 : 0, null, passes, List.of(), MigrationRecord.ModelAtStart.NONE);
    }

    @Test
    void report_recordsFile_printsATableAndOnePngPerMigration() throws Exception {
        ObjectMapper json = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        Path file = dir.resolve("migrations.jsonl");
        Files.writeString(file, json.writeValueAsString(record("w1", 2000, "switch_to_postcopy", 3)) + "\n"
                + json.writeValueAsString(record("w0", 1000, "none", -1)) + "\n");
        CommandLine cl = MigovCommand.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        int exit = cl.execute("report", "--records", file.toString(), "--label", "off,enforce", "--plots", dir.resolve("plots").toString());
        assertEquals(0, exit);
        String[] lines = out.toString().split("\\R");
        assertTrue(lines[0].startsWith("#"), out.toString());
        assertTrue(lines[2].startsWith("off") && lines[2].contains("w0") && lines[2].contains("none"), lines[2]);
        assertTrue(lines[3].startsWith("enforce") && lines[3].contains("switch_to_postcopy") && lines[3].endsWith("completed"), lines[3]);
        assertTrue(out.toString().contains("legend: # = "), out.toString());
        Path png = dir.resolve("plots/enforce-w1.png");
        assertTrue(Files.size(png) > 5000, "a real chart, not an empty file");
        byte[] magic = java.util.Arrays.copyOf(Files.readAllBytes(png), 4);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, magic);
        String index = Files.readString(dir.resolve("plots/index.html"));
        assertTrue(index.contains("<img src=\"off-w0.png\"") && index.contains("<img src=\"enforce-w1.png\""), index);
        assertTrue(out.toString().contains("page: " + dir.resolve("plots/index.html")), out.toString());
    }

    private record Run(int exit, String out, String err) {
    }

    private Run report(String... args) throws Exception {
        ObjectMapper json = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        Path file = dir.resolve("two.jsonl");
        // w1 switched to post-copy (post-copy ran), w0 was left alone; the file is not in start order
        Files.writeString(file, json.writeValueAsString(record("w1", 2000, "switch_to_postcopy", 3)) + "\n"
                + json.writeValueAsString(record("w0", 1000, "none", -1)) + "\n");
        CommandLine cl = MigovCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        List<String> all = new java.util.ArrayList<>(List.of("report", "--records", file.toString()));
        all.addAll(List.of(args));
        return new Run(cl.execute(all.toArray(new String[0])), out.toString(), err.toString());
    }

    @Test
    void report_directionAndPostcopyPermitted_areShownPerRecordInStartOrder() throws Exception {
        Run r = report("--direction", "B->A,A->B", "--postcopy-permitted", "no,yes");
        assertEquals(0, r.exit(), r.err());
        String[] lines = r.out().split("\\R");
        List<String> header = List.of(lines[0].trim().split("\\s{2,}"));
        List<String> w0 = List.of(lines[2].trim().split("\\s{2,}"));
        List<String> w1 = List.of(lines[3].trim().split("\\s{2,}"));
        assertEquals(List.of("w0", "B->A", "no"), List.of(w0.get(1), w0.get(header.indexOf("direction")), w0.get(header.indexOf("pc permitted"))));
        assertEquals(List.of("w1", "A->B", "yes"), List.of(w1.get(1), w1.get(header.indexOf("direction")), w1.get(header.indexOf("pc permitted"))));
    }

    @Test
    void report_factsNotOnePerRecord_exit2NamingTheOption() throws Exception {
        Run r = report("--direction", "A->B");
        assertEquals(2, r.exit());
        assertEquals("migov: --direction: 1 value for 2 records (one per record, in start order)", r.err().strip());
        assertEquals("", r.out());
    }

    @Test
    void report_postcopyPermittedNotYesOrNo_exit2NamingTheValue() throws Exception {
        Run r = report("--postcopy-permitted", "yes,perhaps");
        assertEquals(2, r.exit());
        assertEquals("migov: --postcopy-permitted: expected yes or no, got 'perhaps'", r.err().strip());
    }

    @Test
    void report_postcopyPermittedNoWherePostcopyRan_exit2NamingTheRow() throws Exception {
        Run r = report("--postcopy-permitted", "yes,no");
        assertEquals(2, r.exit());
        assertEquals("migov: --postcopy-permitted: row 2 (w1): given no, but its record shows post-copy ran; do the values follow the records' order?",
                r.err().strip());
        assertEquals("", r.out());
    }

    @Test
    void report_notARecordsFile_exits2NamingTheLine() throws Exception {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, "{\"uuid\":\"x\"}\nhello\n");
        CommandLine cl = MigovCommand.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("report", "--records", file.toString()));
        assertTrue(err.toString().contains("bad.jsonl:2: not a JSON object"), err.toString());
    }
}
