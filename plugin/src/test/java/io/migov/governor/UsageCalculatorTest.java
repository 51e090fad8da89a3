// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

import io.migov.port.DomainStats;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UsageCalculatorTest {

    private static final long SECOND = 1_000_000_000L;
    private static final String UUID = "4d49474f-0000-4000-8000-000000000001";

    private static DomainStats withBlock(DomainStats.BlockIo block) {
        return new DomainStats(UUID, "vm1", true, 1, 0, 524_288, 524_288, -1, -1, -1, 300_000, 0, 0, block);
    }

    @Test
    void diskRate_twoReadingsTwoSecondsApart_bytesAndRequestsPerSecond() {
        UsageCalculator.DiskRate r = UsageCalculator.diskRate(withBlock(new DomainStats.BlockIo(1_000, 2_000, 10, 20)),
                withBlock(new DomainStats.BlockIo(1_000 + 800 * 4096, 2_000 + 2 * 1_048_576, 10 + 800, 20 + 2)), 2 * SECOND);
        assertEquals(400 * 4096, r.readBytesPerSecond(), 1e-9);
        assertEquals(1_048_576, r.writeBytesPerSecond(), 1e-9);
        assertEquals(401, r.opsPerSecond(), 1e-9);
        assertTrue(r.opsPerSecond() >= 0, "known: " + r);
    }

    @Test
    void diskRate_countersWentBack_countAsNoIo() {
        // a domain restarted or a disk was unplugged between the readings
        UsageCalculator.DiskRate r = UsageCalculator.diskRate(withBlock(new DomainStats.BlockIo(5_000, 5_000, 50, 50)),
                withBlock(new DomainStats.BlockIo(100, 100, 1, 1)), SECOND);
        assertEquals(new UsageCalculator.DiskRate(0, 0, 0), r);
    }

    @Test
    void diskRate_noBlockStatisticsAtEitherReading_unknown() {
        DomainStats known = withBlock(DomainStats.BlockIo.NO_DISKS);
        DomainStats unknown = withBlock(DomainStats.BlockIo.UNKNOWN);
        assertEquals(UsageCalculator.DiskRate.UNKNOWN, UsageCalculator.diskRate(unknown, known, SECOND));
        assertEquals(UsageCalculator.DiskRate.UNKNOWN, UsageCalculator.diskRate(known, unknown, SECOND));
        assertTrue(UsageCalculator.DiskRate.UNKNOWN.opsPerSecond() < 0, "unknown is -1");
        assertEquals(new UsageCalculator.DiskRate(0, 0, 0), UsageCalculator.diskRate(known, known, SECOND), "no disks: no I/O");
    }

    @Test
    void diskRate_noTimeBetweenTheReadings_refusedNamingTheArgument() {
        DomainStats d = withBlock(DomainStats.BlockIo.NO_DISKS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UsageCalculator.diskRate(d, d, 0));
        assertEquals("elapsedNanos: expected > 0, got 0", e.getMessage());
    }
}
