// SPDX-License-Identifier: Apache-2.0
package io.migov.csv;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * CSV files whose first line names the columns (RFC 4180 quoting), read and written with
 * jackson-dataformat-csv. Cells stay text: each file format's class (the trace, the bench CSV, the
 * labelled samples) checks and converts them, so its errors name the file, line, column and value
 * in its own words.
 */
public final class HeaderCsv implements Closeable {

    private static final CsvMapper MAPPER = new CsvMapper();
    /** Cells beyond the header's columns come under this name, so a row with too many is counted, not refused by Jackson. */
    private static final String EXTRA_CELL = "\u0000extra";
    /**
     * A trailing comma is a cell (an empty last column, as the bench CSV's reason often is), and a
     * blank line reads as one blank cell so it can be skipped like the hand-written readers did (a
     * blank first line is then "no header", not the header of the next line). The caller's reader
     * stays open: it opened it.
     */
    private static final ObjectReader READER = MAPPER.reader(CsvSchema.emptySchema().withHeader().withAnyPropertyName(EXTRA_CELL))
            .without(CsvParser.Feature.ALLOW_TRAILING_COMMA)
            .without(CsvParser.Feature.SKIP_EMPTY_LINES)
            .without(JsonParser.Feature.AUTO_CLOSE_SOURCE);

    /** One data row: its 1-based line in the file (where it starts) and its cells, as many as the line has. */
    public record Row(int line, List<String> cells) {
        public Row {
            cells = List.copyOf(cells);
        }
    }

    /**
     * A line that is not CSV (an unterminated quote, text after a closing quote); the message names
     * the column where it is known, {@code line} is 0 when unknown.
     */
    public static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int line;

        SyntaxException(int line, String message) {
            super(message);
            this.line = line;
        }

        public int line() {
            return line;
        }
    }

    private final CsvParser parser;
    private final List<String> columns;
    private Row first;

    private HeaderCsv(CsvParser parser, List<String> columns, Row first) {
        this.parser = parser;
        this.columns = columns;
        this.first = first;
    }

    /**
     * Reads the header (and looks at the first row). The columns are the header's cells, trimmed,
     * a byte order mark (as spreadsheets write it) dropped; none when the file or its first line is
     * empty.
     */
    public static HeaderCsv open(Reader in) throws IOException, SyntaxException {
        CsvParser parser = (CsvParser) READER.createParser(in);
        JsonToken token;
        try {
            token = parser.nextToken();
        } catch (DatabindException e) {
            if (parser.getSchema().size() == 0) {
                parser.close();
                return new HeaderCsv(parser, List.of(), null); // Jackson's "Empty header line"
            }
            throw syntax(parser, e);
        } catch (StreamReadException e) {
            throw syntax(parser, e);
        }
        List<String> columns = new ArrayList<>(((CsvSchema) parser.getSchema()).getColumnNames());
        if (!columns.isEmpty() && columns.get(0).startsWith("\uFEFF")) {
            columns.set(0, columns.get(0).substring(1).strip());
        }
        HeaderCsv csv = new HeaderCsv(parser, List.copyOf(columns), null);
        csv.first = token == JsonToken.START_OBJECT ? csv.row() : null;
        return csv;
    }

    /** The header's column names, in file order (an empty list: the file has no header). */
    public List<String> columns() {
        return columns;
    }

    /** The next row that is not blank, or null at the end of the file. */
    public Row next() throws IOException, SyntaxException {
        if (columns.isEmpty()) {
            return null;
        }
        while (true) {
            Row row;
            if (first != null) {
                row = first;
                first = null;
            } else {
                JsonToken token = read();
                if (token != JsonToken.START_OBJECT) {
                    return null;
                }
                row = row();
            }
            if (row.cells().size() != 1 || !row.cells().get(0).isBlank()) {
                return row;
            }
        }
    }

    /** The rest of an object the parser has just started: one row. */
    private Row row() throws IOException, SyntaxException {
        int line = parser.currentLocation().getLineNr();
        List<String> cells = new ArrayList<>();
        try {
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_OBJECT && token != null) {
                if (token.isScalarValue()) {
                    cells.add(parser.getText());
                }
            }
        } catch (StreamReadException | DatabindException e) {
            // the row's own line and the cell's column: Jackson reports an unterminated quote at the end of the file
            String column = cells.size() < columns.size() ? columns.get(cells.size()) + ": " : "";
            throw new SyntaxException(line, column + e.getOriginalMessage());
        }
        return new Row(line, cells);
    }

    private JsonToken read() throws IOException, SyntaxException {
        try {
            return parser.nextToken();
        } catch (StreamReadException | DatabindException e) {
            throw syntax(parser, e);
        }
    }

    private static SyntaxException syntax(CsvParser parser, JsonProcessingException e) {
        int line = e.getLocation() == null ? parser.currentLocation().getLineNr() : e.getLocation().getLineNr();
        return new SyntaxException(Math.max(0, line), e.getOriginalMessage());
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }

    /** Writes rows under a header; a cell is quoted only where it must be (a comma, a quote or a line feed in it). */
    public static final class Writing implements Closeable {
        private final SequenceWriter rows;

        private Writing(SequenceWriter rows) {
            this.rows = rows;
        }

        /** One row; a carriage return in a cell is refused, as Jackson's minimal quoting would leave it bare and break the line. */
        public void row(List<String> cells) throws IOException {
            for (String c : cells) {
                if (c.indexOf('\r') >= 0) {
                    throw new IllegalArgumentException("CSV cell with a carriage return: '" + c.replace("\r", "\\r") + "'");
                }
            }
            rows.write(cells);
        }

        public void flush() throws IOException {
            rows.flush();
        }

        @Override
        public void close() throws IOException {
            rows.close();
        }
    }

    /**
     * Starts a file: the header line now (Jackson's own header waits for the first row, and a file
     * without rows still has one), each {@link Writing#row} a line ending in {@code \n}; closing it
     * closes {@code out}.
     */
    public static Writing write(Writer out, List<String> columns) throws IOException {
        CsvSchema.Builder schema = CsvSchema.builder();
        for (String c : columns) {
            schema.addColumn(c, CsvSchema.ColumnType.STRING);
        }
        ObjectWriter writer = MAPPER.writer(schema.build().withoutHeader()).with(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING);
        Writing writing = new Writing(writer.writeValues(out));
        writing.row(columns);
        return writing;
    }
}
