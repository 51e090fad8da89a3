// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon;

import org.junit.jupiter.api.Test;

import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DaemonSchedulerTest {

    /** Records when each tick started; the first tick and the first persistence pass overrun by 2.4 s. */
    private static final class SlowFirstRun implements ScheduledWork {
        final List<Long> tickStarts = new CopyOnWriteArrayList<>();
        final AtomicInteger persists = new AtomicInteger();
        final AtomicInteger missed = new AtomicInteger();

        @Override
        public void tick() {
            tickStarts.add(System.nanoTime());
            if (tickStarts.size() == 1) {
                sleep(2400);
            } else if (tickStarts.size() == 2) {
                throw new IllegalStateException("a failing tick must not stop the trigger");
            }
        }

        @Override
        public void persistModels() {
            if (persists.incrementAndGet() == 1) {
                sleep(2400);
            }
        }

        @Override
        public void measureWriteIntensity() {
        }

        @Override
        public void recordMissedTick() {
            missed.incrementAndGet();
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void slowTick_skipsAndCountsTheMissedTicks_withoutCatchUpRuns() throws Exception {
        SlowFirstRun work = new SlowFirstRun();
        DaemonScheduler scheduler = DaemonScheduler.start(work);
        try {
            Thread.sleep(4500);
        } finally {
            scheduler.shutdown();
        }
        assertTrue(scheduler.isShutdown());
        List<Long> starts = work.tickStarts;
        long t0 = starts.get(0);
        List<Long> offsetsMillis = starts.stream().map(t -> (t - t0) / 1_000_000).toList();
        // fire times t0+1 and t0+2 fell inside the 2.4 s tick: both counted, neither run late
        assertEquals(2, work.missed.get(), "missed ticks; tick offsets (ms) " + offsetsMillis);
        assertTrue(offsetsMillis.size() >= 3, "ticks went on after the slow one and the failing one: " + offsetsMillis);
        // the tick after the slow one is the regular t0+3 one, not a catch-up run at t0+2.4
        assertTrue(offsetsMillis.get(1) >= 2900, "catch-up run: " + offsetsMillis);
        // and the ticks keep their one-second rhythm, one run per fire time
        assertEquals(3, offsetsMillis.size(), "one run per fire time t0, t0+3, t0+4: " + offsetsMillis);
        // the persistence job overran too, but its misfires are not profiler ticks
        assertTrue(work.persists.get() >= 2, "persistence ran again after its slow pass");
    }

    @Test
    void missedSlots_countsEveryFireTimeUpToNow() {
        assertEquals(1, DaemonScheduler.missedSlots(new Date(10_000), 10_600));
        assertEquals(2, DaemonScheduler.missedSlots(new Date(10_000), 11_400));
        assertEquals(3, DaemonScheduler.missedSlots(new Date(10_000), 12_000));
        assertEquals(1, DaemonScheduler.missedSlots(null, 12_000));
        assertEquals(1, DaemonScheduler.missedSlots(new Date(13_000), 12_000));
    }
}
