// SPDX-License-Identifier: Apache-2.0
package io.migov.replay;

import io.migov.core.Sample;
import io.migov.csv.HeaderCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TraceTest {

    @Test
    void read_columnsInAnyOrderWithExtras_loads() throws Exception {
        Trace t = Trace.read(new StringReader("net_out,mem,host,t,cpu,net_in\n1,2,x,0,3,4\n5,6,y,1,7,8\n"), "t.csv");
        assertEquals(2, t.size());
        assertEquals(3.0, t.samples().get(0).cpuPercent());
        assertEquals(2.0, t.samples().get(0).memoryPercent());
        assertEquals(4.0, t.samples().get(0).netInPercent());
        assertEquals(1.0, t.samples().get(0).netOutPercent());
        assertEquals(0.0, t.samples().get(0).writePercent(), "no write column: not measured");
        assertFalse(t.hasWrite());
    }

    @Test
    void read_writeColumn_isWriteIntensity() throws Exception {
        Trace t = Trace.read(new StringReader("t,cpu,mem,write,net_in,net_out\n0,1,2,77.5,3,4\n"), "t.csv");
        assertTrue(t.hasWrite());
        assertEquals(77.5, t.samples().get(0).writePercent());
        assertEquals(2.0, t.samples().get(0).memoryPercent());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "|t.csv:1: empty file",
            "t,cpu,mem,net_in\\n0,1,2,3|t.csv:1: missing column 'net_out'",
            "t,cpu,mem,net_in,net_out\\n0,1,2,3,4\\n1,1,abc,3,4|t.csv:3: mem: expected a number, got 'abc'",
            "t,cpu,mem,net_in,net_out\\n0,1,2,3|t.csv:2: expected 5 cells, got 4",
            "t,cpu,mem,net_in,net_out\\n0,1,2,3,400|t.csv:2: net_out: expected a percentage in [0, 100], got 400.0",
            "t,cpu,mem,net_in,net_out\\n0,-1,2,3,4|t.csv:2: cpu: expected a percentage",
            "t,cpu,mem,net_in,net_out\\n1,1,2,3,4\\n1,1,2,3,4|t.csv:3: t: expected increasing times",
            "t,cpu,mem,net_in,net_out\\n0,NaN,2,3,4|t.csv:2: cpu: expected a number, got 'NaN'",
            "t,cpu,mem,write,net_in,net_out\\n0,1,2,101,3,4|t.csv:2: write: expected a percentage in [0, 100], got 101.0",
            "t,cpu,mem,net_in,net_out\\n|t.csv: no samples after the header"})
    void read_badInput_namesLineAndField(String content, String expected) {
        String text = content == null ? "" : content.replace("\\n", "\n");
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> Trace.read(new StringReader(text), "t.csv"));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }

    private static final Path RECORDED = Path.of("..", "docs", "evaluation", "signal", "traces", "bursty.csv");

    @Test
    void read_committedRecordedTrace_loadsEveryRow() throws Exception {
        Trace t;
        try (Reader in = Files.newBufferedReader(RECORDED)) {
            t = Trace.read(in, RECORDED.toString());
        }
        assertEquals(Files.readAllLines(RECORDED).size() - 1, t.size());
        assertTrue(t.hasWrite());
        assertEquals(1.0, t.times().get(0));
        assertEquals(9.46, t.samples().get(0).cpuPercent());
        assertEquals(61.54, t.samples().get(0).memoryPercent());
    }

    @Test
    void recording_theCommittedTracesRows_writesTheFileByteForByte() throws Exception {
        String committed = Files.readString(RECORDED);
        Trace t = Trace.read(new StringReader(committed), "bursty.csv");
        List<String> memorySources = new ArrayList<>();
        try (HeaderCsv csv = HeaderCsv.open(new StringReader(committed))) {
            int column = csv.columns().indexOf("memory_source");
            HeaderCsv.Row row;
            while ((row = csv.next()) != null) {
                memorySources.add(row.cells().get(column));
            }
        }
        StringWriter out = new StringWriter();
        try (Trace.Recording recording = new Trace.Recording(out)) {
            for (int i = 0; i < t.size(); i++) {
                recording.add(Math.round(t.times().get(i)), t.samples().get(i), memorySources.get(i));
            }
        }
        assertEquals(committed, out.toString());
    }

    @Test
    void recording_eachRow_flushedAsItIsAdded() throws Exception {
        StringWriter out = new StringWriter();
        Trace.Recording recording = new Trace.Recording(new java.io.BufferedWriter(out));
        recording.add(3, new Sample(12.345, 50, 0, 1, 2), "rss");
        assertEquals("t,cpu,mem,write,net_in,net_out,memory_source\n3,12.35,50.00,0.00,1.00,2.00,rss\n", out.toString());
        recording.close();
    }
}
