// SPDX-License-Identifier: Apache-2.0
package io.migov.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.migov.daemon.JsonLinesRecordSink;
import io.migov.daemon.RecordRotation;
import io.migov.governor.MigrationOutcome;
import io.migov.governor.MigrationRecord;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Migration records ({@code migrations.jsonl}, read by {@code migov report}), property-tested: what
 * the daemon's sink writes reads back record for record; a file with one line damaged (cut, garbage,
 * bytes that are not UTF-8, a second object, a key twice, not a record) is one
 * {@link IllegalArgumentException} {@code <file>:<line>: …, got '<the line>'} and no records; the
 * report renders whatever was read; never another exception.
 */
class RecordsProperties {

    private static MigrationRecord record(String vm, long start) {
        return new MigrationRecord(vm, "0f8fad5b-d9cb-469f-a165-70867728950e", "qemu:///system", "enforce", "migov",
                start, start + 42_000, MigrationOutcome.COMPLETED, true, 42_000, 180, 9_000_000_000L,
                7, 72, "HYBRID", "cpu=high,mem=high: memory-intensive", 0.8, 0.0, 0.0, 5,
                "switch_to_postcopy", 4, "STALLED at pass 4", "switch_to_postcopy", -1, true, 1234, null,
                List.of(new MigrationRecord.Pass(1, 0, null, 4_000_000_000L, 1.2e8, "NOT_DECAYING")),
                List.of(new MigrationRecord.TakenAction("switch_to_postcopy", 4, 33_100, -1, "STALLED at pass 4")),
                new MigrationRecord.ModelAtStart(62.5, 65_536_000L, 40, 40, 39, 120, 0.75, 0.5));
    }

    /** The lines of a file the daemon's sink wrote: 1 to 5 records of VMs with any names. */
    @Provide
    Arbitrary<List<String>> files() {
        return Arbitraries.strings().all().ofMaxLength(20).list().ofMinSize(1).ofMaxSize(5).map(vms -> {
            try {
                Path dir = Files.createTempDirectory("migov-records");
                try {
                    JsonLinesRecordSink sink = new JsonLinesRecordSink(dir, RecordRotation.DEFAULTS);
                    long start = 1_700_000_000_000L;
                    for (String vm : vms) {
                        sink.write(record(vm, start++));
                    }
                    return List.of(Files.readString(sink.file(), StandardCharsets.UTF_8).split("\n"));
                } finally {
                    try (var s = Files.list(dir)) {
                        for (Path p : s.toList()) {
                            Files.delete(p);
                        }
                    }
                    Files.delete(dir);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Property(tries = 100)
    void read_whatTheSinkWrote_everyRecordBack(@ForAll("files") List<String> lines) throws IOException {
        Path f = write(String.join("\n", lines) + "\n");
        try {
            List<JsonNode> records = RecordsFile.read(f);
            assertEquals(lines.size(), records.size());
            for (int i = 0; i < lines.size(); i++) {
                assertEquals(JsonLinesRecordSink.JSON.readTree(lines.get(i)), records.get(i));
            }
            assertTrue(ReportTable.render(records, ReportTable.RowFacts.NONE).lines().count() >= 2 + records.size());
        } finally {
            Files.delete(f);
        }
    }

    /** One line damaged; {@code line} is its 1-based number. */
    record Damaged(String kind, int line, byte[] bytes) {
        @Override
        public String toString() {
            return kind + " at line " + line + ": " + new String(bytes, StandardCharsets.UTF_8);
        }
    }

    @Provide
    Arbitrary<Damaged> damagedFiles() {
        return files().flatMap(lines -> Combinators.combine(Arbitraries.integers().between(0, lines.size() - 1),
                Arbitraries.of("cut", "garbage", "latin1", "second", "twice", "notRecord", "array", "scalar"),
                Arbitraries.integers().between(1, 1000), Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(5))
                .as((i, kind, at, g) -> {
                    String line = lines.get(i);
                    byte[] damaged = switch (kind) {
                        case "cut" -> utf8(line.substring(0, Math.max(1, Math.min(line.length() - 1, at))));
                        case "garbage" -> utf8(line.substring(0, Math.min(line.length() - 1, at)) + "\u0001" + g);
                        case "latin1" -> concat(utf8("{\"uuid\":\"x\",\"vm\":\""), new byte[] {(byte) 0xE9, (byte) 0xFF}, utf8("\"}"));
                        case "second" -> utf8(line + " " + line);
                        case "twice" -> utf8(line.replaceFirst("^\\{", "{\"uuid\":\"again\","));
                        case "notRecord" -> utf8(line.replace("\"uuid\"", "\"uid\""));
                        case "array" -> utf8("[" + line + "]");
                        default -> utf8(g.replaceAll("[\\[{\"]", "1"));
                    };
                    List<byte[]> out = new ArrayList<>();
                    for (int k = 0; k < lines.size(); k++) {
                        out.add(k == i ? damaged : utf8(lines.get(k)));
                        out.add(new byte[] {'\n'});
                    }
                    return new Damaged(kind, i + 1, concat(out.toArray(new byte[0][])));
                }));
    }

    @Property(tries = 300)
    void read_oneDamagedLine_errorNamingFileLineAndShowingIt(@ForAll("damagedFiles") Damaged d) throws IOException {
        Path f = Files.write(Files.createTempFile("migrations", ".jsonl"), d.bytes());
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecordsFile.read(f), d.toString());
            String m = e.getMessage();
            assertTrue(m.startsWith(f + ":" + d.line() + ": "), m + " for " + d);
            assertTrue(m.contains(", got '"), m);
            assertTrue(m.lines().count() == 1, "one line: " + m);
        } catch (RuntimeException e) {
            throw new AssertionError("not an IllegalArgumentException for " + d + ": " + e, e);
        } finally {
            Files.delete(f);
        }
    }

    @Example
    void read_lineThatIsNotUtf8_namesTheLine() throws IOException {
        Path f = Files.write(Files.createTempFile("migrations", ".jsonl"),
                concat(utf8("{\"uuid\":\"a\"}\n{\"uuid\":\"b\",\"vm\":\""), new byte[] {(byte) 0xE9}, utf8("\"}\n")));
        try {
            assertEquals(f + ":2: not UTF-8 text, got '{\"uuid\":\"b\",\"vm\":\"\uFFFD\"}'",
                    assertThrows(IllegalArgumentException.class, () -> RecordsFile.read(f)).getMessage());
        } finally {
            Files.delete(f);
        }
    }

    @Example
    void read_twoObjectsOnALine_refused() throws IOException {
        Path f = write("{\"uuid\":\"a\"} {\"uuid\":\"b\"}\n");
        try {
            String m = assertThrows(IllegalArgumentException.class, () -> RecordsFile.read(f)).getMessage();
            assertTrue(m.startsWith(f + ":1: not a JSON object (Trailing token"), m);
        } finally {
            Files.delete(f);
        }
    }

    private static Path write(String text) throws IOException {
        return Files.writeString(Files.createTempFile("migrations", ".jsonl"), text);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
