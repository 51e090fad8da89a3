// SPDX-License-Identifier: Apache-2.0
package io.migov.storage;

import io.migov.core.storage.HostIoSample;
import io.migov.core.storage.InterferenceModel;
import io.migov.core.storage.PidSettings;
import io.migov.core.storage.PrefetchSettings;
import io.migov.governor.StorageSettings;
import io.migov.port.HypervisorException;
import io.migov.port.StorageCopy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StorageControllerTest {

    private static final long MIB = 1024 * 1024;
    private static final String VM = "11111111-2222-3333-4444-555555555555";
    /** A saturated device with few requests: the research model says interference (p ≈ 0.98). */
    private static final HostIoSample BUSY = new HostIoSample(150, 1000, 30 * MIB, 100);
    /** An idle device (p ≈ 0.02). */
    private static final HostIoSample IDLE = new HostIoSample(5, 20, 0.1 * MIB, 2);
    private static final StorageSettings NO_PREFETCH = StorageSettings.DEFAULTS.withPrefetch(new PrefetchSettings(0, 0));

    private final FakeStorageCopy port = new FakeStorageCopy();
    private final List<long[]> reads = new ArrayList<>();
    private final PrefetchReader reader = new PrefetchReader(Runnable::run, (file, offset, length) -> {
        reads.add(new long[] {offset, length});
        return length;
    });

    private StorageController started(StorageSettings settings) throws HypervisorException {
        return StorageController.start(VM, "vm1", "sda", port, reader, settings);
    }

    @Test
    void start_mirrorWithoutRateLimit_startsAtTheMaximumSpeed() throws Exception {
        port.mirror(VM, "vda", "/images/vm1.raw", 0, 8L << 30, 0);
        StorageController c = started(NO_PREFETCH);
        assertEquals(100.0 * MIB, c.view().speedBytesPerSecond());
        assertEquals("applied", c.view().lever());
    }

    @Test
    void step_interferenceOn_speedFallsEverySecond_thenOff_speedIsRestoredToTheMaximum() throws Exception {
        port.mirror(VM, "vda", "/images/vm1.raw", 0, 8L << 30, 0);
        StorageController c = started(NO_PREFETCH);
        double previous = c.view().speedBytesPerSecond();
        for (int s = 0; s < 600; s++) {
            c.step(BUSY, 1.0, NO_PREFETCH, true, port.diskCopy(VM));
            double now = c.view().speedBytesPerSecond();
            assertTrue(now <= previous, "second " + s + ": " + now + " > " + previous);
            previous = now;
        }
        assertTrue(c.view().interference());
        assertEquals(MIB, port.lastSpeed(), "sustained interference: the copy is down to storageMinBytesPerSecond");
        assertEquals(Math.round(c.view().speedBytesPerSecond()), port.lastSpeed(), "the PID's speed is what libvirt got");

        for (int s = 0; s < 600; s++) {
            c.step(IDLE, 1.0, NO_PREFETCH, true, port.diskCopy(VM));
        }
        assertFalse(c.view().interference());
        assertEquals(100 * MIB, port.lastSpeed(), "quiet host: the copy is back at full speed");
    }

    /**
     * A host whose interference grows steeply with the copy's own load, with gains a hundredth of the
     * research's (which switch between the limits on so steep a host): the PID alone would settle where
     * p = threshold, but that is a run of seconds that are not clearly quiet, so the rebound ceiling
     * sinks the copy below it; it then probes upwards only in clearly quiet seconds. On average the
     * copy runs below the balance speed and the neighbour is hurt less than the threshold, and the copy
     * is not parked at the floor.
     */
    @Test
    void step_closedLoop_runsBelowTheSpeedWhereTheProbabilityIsTheThreshold_withoutParkingAtTheFloor() throws Exception {
        port.mirror(VM, "vda", "/images/vm1.raw", 0, 64L << 30, 0);
        PidSettings d = PidSettings.DEFAULTS;
        StorageSettings gentle = new StorageSettings(NO_PREFETCH.interferenceModel(), NO_PREFETCH.model(), NO_PREFETCH.hysteresis(),
                new PidSettings(d.kpBytesPerSecond() / 100, d.kiBytesPerSecondSquared() / 100, d.kdBytes() / 100,
                        d.thresholdProbability(), d.minBytesPerSecond(), d.maxBytesPerSecond()), NO_PREFETCH.prefetch());
        StorageController c = started(gentle);
        InterferenceModel model = InterferenceModel.RESEARCH_DEFAULT;
        double balance = balanceSpeed(model, 0.5);
        double quiet = balanceSpeed(model, gentle.hysteresis().offProbability());
        assertTrue(quiet > 2 * MIB && balance < 98 * MIB, "the fake host has both inside the range: " + quiet + ", " + balance);
        double speedSum = 0;
        double probabilitySum = 0;
        int measured = 0;
        for (int s = 0; s < 1500; s++) {
            HostIoSample sample = host(c.view().speedBytesPerSecond());
            c.step(sample, 1.0, gentle, true, port.diskCopy(VM));
            if (s >= 1200) {
                speedSum += c.view().speedBytesPerSecond();
                probabilitySum += model.probability(sample);
                measured++;
            }
        }
        double meanSpeed = speedSum / measured;
        double meanProbability = probabilitySum / measured;
        String what = "mean " + meanSpeed / MIB + " MiB/s, p " + meanProbability + "; quiet at " + quiet / MIB
                + " MiB/s, balance " + balance / MIB;
        assertTrue(meanSpeed < balance, what);
        assertTrue(meanProbability < gentle.pid().thresholdProbability(), what);
        assertTrue(meanSpeed > quiet / 2, "not parked at the floor: near where p is the off-probability: " + what);
    }

    /** The copy's own reads make the device busy: utilisation and throughput follow the speed. */
    private static HostIoSample host(double copyBytesPerSecond) {
        double util = Math.min(100, 30 + 70 * copyBytesPerSecond / (100.0 * MIB));
        return new HostIoSample(120, util * 10, 5 * MIB + copyBytesPerSecond, util);
    }

    private static double balanceSpeed(InterferenceModel model, double threshold) {
        double lo = MIB;
        double hi = 100 * MIB;
        for (int i = 0; i < 60; i++) {
            double mid = (lo + hi) / 2;
            if (model.probability(host(mid)) < threshold) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    @Test
    void step_notActing_decidesButSetsNothing() throws Exception {
        port.mirror(VM, "vda", "/images/vm1.raw", 0, 8L << 30, 0);
        StorageController c = started(NO_PREFETCH);
        for (int s = 0; s < 10; s++) {
            c.step(BUSY, 1.0, NO_PREFETCH, false, port.diskCopy(VM));
        }
        assertTrue(port.speedCalls.isEmpty(), "advise: " + port.speedCalls);
        assertEquals("advise", c.view().lever());
        assertTrue(c.view().speedBytesPerSecond() < 100 * MIB, "the PID still decides");
    }

    @Test
    void step_notActing_quietHost_readsNothingAhead() throws Exception {
        port.mirror(VM, "vda", "/images/vm1.raw", 0, 8L << 30, 0);
        StorageSettings s = StorageSettings.DEFAULTS.withPrefetch(new PrefetchSettings(50, 256 * MIB));
        StorageController c = started(s);
        for (int i = 0; i < 5; i++) {
            c.step(IDLE, 1.0, s, false, port.diskCopy(VM));
        }
        assertEquals(0, reads.size(), "advise touches nothing: no prefetch reads either");
        assertEquals(0, c.view().prefetchedBytes());
    }

    @Test
    void step_libvirtRefusesTheSpeed_triesOnceThenOnlyObserves() throws Exception {
        port.mirror(VM, "vda", "/images/vm1.raw", 0, 8L << 30, 0);
        port.refuseSpeed = new HypervisorException(HypervisorException.Kind.OTHER, "virDomainBlockJobSetSpeed",
                "Timed out during operation: cannot acquire state change lock");
        StorageController c = started(NO_PREFETCH);
        for (int s = 0; s < 5; s++) {
            c.step(BUSY, 1.0, NO_PREFETCH, true, port.diskCopy(VM));
        }
        assertEquals(1, port.speedCalls.size(), "a refused lever is not pulled every second: " + port.speedCalls);
        assertTrue(c.view().lever().startsWith("refused: virDomainBlockJobSetSpeed: Timed out"), c.view().lever());
        assertEquals(5, c.summary().steps());
        assertEquals(c.view().lever(), c.summary().lever());
    }

    @Test
    void step_twoDisks_shareTheSpeedEvenly() throws Exception {
        port.mirror(VM, "vda", "/images/a.raw", 0, 8L << 30, 10 * MIB);
        port.mirror(VM, "vdb", "/images/b.raw", 0, 8L << 30, 10 * MIB);
        StorageController c = started(NO_PREFETCH);
        assertEquals(20.0 * MIB, c.view().speedBytesPerSecond(), "starts at the mirrors' total rate limit");
        c.step(IDLE, 1.0, NO_PREFETCH, true, port.diskCopy(VM));
        assertEquals(List.of(VM + "/vda", VM + "/vdb"), port.speedCalls);
        assertEquals(port.speeds.get(0), port.speeds.get(1));
        assertEquals(c.view().speedBytesPerSecond(), 2.0 * port.speeds.get(0), 2.0);
    }

    @Test
    void step_interferenceOff_prefetchesAheadOfTheCopy_withinTheMemoryCap_andNotWhileOn() throws Exception {
        port.mirror(VM, "vda", "/images/vm1.raw", 100 * MIB, 8L << 30, 10 * MIB);
        StorageSettings s = StorageSettings.DEFAULTS.withPrefetch(new PrefetchSettings(50, 256 * MIB));
        StorageController c = started(s);
        c.step(IDLE, 1.0, s, true, port.diskCopy(VM));
        assertEquals(1, reads.size());
        assertEquals(100 * MIB, reads.get(0)[0], "starts where the copy is");
        long read = 0;
        for (int i = 0; i < 10; i++) {
            c.step(IDLE, 1.0, s, true, port.diskCopy(VM));
        }
        for (long[] r : reads) {
            read += r[1];
        }
        assertEquals(256 * MIB, read, "the copy has not moved: at most the memory cap is read ahead");
        assertEquals(read, c.view().prefetchedBytes());
        for (int i = 1; i < reads.size(); i++) {
            assertEquals(reads.get(i - 1)[0] + reads.get(i - 1)[1], reads.get(i)[0], "sequential, no gaps or overlaps");
        }

        port.jobs.put(VM + "/vda", new StorageCopy.BlockJob(200 * MIB, 8L << 30, 10 * MIB)); // the copy moved on
        for (int i = 0; i < 2; i++) {
            c.step(BUSY, 1.0, s, true, port.diskCopy(VM));
        }
        assertTrue(c.view().interference());
        int before = reads.size();
        port.jobs.put(VM + "/vda", new StorageCopy.BlockJob(400 * MIB, 8L << 30, 10 * MIB));
        for (int i = 0; i < 5; i++) {
            c.step(BUSY, 1.0, s, true, port.diskCopy(VM));
        }
        assertEquals(before, reads.size(), "nothing read while interference is on, though the copy caught up");
    }

    @Test
    void step_interferenceOn_copiesWhatIsPrefetchedAtFullSpeed_thenFallsBackToThePid() throws Exception {
        port.mirror(VM, "vda", "/images/vm1.raw", 0, 8L << 30, 10 * MIB);
        StorageSettings s = StorageSettings.DEFAULTS.withPrefetch(new PrefetchSettings(50, 256 * MIB));
        StorageController c = started(s);
        for (int i = 0; i < 3; i++) {
            c.step(IDLE, 1.0, s, true, port.diskCopy(VM));
        }
        assertEquals(256 * MIB, c.view().prefetchedBytes(), "the quiet seconds filled the buffer up to the cap");

        for (int i = 0; i < 3; i++) {
            c.step(BUSY, 1.0, s, true, port.diskCopy(VM));
        }
        assertTrue(c.view().interference());
        assertEquals(100 * MIB, port.lastSpeed(), "the next bytes are in memory: copying them spares the disk");

        port.jobs.put(VM + "/vda", new StorageCopy.BlockJob(256 * MIB, 8L << 30, 100 * MIB)); // the buffer is used up
        c.step(BUSY, 1.0, s, true, port.diskCopy(VM));
        assertEquals(MIB, port.lastSpeed(), "past the prefetched bytes the PID's speed (the floor under sustained interference)");
        assertTrue(c.summary().bufferedSeconds() >= 3, "buffered seconds " + c.summary().bufferedSeconds());
        assertEquals(7, c.summary().series().size(), "one point per step");
    }

    @Test
    void step_middlingSecond_prefetchesNothing() throws Exception {
        HostIoSample middling = new HostIoSample(150, 500, 30 * MIB, 50); // research model: p ≈ 0.25
        port.mirror(VM, "vda", "/images/vm1.raw", 0, 8L << 30, 10 * MIB);
        StorageSettings s = StorageSettings.DEFAULTS.withPrefetch(new PrefetchSettings(50, 256 * MIB));
        StorageController c = started(s);
        c.step(middling, 1.0, s, true, port.diskCopy(VM));
        assertEquals(0, reads.size(), "below the on- but above the off-probability: not clearly quiet");
        c.step(IDLE, 1.0, s, true, port.diskCopy(VM));
        assertEquals(1, reads.size(), "a quiet second prefetches");
    }

    @Test
    void step_secondAboveTheOnProbability_prefetchesNothingBeforeTheHysteresisSwitches() throws Exception {
        port.mirror(VM, "vda", "/images/vm1.raw", 0, 8L << 30, 10 * MIB);
        StorageSettings s = StorageSettings.DEFAULTS.withPrefetch(new PrefetchSettings(50, 256 * MIB));
        StorageController c = started(s);
        c.step(BUSY, 1.0, s, true, port.diskCopy(VM));
        assertFalse(c.view().interference(), "one busy second: the hysteresis is still off");
        assertEquals(0, reads.size(), "but the device is busy: no prefetch reads on it");
    }

    @Test
    void step_interferenceOn_quietSecondsOfASlowedCopy_doNotReboundTheSpeedUntilTheHysteresisIsOff() throws Exception {
        // between BUSY seconds, seconds at p ≈ 0.25: below the threshold (the PID alone would speed up)
        // but above the off-probability (the hysteresis stays on)
        HostIoSample middling = new HostIoSample(150, 500, 30 * MIB, 50);
        assertTrue(InterferenceModel.RESEARCH_DEFAULT.probability(middling) > 0.15
                && InterferenceModel.RESEARCH_DEFAULT.probability(middling) < 0.5);
        port.mirror(VM, "vda", "/images/vm1.raw", 0, 8L << 30, 0);
        StorageController c = started(NO_PREFETCH);
        for (int i = 0; i < 3; i++) {
            c.step(BUSY, 1.0, NO_PREFETCH, true, port.diskCopy(VM));
        }
        assertTrue(c.view().interference());
        assertEquals(MIB, port.lastSpeed());
        int calls = port.speedCalls.size();
        for (int i = 0; i < 20; i++) {
            c.step(i % 2 == 0 ? middling : BUSY, 1.0, NO_PREFETCH, true, port.diskCopy(VM));
            assertEquals(MIB, c.view().speedBytesPerSecond(), "second " + i + ": no rebound while interference is on");
        }
        assertEquals(calls, port.speedCalls.size(), "no speed calls either (each one wakes QEMU's mirror for a burst)");
        for (int i = 0; i < 3; i++) {
            c.step(IDLE, 1.0, NO_PREFETCH, true, port.diskCopy(VM));
        }
        assertFalse(c.view().interference());
        assertEquals(2 * MIB, port.lastSpeed(), "off: the copy rebounds, doubling a second");
        for (int i = 0; i < 7; i++) {
            c.step(IDLE, 1.0, NO_PREFETCH, true, port.diskCopy(VM));
        }
        assertEquals(100 * MIB, port.lastSpeed(), "and is back at full speed within 8 s");
    }

    @Test
    void step_oneMarginalSecondThenUndecidedOnes_theCopySinksToTheFloor_insteadOfHoldingWhereTheCutLeftIt() throws Exception {
        // p ≈ 0.52: a second just above the on-probability, which the PID answers with a small cut only
        HostIoSample marginal = new HostIoSample(150, 500, 30 * MIB, 65);
        HostIoSample middling = new HostIoSample(150, 500, 30 * MIB, 50); // p ≈ 0.25
        assertTrue(InterferenceModel.RESEARCH_DEFAULT.probability(marginal) > 0.5);
        port.mirror(VM, "vda", "/images/vm1.raw", 0, 8L << 30, 0);
        StorageController c = started(NO_PREFETCH);
        c.step(marginal, 1.0, NO_PREFETCH, true, port.diskCopy(VM));
        double cut = c.view().speedBytesPerSecond();
        assertTrue(cut > 50 * MIB && cut < 100 * MIB, "a small cut: " + cut / MIB + " MiB/s");
        double previous = cut;
        for (int i = 0; i < 8; i++) {
            c.step(middling, 1.0, NO_PREFETCH, true, port.diskCopy(VM));
            double now = c.view().speedBytesPerSecond();
            assertEquals(Math.max(MIB, previous / 2), now, 1, "second " + i + " of the run: halved");
            previous = now;
        }
        assertEquals(MIB, port.lastSpeed(), "the floor after eight undecided seconds");
        assertFalse(c.view().interference(), "the hysteresis never switched on");
        for (int i = 0; i < 7; i++) {
            c.step(IDLE, 1.0, NO_PREFETCH, true, port.diskCopy(VM));
        }
        assertEquals(100 * MIB, port.lastSpeed(), "clearly quiet seconds: back at full speed, doubling a second");
    }

    @Test
    void step_afterInterference_quietSecondsPrefetchNothing_evenBackAtFullSpeed() throws Exception {
        port.mirror(VM, "vda", "/images/vm1.raw", 0, 8L << 30, 0);
        StorageSettings s = StorageSettings.DEFAULTS.withPrefetch(new PrefetchSettings(50, 256 * MIB));
        StorageController c = started(s);
        for (int i = 0; i < 3; i++) {
            c.step(BUSY, 1.0, s, true, port.diskCopy(VM));
        }
        assertTrue(c.view().interference());
        int seconds = 0;
        do {
            c.step(IDLE, 1.0, s, true, port.diskCopy(VM));
            assertTrue(++seconds < 20, "the copy rebounds within 20 quiet seconds");
        } while (port.lastSpeed() < 100 * MIB);
        for (int i = 0; i < 30; i++) {
            c.step(IDLE, 1.0, s, true, port.diskCopy(VM));
        }
        assertEquals(0, reads.size(), "a quiet second beside a copy only says the neighbour tolerates the copy, not that it is gone");
        assertEquals(0, c.view().prefetchedBytes());
    }

    @Test
    void step_oneBusySecondThenQuiet_hysteresisNeverOn_stillNoPrefetch() throws Exception {
        port.mirror(VM, "vda", "/images/vm1.raw", 0, 8L << 30, 0);
        StorageSettings s = StorageSettings.DEFAULTS.withPrefetch(new PrefetchSettings(50, 256 * MIB));
        StorageController c = started(s);
        c.step(BUSY, 1.0, s, true, port.diskCopy(VM));
        for (int i = 0; i < 30; i++) {
            c.step(IDLE, 1.0, s, true, port.diskCopy(VM));
            assertFalse(c.view().interference(), "one busy second never switches the hysteresis on");
        }
        assertEquals(0, reads.size(), "the busy second showed a neighbour on the device: no bursts of reads beside it");
    }

    @Test
    void step_mirrorGoneWhileTheMemoryPhaseRuns_setsNoSpeed_andTheLeverStaysApplied() throws Exception {
        port.mirror(VM, "vda", "/images/vm1.raw", 0, 8L << 30, 0);
        StorageController c = started(NO_PREFETCH);
        c.step(BUSY, 1.0, NO_PREFETCH, true, port.diskCopy(VM));
        int calls = port.speedCalls.size();
        port.jobs.clear(); // the copy is done and libvirt removed the mirror; the job's disk_* fields remain
        port.refuseSpeed = new HypervisorException(HypervisorException.Kind.OTHER, "virDomainBlockJobSetSpeed", "disk vda does not have an active block job");
        for (int i = 0; i < 5; i++) {
            c.step(i % 2 == 0 ? IDLE : BUSY, 1.0, NO_PREFETCH, true, port.diskCopy(VM));
        }
        assertEquals(calls, port.speedCalls.size(), "no call for a mirror that is gone");
        assertEquals("applied", c.view().lever());
    }
}
