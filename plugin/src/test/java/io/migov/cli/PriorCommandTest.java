// SPDX-License-Identifier: Apache-2.0
package io.migov.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.migov.core.PriorMatrix;
import io.migov.daemon.ConfigException;
import io.migov.daemon.DaemonConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PriorCommandTest {

    private static final String HEADER = "t,cpu,mem,net_in,net_out\n";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path csv(String name, String body) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, body, StandardCharsets.UTF_8);
        return f;
    }

    /** States 0 (idle), 72 (cpu + mem high), 0, 0, 72. */
    private Path tiny(String name) throws Exception {
        return csv(name, HEADER + "0,1,1,1,1\n1,90,90,1,1\n2,1,1,1,1\n3,1,1,1,1\n4,90,90,1,1\n");
    }

    private static Path resource(String name) throws Exception {
        return Path.of(PriorCommandTest.class.getResource("/traces/" + name).toURI());
    }

    /** Files in the temp dir, to show a failed run left nothing behind (no output, no temporary file). */
    private List<String> files() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void prior_twoTraces_printsTheSummaryAndWritesTheLearnedMatrix() throws Exception {
        Path a = tiny("a.csv");
        // b: extra column, columns reordered; its first state (0) must not link to a's last (72)
        Path b = csv("b.csv", "mem,t,note,cpu,net_out,net_in\n1,0,x,1,1,1\n1,1,y,1,1,1\n");
        Path out = dir.resolve("P.json");
        CliRun r = CliRun.of("prior", "--traces", a + "," + b, "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        JsonNode s = JSON.readTree(r.out());
        assertEquals(List.of("traces", "samples", "transitions", "states", "rows_observed", "smoothing", "out"),
                iterable(s.fieldNames()));
        assertEquals(2, s.get("traces").asInt());
        assertEquals(7, s.get("samples").asInt());
        assertEquals(5, s.get("transitions").asInt()); // 4 in a, 1 in b
        assertEquals(81, s.get("states").asInt());
        assertEquals(2, s.get("rows_observed").asInt());
        assertEquals(1.0, s.get("smoothing").asDouble(), 0);
        assertEquals(out.toString(), s.get("out").asText());

        JsonNode file = JSON.readTree(Files.readString(out));
        assertEquals("migov-prior", file.get("format").asText());
        assertEquals(1, file.get("version").asInt());
        PriorMatrix prior = PriorMatrix.fromJson(Files.readString(out));
        assertEquals(81, prior.stateCount());
        // row 0: 0→72 ×2, 0→0 ×2 (a: 0→0, b: 0→0); row 72: 72→0 ×1, and no 72→0 from a's end to b's start
        assertEquals((2 + 1.0 / 81) / 5, prior.probability(0, 72), 1e-15);
        assertEquals((2 + 1.0 / 81) / 5, prior.probability(0, 0), 1e-15);
        assertEquals((1 + 1.0 / 81) / 2, prior.probability(72, 0), 1e-15);
        assertEquals(1.0 / 81, prior.probability(40, 3), 1e-15);
        assertEquals(List.of("P.json", "a.csv", "b.csv"), files());
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> l = new java.util.ArrayList<>();
        it.forEachRemaining(l::add);
        return l;
    }

    @Test
    void prior_output_isAcceptedByPredictInitialAndTheDaemonsPriorFile() throws Exception {
        Path out = dir.resolve("P.json");
        assertEquals(0, CliRun.of("prior", "--traces", resource("alternating.csv").toString(), "--out", out.toString()).exit());

        CliRun predict = CliRun.of("predict", "--trace", resource("alternating.csv").toString(), "--lookahead", "1",
                "--initial", out.toString());
        assertEquals(0, predict.exit(), predict.err());
        // learned from this very trace: even the first prediction (row 0 unseen by the model) is right
        assertEquals(1.0, JSON.readTree(predict.out()).get("accuracy").get(0).asDouble(), 1e-12);

        DaemonConfig config = DaemonConfig.parse("{\"stateSpace\":\"usage\",\"priorFile\":\"P.json\"}", "migov.json", dir,
                DaemonConfig.Overrides.NONE);
        assertEquals(out.toAbsolutePath().normalize(), config.priorFile());
        assertFalse(config.prior().isUniform());
        assertEquals(81, config.prior().stateCount());
        CliRun mismatch = CliRun.of("predict", "--trace", resource("alternating.csv").toString(), "--lookahead", "1",
                "--state-space", "usage+write", "--initial", out.toString());
        assertEquals(2, mismatch.exit());
        assertTrue(mismatch.err().contains("expected a 243×243 matrix, got 81×81"), mismatch.err());
        CliRun sameSize = CliRun.of("predict", "--trace", resource("alternating.csv").toString(), "--lookahead", "1",
                "--state-space", "write", "--initial", out.toString());
        assertEquals(2, sameSize.exit());
        assertTrue(sameSize.err().contains("learned in the state scheme cpu[25,50] mem[25,50] net_in[25,50] net_out[25,50] (81 states), "
                + "--state-space write makes cpu[25,50] write[25,50]"), sameSize.err());

        // the default prior scheme is the research's usage space; a daemon on the default write space refuses it
        ConfigException refused = assertThrows(ConfigException.class,
                () -> DaemonConfig.parse("{\"priorFile\":\"P.json\"}", "migov.json", dir, DaemonConfig.Overrides.NONE));
        assertTrue(refused.getMessage().contains("was learned in the state scheme cpu[25,50] mem[25,50]"), refused.getMessage());
    }

    @Test
    void prior_existingOut_isReplaced() throws Exception {
        Path out = Files.writeString(dir.resolve("P.json"), "old");
        assertEquals(0, CliRun.of("prior", "--traces", tiny("a.csv").toString(), "--out", out.toString()).exit());
        assertEquals(81, PriorMatrix.fromJson(Files.readString(out)).stateCount());
        assertEquals(List.of("P.json", "a.csv"), files());
    }

    @Test
    void prior_gapLongerThanOneAndAHalfSeconds_breaksTheChain() throws Exception {
        // 0 →(2 s, broken) 72 →(1 s) 0: only 72→0 is counted
        Path f = csv("gap.csv", HEADER + "0,1,1,1,1\n2,90,90,1,1\n3,1,1,1,1\n");
        Path out = dir.resolve("P.json");
        CliRun r = CliRun.of("prior", "--traces", f.toString(), "--out", out.toString(), "--smoothing", "0");
        assertEquals(0, r.exit(), r.err());
        assertEquals(1, JSON.readTree(r.out()).get("transitions").asInt());
        PriorMatrix prior = PriorMatrix.fromJson(Files.readString(out));
        assertEquals(1.0, prior.probability(72, 0), 0);
        assertEquals(1.0 / 81, prior.probability(0, 72), 0); // row 0 unseen: uniform
    }

    @Test
    void prior_smoothingZero_seenRowsAreTheFrequenciesUnseenRowsUniform() throws Exception {
        Path out = dir.resolve("P.json");
        CliRun r = CliRun.of("prior", "--traces", tiny("a.csv").toString(), "--out", out.toString(), "--smoothing", "0");
        assertEquals(0, r.exit(), r.err());
        assertEquals(0.0, JSON.readTree(r.out()).get("smoothing").asDouble(), 0);
        PriorMatrix prior = PriorMatrix.fromJson(Files.readString(out));
        assertEquals(2.0 / 3, prior.probability(0, 72), 0);
        assertEquals(1.0 / 3, prior.probability(0, 0), 0);
        assertEquals(0.0, prior.probability(0, 9), 0);
        assertEquals(1.0, prior.probability(72, 0), 0);
        assertEquals(1.0 / 81, prior.probability(9, 80), 0);
    }

    @Test
    void prior_thresholdsFromConfig_learnsTheConfiguredScheme() throws Exception {
        Path config = csv("migov.json", "{\"stateSpace\":\"usage\",\"thresholds\":{\"cpu\":[50],\"mem\":[50],\"net_in\":[],\"net_out\":[]},"
                + "\"priorFile\":\"P.json\",\"lookAhead\":5}");
        Path out = dir.resolve("P.json"); // the config's priorFile, not yet there: only the thresholds are read
        CliRun r = CliRun.of("prior", "--traces", tiny("a.csv").toString(), "--out", out.toString(),
                "--thresholds-from", config.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(4, JSON.readTree(r.out()).get("states").asInt());
        assertEquals(4, PriorMatrix.fromJson(Files.readString(out)).stateCount());
        // and the daemon with that config loads it
        assertEquals(4, DaemonConfig.load(config, DaemonConfig.Overrides.NONE).prior().stateCount());
    }

    /**
     * A prior learned from the first half of phased.csv (75 s) against the uniform prior, replaying
     * the first 60 samples of the second half: the learned prior must predict at least as well at
     * every look-ahead step (it knows the phase changes before the replayed model has seen them).
     */
    @Test
    void prior_learnedFromFirstHalfOfPhased_predictsTheSecondHalfAtLeastAsWellAsUniform() throws Exception {
        List<String> lines = Files.readAllLines(resource("phased.csv"));
        String header = lines.get(0) + "\n";
        List<String> rows = lines.subList(1, lines.size());
        assertEquals(150, rows.size());
        Path firstHalf = csv("first.csv", header + String.join("\n", rows.subList(0, 75)) + "\n");
        Path secondHalf = csv("second60.csv", header + String.join("\n", rows.subList(75, 135)) + "\n");
        Path out = dir.resolve("phased-prior.json");
        CliRun learned = CliRun.of("prior", "--traces", firstHalf.toString(), "--out", out.toString());
        assertEquals(0, learned.exit(), learned.err());
        assertEquals(74, JSON.readTree(learned.out()).get("transitions").asInt());

        // the prior is a first-order matrix: judged with the first-order chain (the README's numbers)
        JsonNode uniform = JSON.readTree(CliRun.of("predict", "--trace", secondHalf.toString(), "--lookahead", "5",
                "--predictor", "chain").out());
        JsonNode withPrior = JSON.readTree(CliRun.of("predict", "--trace", secondHalf.toString(), "--lookahead", "5",
                "--predictor", "chain", "--initial", out.toString()).out());
        assertEquals(60, withPrior.get("samples").asInt());
        double sumUniform = 0;
        double sumPrior = 0;
        for (int k = 0; k < 5; k++) {
            double u = uniform.get("accuracy").get(k).asDouble();
            double p = withPrior.get("accuracy").get(k).asDouble();
            assertTrue(p >= u, "k=" + (k + 1) + ": learned prior " + p + " < uniform " + u);
            sumUniform += u;
            sumPrior += p;
        }
        assertTrue(sumPrior > sumUniform, "learned " + withPrior.get("accuracy") + " vs uniform " + uniform.get("accuracy"));
        // the numbers quoted in the README (hits / trials at k = 1..5)
        double[] expectedPrior = {49.0 / 59, 44.0 / 58, 43.0 / 57, 35.0 / 56, 33.0 / 55};
        double[] expectedUniform = {47.0 / 59, 41.0 / 58, 38.0 / 57, 32.0 / 56, 28.0 / 55};
        for (int k = 0; k < 5; k++) {
            assertEquals(expectedPrior[k], withPrior.get("accuracy").get(k).asDouble(), 1e-12, "prior k=" + (k + 1));
            assertEquals(expectedUniform[k], uniform.get("accuracy").get(k).asDouble(), 1e-12, "uniform k=" + (k + 1));
        }
    }

    @Test
    void prior_missingTrace_exits2NamingItAndWritesNothing() throws Exception {
        Path out = dir.resolve("P.json");
        CliRun r = CliRun.of("prior", "--traces", tiny("a.csv") + "," + dir.resolve("nope.csv"), "--out", out.toString());
        assertEquals(2, r.exit());
        assertEquals("migov: --traces: no such file: " + dir.resolve("nope.csv"), r.err().strip());
        assertEquals("", r.out());
        assertEquals(List.of("a.csv"), files());
    }

    @Test
    void prior_badCell_exits2NamingFileLineFieldAndValueAndKeepsTheOldOut() throws Exception {
        Path bad = csv("bad.csv", HEADER + "0,1,1,1,1\n1,1,abc,1,1\n");
        Path out = Files.writeString(dir.resolve("P.json"), "old");
        CliRun r = CliRun.of("prior", "--traces", tiny("a.csv") + "," + bad, "--out", out.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("bad.csv:3: mem: expected a number, got 'abc'"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertEquals("old", Files.readString(out));
        assertEquals(List.of("P.json", "a.csv", "bad.csv"), files());
    }

    @Test
    void prior_outOfRangeCell_exits2NamingTheField() throws Exception {
        Path bad = csv("range.csv", HEADER + "0,1,1,1,1\n1,1,1,1,101\n");
        CliRun r = CliRun.of("prior", "--traces", bad.toString(), "--out", dir.resolve("P.json").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("range.csv:3: net_out: expected a percentage in [0, 100], got 101.0"), r.err());
    }

    @Test
    void prior_negativeOrNaNSmoothing_exits2NamingTheOption() throws Exception {
        Path a = tiny("a.csv");
        for (String k : List.of("-1", "NaN", "Infinity")) {
            CliRun r = CliRun.of("prior", "--traces", a.toString(), "--out", dir.resolve("P.json").toString(), "--smoothing", k);
            assertEquals(2, r.exit(), k);
            assertTrue(r.err().contains("--smoothing: expected a finite value ≥ 0, got "), r.err());
        }
        CliRun text = CliRun.of("prior", "--traces", a.toString(), "--out", dir.resolve("P.json").toString(), "--smoothing", "lots");
        assertEquals(2, text.exit());
        assertTrue(text.err().contains("--smoothing"), text.err());
        assertEquals(List.of("a.csv"), files());
    }

    @Test
    void prior_unwritableOut_exits2NamingIt() throws Exception {
        Path a = tiny("a.csv");
        CliRun noDir = CliRun.of("prior", "--traces", a.toString(), "--out", dir.resolve("missing/P.json").toString());
        assertEquals(2, noDir.exit());
        assertTrue(noDir.err().contains("--out: no such directory: " + dir.resolve("missing")), noDir.err());
        Files.createDirectory(dir.resolve("adir"));
        CliRun isDir = CliRun.of("prior", "--traces", a.toString(), "--out", dir.resolve("adir").toString());
        assertEquals(2, isDir.exit());
        assertTrue(isDir.err().contains("--out: is a directory: " + dir.resolve("adir")), isDir.err());
        CliRun underFile = CliRun.of("prior", "--traces", a.toString(), "--out", a.resolve("P.json").toString());
        assertEquals(2, underFile.exit());
        assertTrue(underFile.err().contains("--out: no such directory: " + a), underFile.err());
        assertEquals(List.of("a.csv", "adir"), files());
    }

    @Test
    void prior_noTransitionsAtAll_exits2AndWritesNothing() throws Exception {
        Path single = csv("one.csv", HEADER + "0,1,1,1,1\n");
        Path sparse = csv("sparse.csv", HEADER + "0,1,1,1,1\n5,1,1,1,1\n10,90,90,1,1\n");
        CliRun r = CliRun.of("prior", "--traces", single + "," + sparse, "--out", dir.resolve("P.json").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--traces: no transitions to learn from: 4 samples in 2 trace(s)"), r.err());
        assertEquals(List.of("one.csv", "sparse.csv"), files());
    }

    @Test
    void prior_badThresholdsInConfig_exits2NamingTheKey() throws Exception {
        Path config = csv("migov.json", "{\"thresholds\":{\"cpu\":[50,25]}}");
        CliRun r = CliRun.of("prior", "--traces", tiny("a.csv").toString(), "--out", dir.resolve("P.json").toString(),
                "--thresholds-from", config.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--thresholds-from " + config + ": config: thresholds.cpu"), r.err());
        CliRun missing = CliRun.of("prior", "--traces", tiny("a.csv").toString(), "--out", dir.resolve("P.json").toString(),
                "--thresholds-from", dir.resolve("none.json").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("--thresholds-from: no such file"), missing.err());
        assertFalse(Files.exists(dir.resolve("P.json")));
    }

    @Test
    void prior_writeStateSpaceFromConfig_learnsWriteStatesAndNeedsTheWriteColumn() throws Exception {
        Path config = csv("write.json", "{\"stateSpace\": \"write\"}");
        Path withWrite = csv("w.csv", "t,cpu,mem,write,net_in,net_out\n0,1,90,80,1,1\n1,1,90,80,1,1\n2,1,90,1,1,1\n");
        Path out = dir.resolve("W.json");
        CliRun r = CliRun.of("prior", "--traces", withWrite.toString(), "--out", out.toString(), "--thresholds-from", config.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(2, JSON.readTree(r.out()).get("transitions").asInt());
        CliRun missing = CliRun.of("prior", "--traces", tiny("u.csv").toString(), "--out", dir.resolve("X.json").toString(),
                "--thresholds-from", config.toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("has no write column"), missing.err());
        assertFalse(Files.exists(dir.resolve("X.json")));
    }
}
