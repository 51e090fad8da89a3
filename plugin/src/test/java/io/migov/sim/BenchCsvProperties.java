// SPDX-License-Identifier: Apache-2.0
package io.migov.sim;

import io.migov.csv.HeaderCsv;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bench CSV (written by {@code migov simulate} and the lab bench, read by
 * {@code bench-report}), property-tested: whatever rows are written read back (text with commas,
 * quotes or line breaks included); any cell of a valid file set to anything, any header change, any
 * cut or garbage, gives the rows or one {@link IllegalArgumentException}
 * {@code <file>:<line>: <column>: expected …, got '<cell>'}; never another exception.
 */
class BenchCsvProperties {

    private static final String NAME = "bench.csv";

    private static Arbitrary<String> texts() {
        return Arbitraries.oneOf(Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(20),
                Arbitraries.strings().withChars("ab,\"\n\r ;é").ofMaxLength(12));
    }

    private static Arbitrary<String> names() {
        return texts().filter(s -> !flat(s).isEmpty());
    }

    @Provide
    Arbitrary<BenchRow> rows() {
        Arbitrary<Long> counts = Arbitraries.oneOf(Arbitraries.longs().between(-5, Long.MAX_VALUE), Arbitraries.of(-1L, 0L, Long.MAX_VALUE));
        Arbitrary<Integer> ints = Arbitraries.integers().between(-3, Integer.MAX_VALUE);
        Arbitrary<Double> reals = Arbitraries.oneOf(Arbitraries.doubles().between(-10, 1e9).ofScale(4), Arbitraries.of(Double.NaN, -1.0));
        return Builders.withBuilder(() -> new Object[17])
                .use(names()).in((a, v) -> set(a, 0, v)).use(names()).in((a, v) -> set(a, 1, v))
                .use(ints).in((a, v) -> set(a, 2, v)).use(texts()).in((a, v) -> set(a, 3, v))
                .use(Arbitraries.of(true, false)).in((a, v) -> set(a, 4, v))
                .use(counts).in((a, v) -> set(a, 5, v)).use(counts).in((a, v) -> set(a, 6, v)).use(counts).in((a, v) -> set(a, 7, v))
                .use(ints).in((a, v) -> set(a, 8, v)).use(counts).in((a, v) -> set(a, 9, v)).use(texts()).in((a, v) -> set(a, 10, v))
                .use(ints).in((a, v) -> set(a, 11, v)).use(counts).in((a, v) -> set(a, 12, v))
                .use(reals).in((a, v) -> set(a, 13, v)).use(reals).in((a, v) -> set(a, 14, v)).use(reals).in((a, v) -> set(a, 15, v))
                .use(texts()).in((a, v) -> set(a, 16, v))
                .build(a -> new BenchRow((String) a[0], (String) a[1], (Integer) a[2], (String) a[3], (Boolean) a[4], (Long) a[5], (Long) a[6],
                        (Long) a[7], (Integer) a[8], (Long) a[9], (String) a[10], (Integer) a[11], (Long) a[12], (Double) a[13], (Double) a[14],
                        (Double) a[15], (String) a[16]));
    }

    private static Object[] set(Object[] a, int i, Object v) {
        a[i] = v;
        return a;
    }

    /** A text cell as it reads back: one line, stripped. */
    private static String flat(String s) {
        return s.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ').strip();
    }

    private static long count(long v) {
        return v < 0 ? -1 : v;
    }

    private static double number(double v, String format) {
        return Double.isNaN(v) || v < 0 ? Double.NaN : Double.parseDouble(String.format(Locale.ROOT, format, v));
    }

    /** What a row reads back as: the writer's formats, -1 / NaN for unknown, text on one line. */
    private static BenchRow readBack(BenchRow r) {
        return new BenchRow(flat(r.workload()), flat(r.policy()), r.rep() < 0 ? 1 : r.rep(), flat(r.outcome()), r.completed(),
                count(r.totalTimeMs()), count(r.downtimeMs()), count(r.bytesSent()), r.passes() < 0 ? -1 : r.passes(),
                count(r.postcopyRequests()), flat(r.action()), Math.max(-1, r.actionIteration()), count(r.integrityFailures()),
                number(r.opsBefore(), "%.0f"), number(r.opsDuring(), "%.0f"), number(r.degradation(), "%.4f"), flat(r.reason()));
    }

    @Property(tries = 300)
    void writeThenRead_anyRows_readBackAsWritten(@ForAll("rowLists") List<BenchRow> rows) throws IOException {
        StringWriter out = new StringWriter();
        BenchCsv.write(rows, out);
        List<BenchRow> back = BenchCsv.read(new StringReader(out.toString()), NAME);
        assertEquals(rows.stream().map(BenchCsvProperties::readBack).toList(), back, out.toString());
    }

    @Provide
    Arbitrary<List<BenchRow>> rowLists() {
        return rows().list().ofMinSize(1).ofMaxSize(4);
    }

    /** One cell of one line set to something; {@code line} and {@code column} say which. */
    record Mutation(String kind, int line, String column, String value, String text) {
    }

    private static Arbitrary<String> cells() {
        return Arbitraries.oneOf(
                Arbitraries.of("", " ", "-1", "-5", "NaN", "Infinity", "1e400", "1e300", "9223372036854775807", "9223372036854775808", "1.5",
                        "1e3", "0x10", "yes", "no", "TRUE", "maybe", "\"x\"", "\"unterminated", "a\"b", "٣"),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(10));
    }

    @Provide
    Arbitrary<Mutation> mutatedFiles() {
        return rowLists().flatMap(rows -> {
            StringWriter out = new StringWriter();
            try {
                BenchCsv.write(rows, out);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            String valid = out.toString();
            List<String> lines = List.of(valid.split("\n"));
            List<List<String>> cellsByLine = cellsByLine(valid);
            Arbitrary<Mutation> setCell = Combinators.combine(Arbitraries.integers().between(1, lines.size() - 1),
                    Arbitraries.integers().between(0, BenchCsv.HEADER.size() - 1), cells()).as((l, c, v) -> {
                List<String> cellsOfLine = cellsByLine.get(l);
                List<String> quoted = new ArrayList<>();
                for (int i = 0; i < cellsOfLine.size(); i++) {
                    String cell = cellsOfLine.get(i);
                    quoted.add(i == c ? v : cell.contains(",") || cell.contains("\"") ? '"' + cell.replace("\"", "\"\"") + '"' : cell);
                }
                List<String> copy = new ArrayList<>(lines);
                copy.set(l, String.join(",", quoted));
                return new Mutation("set", l + 1, BenchCsv.HEADER.get(c), v, String.join("\n", copy) + "\n");
            });
            Arbitrary<Mutation> header = Combinators.combine(Arbitraries.integers().between(0, BenchCsv.HEADER.size() - 1),
                    Arbitraries.of("drop", "duplicate")).as((c, how) -> {
                List<String> h = new ArrayList<>(BenchCsv.HEADER);
                String column = h.get(c);
                h.set(how.equals("drop") ? c : (c + 1) % h.size(), how.equals("drop") ? "x" : column);
                List<String> copy = new ArrayList<>(lines);
                copy.set(0, String.join(",", h));
                return new Mutation("header-" + how, 1, column, null, String.join("\n", copy) + "\n");
            });
            Arbitrary<Mutation> truncate = Arbitraries.integers().between(0, valid.length() - 1)
                    .map(n -> new Mutation("truncate", -1, null, null, valid.substring(0, n)));
            Arbitrary<Mutation> garbage = Combinators.combine(Arbitraries.integers().between(0, valid.length()),
                    Arbitraries.strings().all().ofMinLength(1).ofMaxLength(5))
                    .as((at, g) -> new Mutation("garbage", -1, null, g, valid.substring(0, at) + g + valid.substring(at)));
            return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, setCell), net.jqwik.api.Tuple.of(1, header),
                    net.jqwik.api.Tuple.of(1, truncate), net.jqwik.api.Tuple.of(1, garbage));
        });
    }

    /** The cells of each line of a file the writer wrote (one row per line), the header's at 0. */
    private static List<List<String>> cellsByLine(String text) {
        List<List<String>> lines = new ArrayList<>();
        try (HeaderCsv csv = HeaderCsv.open(new StringReader(text))) {
            lines.add(csv.columns());
            HeaderCsv.Row row;
            while ((row = csv.next()) != null) {
                assertEquals(lines.size() + 1, row.line(), "one row per line");
                lines.add(row.cells());
            }
        } catch (IOException | HeaderCsv.SyntaxException e) {
            throw new IllegalStateException(e);
        }
        return lines;
    }

    @Property(tries = 500)
    void read_mutatedFile_rowsOrErrorNamingLineColumnAndCell(@ForAll("mutatedFiles") Mutation m) throws IOException {
        List<BenchRow> rows;
        try {
            rows = BenchCsv.read(new StringReader(m.text()), NAME);
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            assertTrue(message.matches(java.util.regex.Pattern.quote(NAME) + "(:\\d+)?: .+"), "no file:line: " + message);
            if (m.kind().equals("set") && !m.value().contains("\"") && !m.value().contains(",")) {
                String prefix = NAME + ":" + m.line() + ": " + m.column() + ": ";
                assertTrue(message.startsWith(prefix) && message.endsWith(", got '" + m.value().strip() + "'"),
                        "does not name the cell " + m.column() + " = '" + m.value() + "': " + message);
            }
            if (m.kind().equals("header-duplicate")) {
                assertTrue(message.startsWith(NAME + ":1: "), message);
            }
            return;
        } catch (RuntimeException e) {
            throw new AssertionError("not an IllegalArgumentException for " + m + ": " + e, e);
        }
        assertTrue(!m.kind().equals("header-duplicate"), "a column twice accepted: " + m);
        for (BenchRow r : rows) {
            assertTrue(!r.workload().isEmpty() && !r.policy().isEmpty());
            for (long v : new long[] {r.totalTimeMs(), r.downtimeMs(), r.bytesSent(), r.passes(), r.postcopyRequests(), r.integrityFailures()}) {
                assertTrue(v >= -1, v + " in " + r);
            }
            for (double v : new double[] {r.opsBefore(), r.opsDuring(), r.degradation()}) {
                assertTrue(Double.isNaN(v) || (Double.isFinite(v) && v >= 0), v + " in " + r);
            }
            if (m.kind().equals("set") && m.column().endsWith("_ms") && m.value().strip().equals("1e300")) {
                throw new AssertionError("1e300 ms read as " + r);
            }
        }
    }

    @Example
    void write_reasonWithALineBreak_readsBackOnOneLine() throws IOException {
        BenchRow r = new BenchRow("w", "migov", 1, "failed", false, 10, -1, -1, 1, -1, "none", -1, -1, Double.NaN, Double.NaN, Double.NaN,
                "libvirt: error\ndetail");
        StringWriter out = new StringWriter();
        BenchCsv.write(List.of(r), out);
        assertEquals("libvirt: error detail", BenchCsv.read(new StringReader(out.toString()), NAME).get(0).reason());
    }

    @Example
    void read_countAbove2To53_readExactly() throws IOException {
        String csv = String.join(",", BenchCsv.HEADER) + "\nw,migov,1,completed,true,1,1,9223372036854775296,1,1,none,-1,0,,,,\n";
        assertEquals(9223372036854775296L, BenchCsv.read(new StringReader(csv), NAME).get(0).bytesSent());
    }

    @Example
    void read_countBeyondALong_refusedNotClamped() {
        String csv = String.join(",", BenchCsv.HEADER) + "\nw,migov,1,completed,true,1e300,1,1,1,1,none,-1,0,,,,\n";
        assertEquals("bench.csv:2: total_time_ms: expected a whole number (empty or -1 = unknown), got '1e300'",
                assertThrows(IllegalArgumentException.class, () -> BenchCsv.read(new StringReader(csv), NAME)).getMessage());
    }

    private static final Path DOCS = Path.of("..", "docs", "evaluation", "bench");

    @Example
    void read_committedLabResults_everyRow() throws IOException {
        Path file = DOCS.resolve("results.csv");
        List<BenchRow> rows = BenchCsv.read(Files.newBufferedReader(file), file.toString());
        assertEquals(Files.readAllLines(file).size() - 1, rows.size());
        BenchRow first = rows.get(0);
        assertEquals(List.of("readmostly", "hybrid(4)", "completed", "switch_to_postcopy at pass 4"),
                List.of(first.workload(), first.policy(), first.outcome(), first.reason()));
        assertEquals(489071964L, first.bytesSent());
        assertEquals(20398.6, first.opsBefore());
    }

    @Example
    void write_theCommittedSimulatedRows_writesTheFileByteForByte() throws IOException {
        String committed = Files.readString(DOCS.resolve("simulated.csv"));
        StringWriter out = new StringWriter();
        BenchCsv.write(BenchCsv.read(new StringReader(committed), "simulated.csv"), out);
        assertEquals(committed, out.toString());
    }

    @Example
    void write_noRows_theHeaderAlone() throws IOException {
        StringWriter out = new StringWriter();
        BenchCsv.write(List.of(), out);
        assertEquals(String.join(",", BenchCsv.HEADER) + "\n", out.toString());
    }
}
