// SPDX-License-Identifier: Apache-2.0
package io.migov.csv;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeaderCsvTest {

    /** The columns, then each row as {@code line: cells}. */
    private static List<String> read(String text) throws Exception {
        List<String> out = new ArrayList<>();
        try (HeaderCsv csv = HeaderCsv.open(new StringReader(text))) {
            out.add(csv.columns().toString());
            HeaderCsv.Row row;
            while ((row = csv.next()) != null) {
                out.add(row.line() + ": " + row.cells());
            }
        }
        return out;
    }

    @Test
    void open_headerAndRows_columnsTrimmedRowsWithTheirLines() throws Exception {
        assertEquals(List.of("[a, b, c d]", "2: [1,  2 , x]", "3: [4, 5, 6]"), read(" a ,b, c d \n1, 2 ,x\n4,5,6\n"));
    }

    @Test
    void open_emptyFileOrBlankFirstLine_noColumns() throws Exception {
        assertEquals(List.of("[]"), read(""));
        assertEquals(List.of("[]"), read("\n"));
        assertEquals(List.of("[]"), read("   \na,b\n1,2\n"));
    }

    @Test
    void open_byteOrderMark_notPartOfTheFirstColumn() throws Exception {
        assertEquals(List.of("[t, cpu]", "2: [0, 1]"), read("\uFEFFt,cpu\n0,1\n"));
    }

    @Test
    void next_blankLines_skippedAndCountedInLineNumbers() throws Exception {
        assertEquals(List.of("[a, b]", "3: [1, 2]", "5: [3, 4]"), read("a,b\n\n1,2\n  \n3,4\n\n"));
    }

    @Test
    void next_cellCountDiffersFromHeader_givesTheCellsAsTheLineHasThem() throws Exception {
        assertEquals(List.of("[a, b, c]", "2: [1, 2]", "3: [1, 2, 3, 4, 5]", "4: [1, 2, 3, ]", "5: [, , ]"),
                read("a,b,c\n1,2\n1,2,3,4,5\n1,2,3,\n,,\n"));
    }

    @Test
    void next_quotedCells_unquotedWithCommasQuotesAndLineBreaks() throws Exception {
        assertEquals(List.of("[a, b]", "2: [x,y, say \"hi\"]", "3: [two\nlines, z]", "5: [w, ]"),
                read("a,b\n\"x,y\",\"say \"\"hi\"\"\"\n\"two\nlines\",z\nw,\"\"\n"));
    }

    @Test
    void next_unterminatedQuote_syntaxErrorWithALine() {
        HeaderCsv.SyntaxException e = assertThrows(HeaderCsv.SyntaxException.class, () -> read("a,b\n1,2\n3,\"4\n5,6\n"));
        assertEquals(3, e.line(), "the line the row starts on: " + e.getMessage());
        assertEquals("b: Missing closing quote for value", e.getMessage());
    }

    @Test
    void next_textAfterAClosingQuote_syntaxErrorOnItsLine() {
        HeaderCsv.SyntaxException e = assertThrows(HeaderCsv.SyntaxException.class, () -> read("a,b\n1,2\n\"3\"x,4\n"));
        assertEquals(3, e.line(), e.getMessage());
        assertTrue(e.getMessage().startsWith("a: Unexpected character ('x'"), e.getMessage());
    }

    private static String write(List<String> columns, List<List<String>> rows) throws IOException {
        StringWriter out = new StringWriter();
        try (HeaderCsv.Writing w = HeaderCsv.write(out, columns)) {
            for (List<String> r : rows) {
                w.row(r);
            }
        }
        return out.toString();
    }

    @Test
    void write_plainCells_unquoted() throws IOException {
        assertEquals("t,reason\n1,hybrid(4) at pass 3: remaining 0.5 MiB\n# not a comment,\n",
                write(List.of("t", "reason"), List.of(List.of("1", "hybrid(4) at pass 3: remaining 0.5 MiB"), List.of("# not a comment", ""))));
    }

    @Test
    void write_cellsWithCommasQuotesOrLineBreaks_quotedAndReadBack() throws Exception {
        List<String> cells = List.of("a,b", "say \"hi\"", "two\nlines");
        String text = write(List.of("x", "y", "z"), List.of(cells));
        assertEquals("x,y,z\n\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\n", text);
        assertEquals(List.of("[x, y, z]", "2: " + cells), read(text));
    }

    @Test
    void write_noRows_theHeaderAlone() throws IOException {
        assertEquals("t,\"a,b\"\n", write(List.of("t", "a,b"), List.of()));
    }

    @Test
    void write_carriageReturnInACell_refusedNotWrittenBare() {
        assertEquals("CSV cell with a carriage return: 'a\\rb'",
                assertThrows(IllegalArgumentException.class, () -> write(List.of("x"), List.of(List.of("a\rb")))).getMessage());
    }
}
