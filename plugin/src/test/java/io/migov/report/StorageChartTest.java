// SPDX-License-Identifier: Apache-2.0
package io.migov.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StorageChartTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MIB = 1048576;

    @TempDir
    Path dir;

    /** Two quiet seconds at full speed, then a neighbour: the copy falls to the floor. */
    private static JsonNode record() throws Exception {
        return JSON.readTree("""
                {"vm":"vm1","storage":{"device":"vda","steps":3,"interference_seconds":1,"buffered_seconds":0,
                 "prefetched_bytes":%d,"lever":"applied","series":[
                  {"second":1.0,"probability":0.05,"interference":false,"speed_bytes_per_second":%d,"pid_bytes_per_second":%d,
                   "host_iops":100,"host_throughput_bytes_per_second":%d,"copy_bytes_per_second":-1,"others_bytes_per_second":-1},
                  {"second":2.0,"probability":0.10,"interference":false,"speed_bytes_per_second":%d,"pid_bytes_per_second":%d,
                   "host_iops":120,"host_throughput_bytes_per_second":%d,"copy_bytes_per_second":%d,"others_bytes_per_second":%d},
                  {"second":3.0,"probability":0.95,"interference":true,"speed_bytes_per_second":%d,"pid_bytes_per_second":%d,
                   "host_iops":9000,"host_throughput_bytes_per_second":%d,"copy_bytes_per_second":%d,"others_bytes_per_second":%d}]}}
                """.formatted(64 * MIB, 100 * MIB, 100 * MIB, 90 * MIB, 100 * MIB, 100 * MIB, 95 * MIB, 90 * MIB, 5 * MIB,
                MIB, MIB, 40 * MIB, 2 * MIB, 38 * MIB));
    }

    private static double[] y(XYChart chart, String prefix) {
        return chart.getSeriesMap().values().stream().filter(s -> s.getName().startsWith(prefix)).findFirst()
                .map(XYSeries::getYData).orElseThrow(() -> new AssertionError("no series " + prefix + " in " + chart.getSeriesMap().keySet()));
    }

    @Test
    void draw_speedsInMiBPerSecondOnTheLeft_probabilityAndHysteresisOnTheRight() throws Exception {
        XYChart chart = StorageChart.draw(record());
        assertArrayEquals(new double[] {100, 100, 1}, y(chart, "copy speed set"), 1e-9);
        assertArrayEquals(new double[] {0.05, 0.10, 0.95}, y(chart, "interference probability"), 1e-9);
        assertArrayEquals(new double[] {0, 0, 1}, y(chart, "hysteresis"), 1e-9);
        assertEquals(1, chart.getSeriesMap().get("interference probability (right axis)").getYAxisGroup());
        assertEquals(0, chart.getSeriesMap().get("copy speed set (MiB/s)").getYAxisGroup());
    }

    @Test
    void draw_neighboursIo_isTheDeviceMinusTheCopy_onlyWhereTheCopyRateIsKnown() throws Exception {
        XYChart chart = StorageChart.draw(record());
        assertArrayEquals(new double[] {5, 38}, y(chart, "neighbours' I/O"), 1e-9);
        assertArrayEquals(new double[] {90, 2}, y(chart, "copy rate measured"), 1e-9);
    }

    @Test
    void write_storageRecord_writesAPngBesideTheMigrationsChart() throws Exception {
        Path png = StorageChart.write(record(), dir, "01-vm1");
        assertEquals("01-vm1-storage.png", png.getFileName().toString());
        assertTrue(Files.size(png) > 1000);
    }

    @Test
    void draw_recordWithoutStorage_isRefusedNamingTheField() throws Exception {
        JsonNode plain = JSON.readTree("{\"vm\":\"vm1\"}");
        assertFalse(StorageChart.applies(plain));
        assertEquals("storage.series: expected per-second points, got none",
                assertThrows(IllegalArgumentException.class, () -> StorageChart.draw(plain)).getMessage());
    }
}
