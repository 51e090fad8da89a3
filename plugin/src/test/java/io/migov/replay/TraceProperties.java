// SPDX-License-Identifier: Apache-2.0
package io.migov.replay;

import io.migov.core.Sample;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Trace CSV ({@code migov predict}, {@code prior}, {@code simulate}), property-tested: any valid trace
 * reads back exactly, columns in any order, with extras; any mutation of one is either a valid trace
 * or one {@link TraceFormatException} {@code <file>:<line>: <column>: …} showing the value; never
 * another exception, never part of a trace.
 */
class TraceProperties {

    private static final String NAME = "trace.csv";
    private static final Pattern WHERE = Pattern.compile(Pattern.quote(NAME) + "(:\\d+)?: .+");
    private static final List<String> COLUMNS = List.of("t", "cpu", "mem", "write", "net_in", "net_out", "host");

    /** A valid trace as text: a header (a shuffle of the columns, write and an extra column optional) and the rows. */
    record Csv(List<String> header, List<List<String>> rows) {
        String text() {
            StringBuilder sb = new StringBuilder(String.join(",", header)).append('\n');
            for (List<String> r : rows) {
                sb.append(String.join(",", r)).append('\n');
            }
            return sb.toString();
        }

        /** The 1-based file line of row {@code i}. */
        static int line(int i) {
            return i + 2;
        }
    }

    @Provide
    Arbitrary<Csv> traces() {
        Arbitrary<List<String>> header = Arbitraries.of(COLUMNS).set().ofMinSize(0).ofMaxSize(COLUMNS.size())
                .map(optional -> {
                    List<String> h = new ArrayList<>(List.of("t", "cpu", "mem", "net_in", "net_out"));
                    if (optional.contains("write")) {
                        h.add("write");
                    }
                    if (optional.contains("host")) {
                        h.add("host");
                    }
                    return h;
                }).flatMap(h -> Arbitraries.shuffle(h));
        Arbitrary<Double> percent = Arbitraries.oneOf(Arbitraries.doubles().between(0, 100).ofScale(6), Arbitraries.of(0.0, 100.0, 50.0));
        return header.flatMap(h -> Combinators.combine(percent.list().ofSize(h.size()), Arbitraries.doubles().between(0.001, 1000).ofScale(4))
                .as((values, step) -> new double[][] {values.stream().mapToDouble(Double::doubleValue).toArray(), {step}})
                .list().ofMinSize(1).ofMaxSize(20)
                .map(rowValues -> {
                    List<List<String>> rows = new ArrayList<>();
                    double t = -5;
                    for (double[][] rv : rowValues) {
                        t += rv[1][0];
                        List<String> row = new ArrayList<>();
                        for (int c = 0; c < h.size(); c++) {
                            row.add(switch (h.get(c)) {
                                case "t" -> Double.toString(t);
                                case "host" -> "h" + c;
                                default -> Double.toString(rv[0][c]);
                            });
                        }
                        rows.add(row);
                    }
                    return new Csv(h, rows);
                }));
    }

    @Property(tries = 200)
    void read_anyValidTrace_readsBackExactly(@ForAll("traces") Csv csv) throws Exception {
        Trace t = Trace.read(new StringReader(csv.text()), NAME);
        assertEquals(csv.rows().size(), t.size());
        assertEquals(csv.header().contains("write"), t.hasWrite());
        for (int i = 0; i < t.size(); i++) {
            List<String> row = csv.rows().get(i);
            Sample s = t.samples().get(i);
            assertEquals(Double.parseDouble(row.get(csv.header().indexOf("t"))), t.times().get(i));
            assertEquals(Double.parseDouble(row.get(csv.header().indexOf("cpu"))), s.cpuPercent());
            assertEquals(Double.parseDouble(row.get(csv.header().indexOf("mem"))), s.memoryPercent());
            assertEquals(Double.parseDouble(row.get(csv.header().indexOf("net_in"))), s.netInPercent());
            assertEquals(Double.parseDouble(row.get(csv.header().indexOf("net_out"))), s.netOutPercent());
            assertEquals(csv.header().contains("write") ? Double.parseDouble(row.get(csv.header().indexOf("write"))) : 0.0, s.writePercent());
        }
    }

    /** A cell's worth of bad (and some good) text. */
    static Arbitrary<String> cells() {
        return Arbitraries.oneOf(
                Arbitraries.of("", " ", "NaN", "Infinity", "-Infinity", "-1", "-0.0", "100", "100.0000001", "101", "1e400", "1e-400", "abc",
                        "5%", " 5 ", "0x10", "1d", "1_0", "١", "9223372036854775808", "\"5\"", "--1", "1e", "e1", "."),
                Arbitraries.doubles().map(d -> Double.toString(d)),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(8).filter(s -> s.indexOf(',') < 0));
    }

    /** What was done: {@code line}/{@code column} of the cell set to {@code value}, or -1 for other mutations. */
    record Mutation(String kind, int line, String column, String value, String text) {
        @Override
        public String toString() {
            return kind + " line " + line + " " + column + " = '" + value + "' →\n" + text;
        }
    }

    @Provide
    Arbitrary<Mutation> mutatedTraces() {
        return traces().flatMap(csv -> {
            String valid = csv.text();
            int rows = csv.rows().size();
            int cols = csv.header().size();
            Arbitrary<Mutation> setCell = Combinators.combine(Arbitraries.integers().between(0, rows - 1),
                    Arbitraries.integers().between(0, cols - 1), cells()).as((r, c, v) -> {
                List<List<String>> copy = new ArrayList<>();
                csv.rows().forEach(row -> copy.add(new ArrayList<>(row)));
                copy.get(r).set(c, v);
                return new Mutation("set", Csv.line(r), csv.header().get(c), v, new Csv(csv.header(), copy).text());
            });
            Arbitrary<Mutation> cellCount = Combinators.combine(Arbitraries.integers().between(0, rows - 1), Arbitraries.of(true, false))
                    .as((r, add) -> {
                        List<List<String>> copy = new ArrayList<>();
                        csv.rows().forEach(row -> copy.add(new ArrayList<>(row)));
                        if (add) {
                            copy.get(r).add("1");
                        } else {
                            copy.get(r).remove(copy.get(r).size() - 1);
                        }
                        return new Mutation("cells", Csv.line(r), null, null, new Csv(csv.header(), copy).text());
                    });
            Arbitrary<Mutation> header = Combinators.combine(Arbitraries.integers().between(0, cols - 1),
                    Arbitraries.of("drop", "duplicate", "rename", "upper")).as((c, how) -> {
                List<String> h = new ArrayList<>(csv.header());
                String column = h.get(c);
                switch (how) {
                    case "drop" -> h.set(c, "x" + c);
                    case "duplicate" -> h.set((c + 1) % cols, column);
                    case "rename" -> h.set(c, column + "_");
                    default -> h.set(c, " " + column.toUpperCase() + " ");
                }
                return new Mutation("header-" + how, 1, column, null, new Csv(h, csv.rows()).text());
            });
            Arbitrary<Mutation> truncate = Arbitraries.integers().between(0, valid.length() - 1)
                    .map(n -> new Mutation("truncate", -1, null, null, valid.substring(0, n)));
            Arbitrary<Mutation> garbage = Combinators.combine(Arbitraries.integers().between(0, valid.length()),
                    Arbitraries.strings().all().ofMinLength(1).ofMaxLength(5)).as((at, g) -> new Mutation("garbage", -1, null, g,
                    valid.substring(0, at) + g + valid.substring(at)));
            return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, setCell), net.jqwik.api.Tuple.of(1, cellCount),
                    net.jqwik.api.Tuple.of(2, header), net.jqwik.api.Tuple.of(1, truncate), net.jqwik.api.Tuple.of(1, garbage),
                    net.jqwik.api.Tuple.of(1, Arbitraries.just(new Mutation("bom", -1, null, null, "\uFEFF" + valid))));
        });
    }

    @Property(tries = 500)
    void read_mutatedTrace_wholeValidTraceOrErrorNamingLineColumnAndValue(@ForAll("mutatedTraces") Mutation m) throws IOException {
        Trace t;
        try {
            t = Trace.read(new StringReader(m.text()), NAME);
        } catch (TraceFormatException e) {
            String message = e.getMessage();
            assertTrue(WHERE.matcher(message).matches(), "no file:line: " + message + " for " + m);
            switch (m.kind()) {
                case "set" -> assertNamesTheCell(message, m);
                case "cells" -> assertTrue(message.startsWith(NAME + ":" + m.line() + ": expected ") && message.contains(" cells, got "),
                        message + " for " + m);
                case "header-drop", "header-rename" -> assertTrue(message.startsWith(NAME + ":1: missing column '" + m.column() + "'")
                        || !List.of("t", "cpu", "mem", "net_in", "net_out").contains(m.column()), message + " for " + m);
                case "header-duplicate" -> assertTrue(message.startsWith(NAME + ":1: "), message + " for " + m);
                case "header-upper", "bom" -> throw new AssertionError("a valid trace refused: " + message + " for " + m);
                default -> {
                    // truncated or garbled: any line, checked above
                }
            }
            return;
        } catch (RuntimeException e) {
            throw new AssertionError("not a TraceFormatException for " + m + ": " + e, e);
        }
        assertTrue(t.size() > 0);
        for (int i = 0; i < t.size(); i++) {
            Sample s = t.samples().get(i);
            for (double v : new double[] {s.cpuPercent(), s.memoryPercent(), s.writePercent(), s.netInPercent(), s.netOutPercent()}) {
                assertTrue(v >= 0 && v <= 100, v + " for " + m);
            }
            assertTrue(Double.isFinite(t.times().get(i)) && (i == 0 || t.times().get(i) > t.times().get(i - 1)), m.toString());
        }
        assertTrue(!m.kind().equals("header-duplicate") || m.column().equals("host"), "a column twice accepted for " + m);
    }

    /** A bad cell: named by its line and column, its text shown (t: or by the next line, which is then not after it). */
    private static void assertNamesTheCell(String message, Mutation m) {
        if (m.column().equals("host")) {
            throw new AssertionError("the extra column is not read, but: " + message + " for " + m);
        }
        String cell = unquoted(m.value()).strip();
        boolean here = message.startsWith(NAME + ":" + m.line() + ": " + m.column() + ": ");
        boolean shown = message.contains("'" + cell + "'") || message.contains("got " + cell);
        try {
            shown |= message.contains(Double.toString(Double.parseDouble(cell)));
        } catch (NumberFormatException e) {
            // not a number: shown as it is
        }
        // a quote in the cell: its CSV quoting may be what is wrong (unterminated), which the message says instead of a value
        boolean quoting = m.value().contains("\"");
        boolean nextLineNotAfterIt = m.column().equals("t") && message.startsWith(NAME + ":" + (m.line() + 1) + ": t: ");
        assertTrue(here && (shown || quoting) || nextLineNotAfterIt, "does not name line " + m.line() + " " + m.column() + " and '" + cell + "': "
                + message + " for " + m);
    }

    /** A cell's value as CSV reads it: a quoted cell without its quotes, doubled quotes single. */
    private static String unquoted(String cell) {
        return cell.length() >= 2 && cell.startsWith("\"") && cell.endsWith("\"") ? cell.substring(1, cell.length() - 1).replace("\"\"", "\"") : cell;
    }

    @Example
    void read_quotedCell_readAsItsValue() throws Exception {
        Trace t = Trace.read(new StringReader("t,cpu,mem,net_in,net_out,host\n0,\"12.5\",2,3,4,\"a, b\"\n"), NAME);
        assertEquals(12.5, t.samples().get(0).cpuPercent());
    }

    @Example
    void read_unterminatedQuote_namesLineAndColumn() {
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> Trace.read(new StringReader("t,cpu,mem,net_in,net_out\n0,1,2,3,4\n1,1,\"2,3,4\n2,1,2,3,4\n"), NAME));
        assertEquals("trace.csv:3: mem: Missing closing quote for value", e.getMessage());
    }

    @Example
    void read_requiredColumnTwice_refusedNamingIt() {
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> Trace.read(new StringReader("t,cpu,mem,net_in,net_out,cpu\n0,1,2,3,4,90\n"), NAME));
        assertEquals("trace.csv:1: column 'cpu' appears twice in header 't,cpu,mem,net_in,net_out,cpu'", e.getMessage());
    }

    @Example
    void read_headerWithAByteOrderMark_reads() throws Exception {
        assertEquals(1, Trace.read(new StringReader("\uFEFFt,cpu,mem,net_in,net_out\n0,1,2,3,4\n"), NAME).size());
    }
}
