// SPDX-License-Identifier: Apache-2.0
package io.migov.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PredictCommandTest {

    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static String resource(String name) throws URISyntaxException {
        return Path.of(PredictCommandTest.class.getResource("/traces/" + name).toURI()).toString();
    }

    @Test
    void predict_committedTrace_printsTheKnownAccuracy() throws Exception {
        CliRun r = run("predict", "--trace", resource("alternating.csv"), "--lookahead", "2");
        assertEquals(0, r.exit(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(6, json.get("samples").asInt());
        assertEquals(81, json.get("states").asInt());
        assertEquals(2, json.get("lookahead").asInt());
        assertEquals(0.8, json.get("accuracy").get(0).asDouble(), 1e-12);
        assertEquals(1.0, json.get("accuracy").get(1).asDouble(), 1e-12);
        assertEquals(0.0, json.get("persistence").get(0).asDouble(), 1e-12);
        assertEquals(3, json.get("decisions").get("POST_COPY").asInt());
        assertEquals(0, json.get("decisions").get("PRE_COPY").asInt());
        assertEquals(3, json.get("decisions").get("HYBRID").asInt());
    }

    @Test
    void predict_withAPriorFile_usesIt() throws Exception {
        // a prior that says "0 → 72 and 72 → 0": the predictions made before the rows are observed become right too
        StringBuilder m = new StringBuilder("{\"format\":\"migov-prior\",\"version\":1,\"matrix\":[");
        for (int i = 0; i < 81; i++) {
            m.append(i > 0 ? "," : "").append('[');
            for (int j = 0; j < 81; j++) {
                int to = i == 0 ? 72 : i == 72 ? 0 : i;
                m.append(j > 0 ? "," : "").append(j == to ? "1" : "0");
            }
            m.append(']');
        }
        Path prior = dir.resolve("prior.json");
        Files.writeString(prior, m.append("]}").toString());
        CliRun r = run("predict", "--trace", resource("alternating.csv"), "--lookahead", "1", "--initial", prior.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(1.0, new ObjectMapper().readTree(r.out()).get("accuracy").get(0).asDouble(), 1e-12);
    }

    @Test
    void predict_writeStateSpace_classifiesByTheWriteColumn() throws Exception {
        Path f = dir.resolve("w.csv");
        // holds 90 % of its memory throughout; writes hard for 3 s, then not at all
        Files.writeString(f, "t,cpu,mem,write,net_in,net_out\n0,5,90,80,0,0\n1,5,90,80,0,0\n2,5,90,80,0,0\n3,5,90,0,0,0\n4,5,90,0,0,0\n");
        CliRun write = run("predict", "--trace", f.toString(), "--lookahead", "1", "--state-space", "write");
        assertEquals(0, write.exit(), write.err());
        JsonNode w = new ObjectMapper().readTree(write.out());
        assertEquals("write", w.get("state_space").asText());
        assertEquals(3, w.get("decisions").get("POST_COPY").asInt(), "only the writing seconds are memory-intensive");
        assertEquals(2, w.get("decisions").get("HYBRID").asInt());
        JsonNode u = new ObjectMapper().readTree(run("predict", "--trace", f.toString(), "--lookahead", "1").out());
        assertEquals(5, u.get("decisions").get("POST_COPY").asInt(), "memory use: every second is memory-intensive");
    }

    @Test
    void predict_writeStateSpaceWithoutWriteColumn_exits2() throws Exception {
        CliRun r = run("predict", "--trace", resource("alternating.csv"), "--lookahead", "1", "--state-space", "write");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("has no write column, which --state-space write needs"), r.err());
        CliRun bad = run("predict", "--trace", resource("alternating.csv"), "--lookahead", "1", "--state-space", "dirty");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("--state-space: expected one of usage, write, usage+write, got 'dirty'"), bad.err());
    }

    @Test
    void predict_missingFile_exits2NamingIt() {
        CliRun r = run("predict", "--trace", dir.resolve("nope.csv").toString(), "--lookahead", "3");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--trace: no such file"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void predict_missingColumn_exits2WithLineNumber() throws Exception {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "t,cpu,mem,net_in\n0,1,2,3\n");
        CliRun r = run("predict", "--trace", f.toString(), "--lookahead", "3");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("bad.csv:1: missing column 'net_out'"), r.err());
    }

    @Test
    void predict_nonNumericCell_exits2WithLineNumberAndField() throws Exception {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "t,cpu,mem,net_in,net_out\n0,1,2,3,4\n1,1,2,x,4\n");
        CliRun r = run("predict", "--trace", f.toString(), "--lookahead", "3");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("bad.csv:3: net_in: expected a number, got 'x'"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void predict_binaryFile_exits2() throws Exception {
        Path f = dir.resolve("bin.csv");
        Files.write(f, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2});
        CliRun r = run("predict", "--trace", f.toString(), "--lookahead", "3");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("migov: "), r.err());
    }

    @Test
    void predict_badLookahead_exits2() {
        CliRun zero = run("predict", "--trace", "x.csv", "--lookahead", "0");
        assertEquals(2, zero.exit());
        assertTrue(zero.err().contains("--lookahead: expected 1..1000, got 0"), zero.err());
        CliRun text = run("predict", "--trace", "x.csv", "--lookahead", "ten");
        assertEquals(2, text.exit());
        assertTrue(text.err().contains("--lookahead"), text.err());
    }

    @Test
    void predict_badPrior_exits2NamingTheProblem() throws Exception {
        Path prior = dir.resolve("p.json");
        Files.writeString(prior, "[[0.5,0.4],[0,1]]");
        CliRun r = run("predict", "--trace", resource("alternating.csv"), "--lookahead", "1", "--initial", prior.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("matrix[0]: row must sum to 1"), r.err());
        CliRun missing = run("predict", "--trace", resource("alternating.csv"), "--lookahead", "1", "--initial", "/nonexistent.json");
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("--initial: no such file"), missing.err());
    }

    @Test
    void noSubcommand_isAUsageError() {
        assertEquals(2, run().exit());
    }
}
