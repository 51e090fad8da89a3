// SPDX-License-Identifier: Apache-2.0
package io.migov.core.storage;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrefetchPlannerTest {

    private static final long MIB = 1024L * 1024;
    private static final long GIB = 1024 * MIB;
    private static final PrefetchPlanner RESEARCH = new PrefetchPlanner(PrefetchSettings.DEFAULTS);

    @Test
    void next_interferenceOff_readsFactorTimesTheCopySpeedFromTheFrontier() {
        // copied 2 GiB, 100 MiB already read ahead; 1 MiB/s × 50 × 1 s
        Optional<ByteRange> r = RESEARCH.next(new CopyProgress(20 * GIB, 2 * GIB, 100 * MIB), MIB, false, 1);
        assertEquals(Optional.of(new ByteRange(2 * GIB + 100 * MIB, 50 * MIB)), r);
    }

    @Test
    void next_interferenceOn_readsNothing() {
        assertEquals(Optional.empty(), RESEARCH.next(new CopyProgress(20 * GIB, 0, 0), 10 * MIB, true, 1));
    }

    @Test
    void next_stepLength_scalesTheRange() {
        assertEquals(25 * MIB, RESEARCH.next(new CopyProgress(20 * GIB, 0, 0), MIB, false, 0.5).orElseThrow().lengthBytes());
    }

    @Test
    void next_nearTheMemoryCap_readsOnlyUpToIt() {
        Optional<ByteRange> r = RESEARCH.next(new CopyProgress(20 * GIB, GIB, GIB - 10 * MIB), 10 * MIB, false, 1);
        assertEquals(Optional.of(new ByteRange(2 * GIB - 10 * MIB, 10 * MIB)), r);
    }

    @Test
    void next_atTheMemoryCap_readsNothing() {
        assertEquals(Optional.empty(), RESEARCH.next(new CopyProgress(20 * GIB, GIB, GIB), 10 * MIB, false, 1));
    }

    @Test
    void next_nearTheEndOfTheDisk_stopsAtTheEnd() {
        Optional<ByteRange> r = RESEARCH.next(new CopyProgress(10 * GIB, 10 * GIB - 30 * MIB, 20 * MIB), 10 * MIB, false, 1);
        assertEquals(Optional.of(new ByteRange(10 * GIB - 10 * MIB, 10 * MIB)), r);
        assertEquals(Optional.empty(), RESEARCH.next(new CopyProgress(10 * GIB, 10 * GIB - 30 * MIB, 30 * MIB), 10 * MIB, false, 1));
    }

    @Test
    void next_zeroFactorOrCap_neverPrefetches() {
        CopyProgress start = new CopyProgress(10 * GIB, 0, 0);
        assertEquals(Optional.empty(), new PrefetchPlanner(new PrefetchSettings(0, GIB)).next(start, 50 * MIB, false, 1));
        assertEquals(Optional.empty(), new PrefetchPlanner(new PrefetchSettings(50, 0)).next(start, 50 * MIB, false, 1));
    }

    @Test
    void next_copyAndPrefetchTogether_coverTheDiskOnceWithinTheCap() {
        // the copy moves 5 MiB/s; the prefetcher reads ahead 50 × 5 MiB/s until 1 GiB is ahead
        long disk = 8 * GIB;
        long copied = 0;
        long ahead = 0;
        long readByPrefetch = 0;
        for (int second = 0; copied < disk; second++) {
            Optional<ByteRange> r = RESEARCH.next(new CopyProgress(disk, copied, ahead), 5 * MIB, second % 100 >= 90, 1);
            if (r.isPresent()) {
                assertEquals(copied + ahead, r.get().offsetBytes());
                ahead += r.get().lengthBytes();
                readByPrefetch += r.get().lengthBytes();
            }
            assertTrue(ahead <= GIB, "second " + second + ": " + ahead + " bytes ahead");
            long step = Math.min(5 * MIB, disk - copied);
            copied += step;
            ahead = Math.max(0, ahead - step);
        }
        assertTrue(readByPrefetch <= disk);
        assertTrue(readByPrefetch >= disk - 5 * MIB, "prefetched only " + readByPrefetch);
    }

    @Test
    void next_badArguments_nameTheField() {
        CopyProgress p = new CopyProgress(GIB, 0, 0);
        assertEquals("allowedBytesPerSecond: expected a finite value ≥ 0, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> RESEARCH.next(p, -1, false, 1)).getMessage());
        assertEquals("stepSeconds: expected a finite value > 0, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> RESEARCH.next(p, 1, false, 0)).getMessage());
    }

    @Test
    void copyProgress_inconsistent_namesTheField() {
        assertEquals("copiedBytes: expected [0, 100], got 101",
                assertThrows(IllegalArgumentException.class, () -> new CopyProgress(100, 101, 0)).getMessage());
        assertEquals("prefetchedAheadBytes: expected [0, 40] (the not yet copied rest), got 41",
                assertThrows(IllegalArgumentException.class, () -> new CopyProgress(100, 60, 41)).getMessage());
    }

    @Test
    void settings_invalid_nameTheFieldAndValue() {
        assertEquals("prefetchFactor: expected [0, 10000], got -1.0",
                assertThrows(IllegalArgumentException.class, () -> new PrefetchSettings(-1, GIB)).getMessage());
        assertEquals("memoryCapBytes: expected ≥ 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> new PrefetchSettings(50, -1)).getMessage());
    }

    @Test
    void copySpeed_nothingPrefetched_isThePidSpeed() {
        assertEquals(2.0 * MIB, PrefetchPlanner.copySpeedBytesPerSecond(2.0 * MIB, 0, 1, 100.0 * MIB), 0);
    }

    @Test
    void copySpeed_nextBytesPrefetched_copiesThemWithinTheStepUpToTheMaximum() {
        assertEquals(30.0 * MIB, PrefetchPlanner.copySpeedBytesPerSecond(2.0 * MIB, 30 * MIB, 1, 100.0 * MIB), 0);
        assertEquals(60.0 * MIB, PrefetchPlanner.copySpeedBytesPerSecond(2.0 * MIB, 30 * MIB, 0.5, 100.0 * MIB), 0);
        assertEquals(100.0 * MIB, PrefetchPlanner.copySpeedBytesPerSecond(2.0 * MIB, 900 * MIB, 1, 100.0 * MIB), 0);
    }

    @Test
    void copySpeed_pidFasterThanTheBuffer_keepsThePidSpeed() {
        assertEquals(80.0 * MIB, PrefetchPlanner.copySpeedBytesPerSecond(80.0 * MIB, 10 * MIB, 1, 100.0 * MIB), 0);
    }

    @Test
    void copySpeed_badInput_namesTheField() {
        assertEquals("stepSeconds: expected a finite value > 0, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> PrefetchPlanner.copySpeedBytesPerSecond(1, 0, 0, 2)).getMessage());
        assertEquals("prefetchedAheadBytes: expected ≥ 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> PrefetchPlanner.copySpeedBytesPerSecond(1, -1, 1, 2)).getMessage());
    }
}
