// SPDX-License-Identifier: Apache-2.0
package io.migov.storage;

import io.migov.core.storage.DiskCounters;
import io.migov.core.storage.HostIoSample;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostIoCollectorTest {

    private final AtomicLong nanos = new AtomicLong();
    private final AtomicReference<List<DiskCounters>> counters = new AtomicReference<>(List.of());

    private HostIoCollector collector(int capacity) {
        return new HostIoCollector("sda", counters::get, nanos::get, capacity);
    }

    private void at(long millis, long reads, long sectors, long ticksMillis) {
        nanos.set(millis * 1_000_000L);
        counters.set(List.of(new DiskCounters("sdb", 9, 9, 9, 9, 9), new DiskCounters("sda", reads, sectors, 0, 0, ticksMillis)));
    }

    @Test
    void poll_twoReadings_sampleOfTheIntervalBetween() {
        HostIoCollector c = collector(60);
        at(0, 100, 1000, 0);
        assertEquals(Optional.empty(), c.poll(), "the first reading has nothing to compare with");
        at(2000, 300, 1000 + 4096, 500);
        HostIoSample s = c.poll().orElseThrow();
        assertEquals(100, s.iops(), 1e-9);
        assertEquals(4096 * 512 / 2.0, s.throughputBytesPerSecond(), 1e-9);
        assertEquals(25, s.utilPercent(), 1e-9);
        assertEquals(1, c.samples().size());
    }

    @Test
    void poll_deviceMissing_noSample_problemNamed_andTheNextIntervalStartsAfresh() {
        HostIoCollector c = collector(60);
        at(0, 0, 0, 0);
        c.poll();
        counters.set(List.of(new DiskCounters("sdb", 1, 1, 1, 1, 1)));
        assertEquals(Optional.empty(), c.poll());
        assertEquals("device sda is not in /proc/diskstats", c.lastProblem());
        at(3000, 10, 0, 0);
        assertEquals(Optional.empty(), c.poll(), "no sample across the gap");
        assertEquals("", c.lastProblem());
        assertEquals(1, c.failures());
    }

    @Test
    void poll_unreadable_problemNamesTheFile() {
        HostIoCollector c = new HostIoCollector("sda", () -> {
            throw new IOException("permission denied");
        }, nanos::get, 60);
        assertEquals(Optional.empty(), c.poll());
        assertTrue(c.lastProblem().startsWith("cannot read /proc/diskstats"), c.lastProblem());
    }

    @Test
    void samples_ringKeepsTheNewest() {
        HostIoCollector c = collector(3);
        for (int s = 0; s <= 5; s++) {
            at(s * 1000L, s * 10L, 0, 0);
            c.poll();
        }
        assertEquals(3, c.samples().size());
        assertEquals(5000L * 1_000_000L, c.last().orElseThrow().nanos());
    }
}
