// SPDX-License-Identifier: Apache-2.0
package io.migov.core.storage;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiskStatsTest {

    /** A 6.x kernel: 20 fields (discard and flush counters appended). */
    private static final String MODERN = """
               8       0 sda 12000 300 2400000 9000 5000 700 800000 4000 0 11000 13000 10 0 80 5 40 3
               8       1 sda1 11000 300 2300000 8900 4900 700 790000 3900 0 10900 12900 0 0 0 0 0 0
             253       0 dm-0 9000 0 2000000 8000 4000 0 700000 3500 2 9500 11500 0 0 0 0 0 0
            """;

    /** A 4.x kernel: 14 fields. */
    private static final String OLD = "   8       0 sda 1 2 3 4 5 6 7 8 9 10 11\n";

    private static DiskCounters sda(long reads, long sectorsRead, long writes, long sectorsWritten, long ioTicksMillis) {
        return new DiskCounters("sda", reads, sectorsRead, writes, sectorsWritten, ioTicksMillis);
    }

    @Test
    void parse_modernKernel_readsTheCountersOfEachDevice() {
        List<DiskCounters> devices = DiskStats.parse(MODERN);
        assertEquals(List.of("sda", "sda1", "dm-0"), devices.stream().map(DiskCounters::name).toList());
        assertEquals(new DiskCounters("sda", 12000, 2400000, 5000, 800000, 11000), devices.get(0));
        assertEquals(9500, DiskStats.find(devices, "dm-0").orElseThrow().ioTicksMillis());
        assertTrue(DiskStats.find(devices, "sdb").isEmpty());
    }

    @Test
    void parse_oldKernelWith14Fields_readsTheSameCounters() {
        assertEquals(List.of(new DiskCounters("sda", 1, 3, 5, 7, 10)), DiskStats.parse(OLD));
    }

    @Test
    void parse_counterAboveLongMax_isReadAsUnsigned() {
        DiskCounters d = DiskStats.parse("8 0 sda 18446744073709551615 0 0 0 0 0 0 0 0 0 0\n").get(0);
        assertEquals(-1L, d.readsCompleted()); // 2^64 − 1 in two's complement
    }

    @Test
    void parse_nonNumericCounter_namesTheLineAndField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DiskStats.parse(OLD + "8 16 sdb 1 2 x 4 5 6 7 8 9 10 11\n"));
        assertEquals("line 2: sectors_read: expected an unsigned integer, got 'x'", e.getMessage());
    }

    @Test
    void parse_truncatedLine_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DiskStats.parse("8 0 sda 1 2 3\n"));
        assertEquals("line 1: expected at least 14 fields (major minor name and 11 counters), got 6", e.getMessage());
    }

    @Test
    void sample_twoSecondsApart_givesRatesPerSecond() {
        // 200 reads + 100 writes, 20 000 + 4 000 sectors, 1000 ms busy, over 2 s
        HostIoSample s = DiskStats.sample(sda(100, 1000, 50, 500, 500), sda(300, 21000, 150, 4500, 1500), 2000);
        assertEquals(150.0, s.iops(), 1e-12);
        assertEquals(24000.0 * 512 / 2, s.throughputBytesPerSecond(), 1e-6);
        assertEquals(500.0, s.ioTicksMillisPerSecond(), 1e-12);
        assertEquals(50.0, s.utilPercent(), 1e-12);
    }

    @Test
    void sample_busyLongerThanTheInterval_capsAtFullUtilisation() {
        HostIoSample s = DiskStats.sample(sda(0, 0, 0, 0, 0), sda(10, 80, 0, 0, 1013), 1000);
        assertEquals(100.0, s.utilPercent(), 0);
        assertEquals(1000.0, s.ioTicksMillisPerSecond(), 0);
    }

    @Test
    void sample_counterWentBackwards_countsThatCounterAsIdle() {
        // sectors read wrapped (32-bit), the rest moved on normally
        HostIoSample s = DiskStats.sample(sda(100, 4_294_967_000L, 0, 0, 0), sda(110, 200, 0, 0, 100), 1000);
        assertEquals(10.0, s.iops(), 0);
        assertEquals(0.0, s.throughputBytesPerSecond(), 0);
        assertEquals(10.0, s.utilPercent(), 1e-12);
    }

    @Test
    void sample_deviceReset_isNoActivity() {
        assertEquals(HostIoSample.IDLE, DiskStats.sample(sda(500, 9000, 400, 8000, 7000), sda(1, 8, 0, 0, 2), 1000));
    }

    @Test
    void sample_unsignedCountersAcrossLongMax_giveTheTrueDelta() {
        HostIoSample s = DiskStats.sample(sda(Long.MAX_VALUE, 0, 0, 0, 0), sda(Long.MIN_VALUE + 4, 0, 0, 0, 0), 1000);
        assertEquals(5.0, s.iops(), 0);
    }

    @Test
    void sample_otherDeviceOrNoTime_isRejected() {
        DiskCounters sda = sda(0, 0, 0, 0, 0);
        DiskCounters sdb = new DiskCounters("sdb", 0, 0, 0, 0, 0);
        assertEquals("after.name: expected the device 'sda', got 'sdb'",
                assertThrows(IllegalArgumentException.class, () -> DiskStats.sample(sda, sdb, 1000)).getMessage());
        assertEquals("elapsedMillis: expected ≥ 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> DiskStats.sample(sda, sda, 0)).getMessage());
    }

    @Test
    void hostIoSample_impossibleValues_nameTheField() {
        assertEquals("utilPercent: expected [0, 100], got 100.5",
                assertThrows(IllegalArgumentException.class, () -> new HostIoSample(1, 1, 1, 100.5)).getMessage());
        assertEquals("ioTicksMillisPerSecond: expected [0, 1000], got 1200.0",
                assertThrows(IllegalArgumentException.class, () -> new HostIoSample(1, 1200, 1, 1)).getMessage());
        assertEquals("iops: expected a finite value ≥ 0, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> new HostIoSample(-1, 1, 1, 1)).getMessage());
        assertEquals("throughputBytesPerSecond: expected a finite value ≥ 0, got NaN",
                assertThrows(IllegalArgumentException.class, () -> new HostIoSample(1, 1, Double.NaN, 1)).getMessage());
    }
}
