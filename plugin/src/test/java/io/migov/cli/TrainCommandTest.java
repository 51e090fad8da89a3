// SPDX-License-Identifier: Apache-2.0
package io.migov.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.migov.core.storage.InterferenceModel;
import io.migov.core.storage.InterferenceModelCodec;
import io.migov.core.storage.LabelledSample;
import io.migov.core.storage.ResearchSamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainCommandTest {

    private static final String HEADER = "t,iops,io_ticks_ms,throughput_bytes_per_s,util_pct,label\n";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path csv(String name, String body) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, body, StandardCharsets.UTF_8);
        return f;
    }

    private Path researchLabelled(String name, int count, long seed) throws Exception {
        StringBuilder body = new StringBuilder(HEADER);
        int t = 0;
        for (LabelledSample s : ResearchSamples.generate(count, seed, 0.02)) {
            body.append(ResearchSamples.csvLine(t++, s)).append('\n');
        }
        return csv(name, body.toString());
    }

    private List<String> files() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static List<String> names(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void train_labelledSamples_printsHoldOutMetricsAndWritesALoadableModel() throws Exception {
        Path a = researchLabelled("a.csv", 600, 21);
        Path b = researchLabelled("b.csv", 400, 22);
        Path out = dir.resolve("model.json");
        CliRun r = CliRun.of("train", "--samples", a + "," + b, "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        JsonNode s = JSON.readTree(r.out());
        assertEquals(List.of("samples", "accuracy", "precision", "recall", "f1", "cv_f1", "research_f1"), names(s));
        assertEquals(1000, s.get("samples").asInt());
        assertTrue(s.get("f1").asDouble() >= 0.8, r.out());
        assertTrue(s.get("cv_f1").asDouble() >= 0.8, r.out());
        for (String metric : List.of("accuracy", "precision", "recall")) {
            assertTrue(s.get(metric).asDouble() > 0.8 && s.get(metric).asDouble() <= 1, metric + " in " + r.out());
        }
        // the labels came from the research model (2 % flipped), so it scores well on them too
        assertTrue(s.get("research_f1").asDouble() >= 0.9, r.out());
        InterferenceModel model = InterferenceModelCodec.decode(Files.readString(out));
        assertTrue(model.scales()[0] > 1, "a trained model is standardised: " + model);
        assertEquals(List.of("a.csv", "b.csv", "model.json"), files());
    }

    @Test
    void train_sameInputTwice_writesTheSameModel() throws Exception {
        Path a = researchLabelled("a.csv", 300, 23);
        CliRun.of("train", "--samples", a.toString(), "--out", dir.resolve("m1.json").toString());
        CliRun.of("train", "--samples", a.toString(), "--out", dir.resolve("m2.json").toString());
        assertEquals(Files.readString(dir.resolve("m1.json")), Files.readString(dir.resolve("m2.json")));
    }

    @Test
    void train_badCell_exits2NamingFileLineAndFieldAndWritesNothing() throws Exception {
        Path a = csv("a.csv", HEADER + "0,10,100,1000,10,0\n1,10,100,1000,ten,1\n");
        CliRun r = CliRun.of("train", "--samples", a.toString(), "--out", dir.resolve("m.json").toString());
        assertEquals(2, r.exit());
        assertEquals("migov: " + a + ":3: util_pct: expected a number in [0, 100], got 'ten'\n", r.err().replace("\r", ""));
        assertEquals(List.of("a.csv"), files());
    }

    @Test
    void train_oneLabelOnly_exits2WithTheCounts() throws Exception {
        StringBuilder body = new StringBuilder(HEADER);
        for (int t = 0; t < 50; t++) {
            body.append(t).append(",10,100,1000,10,0\n");
        }
        Path a = csv("a.csv", body.toString());
        CliRun r = CliRun.of("train", "--samples", a.toString(), "--out", dir.resolve("m.json").toString());
        assertEquals(2, r.exit());
        assertEquals("migov: --samples: need at least 10 of each label, got 0 with label 1 and 50 with label 0\n",
                r.err().replace("\r", ""));
        assertEquals(List.of("a.csv"), files());
    }

    @Test
    void train_missingFileOrDirectory_exits2() throws Exception {
        CliRun r = CliRun.of("train", "--samples", dir.resolve("none.csv").toString(), "--out", dir.resolve("m.json").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--samples: no such file: "), r.err());
        Path a = researchLabelled("a.csv", 100, 24);
        CliRun noDir = CliRun.of("train", "--samples", a.toString(), "--out", dir.resolve("no/m.json").toString());
        assertEquals(2, noDir.exit());
        assertTrue(noDir.err().contains("--out: no such directory: "), noDir.err());
    }
}
