package io.migov.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
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

    private static MigrationRecord record(String vm, long start, String action, int at) {
        List<MigrationRecord.Pass> passes = List.of(
                new MigrationRecord.Pass(1, 10, null, 512L << 20, 100 << 20, "NOT_DECAYING"),
                new MigrationRecord.Pass(2, 2300, 24000.0, 250L << 20, 100 << 20, "NOT_DECAYING"),
                new MigrationRecord.Pass(3, 4600, 24500.0, 251L << 20, 100 << 20, "STALLED"));
        return new MigrationRecord(vm, "6c653893-0e90-474e-a49a-0bf763b94100", "fake:///", "enforce", "migov", start, start + 9000,
                "completed", true, 9000, 12, 900L << 20, 3, 72, "HYBRID", "r", 0.9, 0, 0, 5, action, at, "because", action, -1,
                true, 4321, null, passes, List.of(), MigrationRecord.ModelAtStart.NONE);
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
