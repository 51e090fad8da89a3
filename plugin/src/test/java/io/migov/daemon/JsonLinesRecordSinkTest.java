// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.migov.governor.MigrationOutcome;
import io.migov.governor.MigrationRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonLinesRecordSinkTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path stateDir;

    static MigrationRecord record(String vm) {
        return new MigrationRecord(vm, "0f8fad5b-d9cb-469f-a165-70867728950e", "qemu:///system", "enforce", "migov",
                1_700_000_000_000L, 1_700_000_042_000L, MigrationOutcome.COMPLETED, true, 42_000, 180, 9_000_000_000L,
                7, 72, "HYBRID", "cpu=high,mem=high: memory-intensive", 0.8, 0.0, 0.0, 5,
                "switch_to_postcopy", 4, "STALLED at pass 4", "switch_to_postcopy", -1, true, 1234, null,
                List.of(new MigrationRecord.Pass(1, 0, null, 4_000_000_000L, 1.2e8, "NOT_DECAYING"),
                        new MigrationRecord.Pass(2, 33_000, 51_200.0, 900_000_000L, 1.2e8, "STALLED")),
                List.of(new MigrationRecord.TakenAction("switch_to_postcopy", 4, 33_100, -1, "STALLED at pass 4")),
                new MigrationRecord.ModelAtStart(62.5, 65_536_000L, 40, 40, 39, 120, 0.75, 0.5));
    }

    @Test
    void write_record_usesTheSnakeCaseKeysScriptsRelyOn() throws Exception {
        JsonLinesRecordSink sink = new JsonLinesRecordSink(stateDir, RecordRotation.DEFAULTS);
        sink.write(record("web-1"));
        List<String> lines = Files.readAllLines(stateDir.resolve("migrations.jsonl"));
        assertEquals(1, lines.size());
        JsonNode r = JSON.readTree(lines.get(0));
        assertEquals("web-1", r.get("vm").asText());
        assertEquals("0f8fad5b-d9cb-469f-a165-70867728950e", r.get("uuid").asText());
        assertEquals("HYBRID", r.get("strategy").asText());
        assertEquals("switch_to_postcopy", r.get("action").asText());
        assertEquals(4, r.get("action_iteration").asInt());
        assertEquals("STALLED at pass 4", r.get("reason").asText());
        assertTrue(r.get("completed").isBoolean() && r.get("completed").asBoolean());
        assertEquals(42_000, r.get("total_time_ms").asLong());
        assertEquals(180, r.get("downtime_ms").asLong());
        assertEquals(7, r.get("iterations").asInt());
        assertEquals(1234, r.get("postcopy_requests").asLong());
        assertEquals(1_700_000_000_000L, r.get("start_epoch_millis").asLong());
        assertEquals(9_000_000_000L, r.get("bytes_transferred").asLong());
        assertEquals("cpu=high,mem=high: memory-intensive", r.get("strategy_reason").asText());
        assertTrue(r.get("error").isNull());
        JsonNode pass = r.get("passes").get(1);
        assertEquals(51_200.0, pass.get("dirty_rate_pages_per_second").asDouble());
        assertEquals(900_000_000L, pass.get("remaining_bytes").asLong());
        assertTrue(r.get("passes").get(0).get("dirty_rate_pages_per_second").isNull());
        JsonNode model = r.get("model");
        assertEquals(62.5, model.get("write_percent").asDouble());
        assertEquals(40, model.get("predicted_state").asInt());
        assertEquals(39, model.get("last_realised_state").asInt());
        assertEquals(0.75, model.get("prediction_hit_rate").asDouble());
        assertEquals(0.5, model.get("persistence_hit_rate").asDouble());
        assertNoUpperCaseKey(r);
    }

    @Test
    void write_twoRecords_appendsOneObjectPerLine() throws Exception {
        JsonLinesRecordSink sink = new JsonLinesRecordSink(stateDir, RecordRotation.DEFAULTS);
        sink.write(record("a"));
        sink.write(record("b"));
        List<String> lines = Files.readAllLines(sink.file());
        assertEquals(List.of("a", "b"), lines.stream().map(l -> read(l).get("vm").asText()).toList());
        assertTrue(Files.readString(sink.file()).endsWith("}\n"));
    }

    @Test
    void write_pastMaxBytes_rotatesAndKeepsKeepFiles() throws Exception {
        int line = JsonLinesRecordSink.JSON.writeValueAsBytes(record("vm-00")).length + 1;
        int perFile = 3;
        JsonLinesRecordSink sink = new JsonLinesRecordSink(stateDir, new RecordRotation(Math.max(4096, (long) line * perFile), 2));
        perFile = (int) (Math.max(4096, (long) line * perFile) / line);
        int total = perFile * 4 + 1; // four full files and one record
        for (int i = 0; i < total; i++) {
            sink.write(record(String.format("vm-%02d", i)));
        }
        List<String> current = vms(sink.file());
        List<String> first = vms(stateDir.resolve("migrations.jsonl.1"));
        List<String> second = vms(stateDir.resolve("migrations.jsonl.2"));
        assertFalse(Files.exists(stateDir.resolve("migrations.jsonl.3")));
        assertEquals(List.of(String.format("vm-%02d", total - 1)), current);
        assertEquals(perFile, first.size());
        assertEquals(perFile, second.size());
        // newest first: .1 holds the records just before the current file, .2 the ones before those
        assertEquals(String.format("vm-%02d", total - 2), first.get(perFile - 1));
        assertEquals(String.format("vm-%02d", total - 1 - 2 * perFile), second.get(0));
        for (Path p : List.of(sink.file(), stateDir.resolve("migrations.jsonl.1"), stateDir.resolve("migrations.jsonl.2"))) {
            assertTrue(Files.size(p) <= Math.max(4096, (long) line * 3), p + " is larger than recordMaxBytes");
        }
    }

    @Test
    void write_keepFilesZero_dropsTheOldRecords() throws Exception {
        int line = JsonLinesRecordSink.JSON.writeValueAsBytes(record("vm-00")).length + 1;
        int perFile = 4096 / line;
        JsonLinesRecordSink sink = new JsonLinesRecordSink(stateDir, new RecordRotation(4096, 0));
        for (int i = 0; i <= perFile; i++) {
            sink.write(record(String.format("vm-%02d", i)));
        }
        assertFalse(Files.exists(stateDir.resolve("migrations.jsonl.1")));
        assertEquals(List.of(String.format("vm-%02d", perFile)), vms(sink.file()));
    }

    @Test
    void write_afterACrashMidLine_movesTheTornLineAsideSoTheFileStaysReadable() throws Exception {
        Files.writeString(stateDir.resolve("migrations.jsonl"), "{\"vm\":\"ok\",\"uuid\":\"u\"}\n{\"vm\":\"torn",
                StandardOpenOption.CREATE);
        new JsonLinesRecordSink(stateDir, RecordRotation.DEFAULTS).write(record("next"));
        List<String> lines = Files.readAllLines(stateDir.resolve("migrations.jsonl"));
        assertEquals(2, lines.size());
        assertEquals("ok", read(lines.get(0)).get("vm").asText());
        assertEquals("next", read(lines.get(1)).get("vm").asText());
        assertEquals(List.of("{\"vm\":\"torn"), Files.readAllLines(stateDir.resolve("migrations.jsonl.torn")));
        assertEquals(2, io.migov.report.RecordsFile.read(stateDir.resolve("migrations.jsonl")).size());
    }

    @Test
    void write_afterACrashOnTheFirstLine_movesItAsideAndStartsTheFile() throws Exception {
        Files.writeString(stateDir.resolve("migrations.jsonl"), "{\"vm\":\"to", StandardOpenOption.CREATE);
        new JsonLinesRecordSink(stateDir, RecordRotation.DEFAULTS).write(record("first"));
        List<String> lines = Files.readAllLines(stateDir.resolve("migrations.jsonl"));
        assertEquals(1, lines.size());
        assertEquals("first", read(lines.get(0)).get("vm").asText());
        assertEquals(List.of("{\"vm\":\"to"), Files.readAllLines(stateDir.resolve("migrations.jsonl.torn")));
    }

    private static List<String> vms(Path file) throws Exception {
        List<String> out = new ArrayList<>();
        for (String l : Files.readAllLines(file)) {
            out.add(read(l).get("vm").asText());
        }
        return out;
    }

    private static JsonNode read(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not a JSON line: " + line, e);
        }
    }

    private static void assertNoUpperCaseKey(JsonNode node) {
        if (node.isObject()) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                assertEquals(key.toLowerCase(java.util.Locale.ROOT), key, "key not in snake_case: " + key);
                assertNoUpperCaseKey(node.get(key));
            }
        } else if (node.isArray()) {
            node.forEach(JsonLinesRecordSinkTest::assertNoUpperCaseKey);
        }
    }

    @Test
    void contains_aRecordsMigrationId_foundInTheFileAndAfterItRotated_notOtherIds() throws Exception {
        JsonLinesRecordSink sink = new JsonLinesRecordSink(stateDir, new RecordRotation(RecordRotation.MIN_MAX_BYTES, 2));
        MigrationRecord first = record("web-1").withJournal("5d0b2c1e-0000-4000-8000-000000000001", true, 0);
        sink.write(first);
        assertTrue(sink.contains("5d0b2c1e-0000-4000-8000-000000000001"));
        assertFalse(sink.contains("5d0b2c1e-0000-4000-8000-000000000002"));
        assertFalse(sink.contains("5d0b2c1e"), "a whole id, not a prefix");

        for (int i = 2; i < 20 && !Files.exists(stateDir.resolve("migrations.jsonl.1")); i++) {
            sink.write(record("web-" + i));
        }
        assertTrue(Files.exists(stateDir.resolve("migrations.jsonl.1")), "rotated: the first record is in .1 now");
        assertTrue(sink.contains("5d0b2c1e-0000-4000-8000-000000000001"));
    }

    @Test
    void write_recordWithItsJournal_carriesMigrationIdReadoptedAndPassesMissed_aRecordWithoutOneOmitsTheId() throws Exception {
        JsonLinesRecordSink sink = new JsonLinesRecordSink(stateDir, RecordRotation.DEFAULTS);
        sink.write(record("web-1").withJournal("5d0b2c1e-0000-4000-8000-000000000001", true, 2));
        sink.write(record("web-2"));
        List<String> lines = Files.readAllLines(stateDir.resolve("migrations.jsonl"));
        JsonNode r = JSON.readTree(lines.get(0));
        assertEquals("5d0b2c1e-0000-4000-8000-000000000001", r.get("migration_id").asText());
        assertTrue(r.get("readopted").asBoolean());
        assertEquals(2, r.get("passes_missed").asInt());
        JsonNode plain = JSON.readTree(lines.get(1));
        assertFalse(plain.has("migration_id"));
        assertFalse(plain.get("readopted").asBoolean());
    }
}
