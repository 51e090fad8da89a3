// SPDX-License-Identifier: Apache-2.0
package io.migov.storage;

import io.migov.core.storage.HostIoSample;
import io.migov.core.storage.LabelledSample;
import io.migov.replay.TraceFormatException;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SamplesCsvTest {

    private static List<LabelledSample> read(String text) throws Exception {
        return SamplesCsv.read(new StringReader(text), "s.csv");
    }

    private static String error(String text) {
        return assertThrows(TraceFormatException.class, () -> read(text)).getMessage();
    }

    private static final String HEADER = "t,iops,io_ticks_ms,throughput_bytes_per_s,util_pct,label\n";

    @Test
    void read_columnsInAnyOrderWithExtras_givesTheSamples() throws Exception {
        List<LabelledSample> s = read("label,util_pct,note,throughput_bytes_per_s,t,io_ticks_ms,iops\n"
                + "1,97.5,fio,3.5e7,0,975,140\n\n0,3,,1000,1,30,4\n");
        assertEquals(List.of(new LabelledSample(new HostIoSample(140, 975, 3.5e7, 97.5), true),
                new LabelledSample(new HostIoSample(4, 30, 1000, 3), false)), s);
    }

    @Test
    void read_timesNeedNotIncrease_soRunsCanBeConcatenated() throws Exception {
        assertEquals(2, read(HEADER + "5,1,1,1,1,0\n0,1,1,1,1,1\n").size());
    }

    @Test
    void read_badCells_nameFileLineAndField() {
        assertEquals("s.csv:3: util_pct: expected a number in [0, 100], got '120'",
                error(HEADER + "0,1,1,1,1,0\n1,1,1,1,120,0\n"));
        assertEquals("s.csv:2: io_ticks_ms: expected a number in [0, 1000], got '1001'", error(HEADER + "0,1,1001,1,1,0\n"));
        assertEquals("s.csv:2: iops: expected a number ≥ 0, got '-3'", error(HEADER + "0,-3,1,1,1,0\n"));
        assertEquals("s.csv:2: throughput_bytes_per_s: expected a number ≥ 0, got 'fast'", error(HEADER + "0,1,1,fast,1,0\n"));
        assertEquals("s.csv:2: t: expected a number, got ''", error(HEADER + ",1,1,1,1,0\n"));
        assertEquals("s.csv:2: label: expected 0 or 1, got '0.5'", error(HEADER + "0,1,1,1,1,0.5\n"));
        assertEquals("s.csv:2: iops: expected a number ≥ 0, got 'NaN'", error(HEADER + "0,NaN,1,1,1,0\n"));
        assertEquals("s.csv:2: expected 6 cells, got 5", error(HEADER + "0,1,1,1,1\n"));
    }

    @Test
    void read_badHeaderOrNoRows_isRejected() {
        assertEquals("s.csv:1: missing column 'label' in header 't,iops,io_ticks_ms,throughput_bytes_per_s,util_pct' "
                + "(expected t,iops,io_ticks_ms,throughput_bytes_per_s,util_pct,label)",
                error("t,iops,io_ticks_ms,throughput_bytes_per_s,util_pct\n0,1,1,1,1\n"));
        assertEquals("s.csv:1: empty file, expected the header t,iops,io_ticks_ms,throughput_bytes_per_s,util_pct,label", error(""));
        assertEquals("s.csv: no samples after the header", error(HEADER));
    }
}
