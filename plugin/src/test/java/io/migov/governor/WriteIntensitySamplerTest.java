// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

import io.migov.core.DecisionCore;
import io.migov.core.Discretiser;
import io.migov.core.StateSpace;
import io.migov.core.Strategy;
import io.migov.port.HypervisorException;
import io.migov.testing.FakeHypervisor;
import io.migov.testing.TestStats;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Write intensity: dirty-rate calculations through the governor's tick, against the fake hypervisor. */
class WriteIntensitySamplerTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long MIB = 1024 * 1024;

    private final FakeHypervisor hv = new FakeHypervisor();
    private final AtomicLong nanos = new AtomicLong(1_000 * SECOND);
    private final Map<String, Long> cpu = new HashMap<>();
    /** Uncapped (1000 calculations/s) unless a test sets the cap. */
    private GovernorSettings settings = GovernorSettings.DEFAULTS.withWriteSampling(new WriteSampling(10, 1, 100 * MIB, 1000));

    private Governor governor(StateSpace space) {
        return Governor.builder().hypervisor(hv).core(DecisionCore.of(Discretiser.of(space, 25, 50)))
                .settings(() -> settings)
                .clock(Clock.fixed(Instant.parse("2026-12-02T00:00:00Z"), ZoneOffset.UTC))
                .ticker(nanos::get)
                .recordSink(r -> { })
                .modelStore(new ModelStore() {
                    @Override
                    public Optional<String> load(String uuid) {
                        return Optional.empty();
                    }

                    @Override
                    public void save(String uuid, String json) {
                    }
                })
                .executor(Runnable::run)
                .build();
    }

    private static String uuid(int i) {
        return String.format("00000000-0000-4000-8000-%012d", i);
    }

    /** One second of {@code vms} VMs at 10 % cpu and the given memory use, then a tick. */
    private void second(Governor g, int vms, double memPercent) {
        for (int i = 0; i < vms; i++) {
            long c = cpu.merge(uuid(i), SECOND / 10, Long::sum);
            hv.put(TestStats.running(uuid(i), "vm" + i, c, memPercent, 0, 0));
        }
        nanos.addAndGet(SECOND);
        g.tick();
        g.measureWriteIntensity();
    }

    private long starts(String uuid) {
        return hv.dirtyRateCalls.stream().filter(c -> c.equals("startDirtyRateCalc " + uuid + " 1")).count();
    }

    @Test
    void tick_dirtyRateMeasured_writeIntensityIsAShareOfTheMigrationBandwidth() {
        Governor g = governor(StateSpace.WRITE);
        hv.dirtyRatesMiBPerSecond.put(uuid(0), 60L);
        second(g, 1, 10); // adopted; its calculation starts
        second(g, 1, 10); // collected: 60 MiB/s of 100 MiB/s
        second(g, 1, 10); // the next sample carries it
        VmView v = g.vms().get(0);
        assertEquals(60.0, v.writePercent(), 1e-9);
        assertEquals(60 * MIB, v.dirtyRateBytesPerSecond());
        assertEquals("cpu=low,write=high,net_in=low,net_out=low", v.levels());
        assertEquals(Strategy.POST_COPY.name(), v.strategy());
        assertEquals(1, g.stats().dirtyRateCalcsMeasured());
    }

    @Test
    void tick_guestHoldsMemoryButDoesNotWrite_isNotMemoryIntensiveWithWriteIntensity() {
        Governor write = governor(StateSpace.WRITE);
        hv.dirtyRatesMiBPerSecond.put(uuid(0), 1L);
        for (int t = 0; t < 4; t++) {
            second(write, 1, 90);
        }
        assertEquals(Strategy.HYBRID.name(), write.vms().get(0).strategy());

        Governor usage = governor(StateSpace.USAGE);
        second(usage, 1, 90);
        second(usage, 1, 90);
        assertEquals(Strategy.POST_COPY.name(), usage.vms().get(0).strategy(), "the research's signal: 90 % in use is memory-intensive");
    }

    @Test
    void tick_bothModelled_memoryUseAloneIsNotMemoryIntensive() {
        Governor both = governor(StateSpace.USAGE_AND_WRITE);
        hv.dirtyRatesMiBPerSecond.put(uuid(0), 0L);
        for (int t = 0; t < 4; t++) {
            second(both, 1, 90);
        }
        VmView v = both.vms().get(0);
        assertEquals("cpu=low,mem=high,write=low,net_in=low,net_out=low", v.levels());
        assertEquals(Strategy.HYBRID.name(), v.strategy());
    }

    @Test
    void tick_manyVms_startsTheirShareEachTickAndMeasuresEachOncePerInterval() {
        Governor g = governor(StateSpace.WRITE);
        for (int i = 0; i < 20; i++) {
            hv.dirtyRatesMiBPerSecond.put(uuid(i), 5L);
        }
        second(g, 20, 10);
        assertEquals(2, hv.dirtyRateCalls.stream().filter(c -> c.startsWith("startDirtyRateCalc")).count(),
                "20 VMs, one calculation each per 10 s: 2 per tick");
        for (int t = 1; t < 10; t++) {
            second(g, 20, 10);
        }
        for (int i = 0; i < 20; i++) {
            assertEquals(1, starts(uuid(i)), "vm" + i + " measured exactly once in the first interval");
        }
        for (int t = 0; t < 10; t++) {
            second(g, 20, 10);
        }
        for (int i = 0; i < 20; i++) {
            assertEquals(2, starts(uuid(i)), "vm" + i + " measured again in the second interval");
        }
    }

    @Test
    void tick_moreVmsThanTheCapAllows_startsNoMoreThanTheCapAndStretchesEachVmsInterval() {
        settings = settings.withWriteSampling(settings.writeSampling().withMaxCalcsPerSecond(0.5));
        Governor g = governor(StateSpace.WRITE);
        for (int i = 0; i < 20; i++) {
            hv.dirtyRatesMiBPerSecond.put(uuid(i), 5L);
        }
        for (int t = 0; t < 40; t++) {
            second(g, 20, 10);
        }
        long started = hv.dirtyRateCalls.stream().filter(c -> c.startsWith("startDirtyRateCalc")).count();
        // 40 s at 0.5/s (plus the one the bucket starts with), where the interval alone would start 80
        assertTrue(started >= 20 && started <= 21, started + " calculations in 40 s");
        for (int i = 0; i < 20; i++) {
            assertEquals(1, starts(uuid(i)), "vm" + i + ": each VM in turn, once in 40 s instead of every 10 s");
        }
    }

    @Test
    void writeSampling_capOutOfRange_isRejectedNamingIt() {
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new WriteSampling(10, 1, 0, 0))
                .getMessage().startsWith("dirtyRateMaxCalcsPerSecond: expected 0.01..1000, got 0.0"));
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new WriteSampling(10, 1, 0, Double.NaN)).getMessage().startsWith("dirtyRateMaxCalcsPerSecond:"));
    }

    @Test
    void tick_vmMigrating_isNotMeasured() {
        Governor g = governor(StateSpace.WRITE);
        hv.dirtyRatesMiBPerSecond.put(uuid(0), 5L);
        second(g, 1, 10);
        second(g, 1, 10);
        hv.dirtyRateCalls.clear();
        hv.jobs.put(uuid(0), TestStats.migrating(1, 0, 400 * MIB));
        hv.listener.onMigrationIteration(uuid(0), 1); // how the governor learns of it: libvirt's pass-1 event
        for (int t = 0; t < 25; t++) {
            second(g, 1, 10);
        }
        assertEquals(0, starts(uuid(0)), hv.dirtyRateCalls.toString());
    }

    @Test
    void tick_calculationRefused_retriedAfterTheIntervalNotEveryTick() {
        Governor g = governor(StateSpace.WRITE);
        hv.dirtyRatesMiBPerSecond.put(uuid(0), 5L);
        hv.dirtyRateCalcFailures.add(new HypervisorException(HypervisorException.Kind.OTHER, "virDomainStartDirtyRateCalc",
                "operation not supported"));
        for (int t = 0; t < 10; t++) {
            second(g, 1, 10);
        }
        assertEquals(1, starts(uuid(0)), "one refused attempt in the first 10 s");
        assertEquals(1, g.stats().dirtyRateCalcsFailed());
        second(g, 1, 10);
        assertEquals(2, starts(uuid(0)));
        second(g, 1, 10);
        assertEquals(1, g.stats().dirtyRateCalcsMeasured());
    }

    @Test
    void tick_intervalZero_measuresNothing() {
        settings = settings.withWriteSampling(new WriteSampling(0, 1, 0));
        Governor g = governor(StateSpace.WRITE);
        for (int t = 0; t < 5; t++) {
            second(g, 3, 10);
        }
        assertTrue(hv.dirtyRateCalls.isEmpty(), hv.dirtyRateCalls.toString());
        assertEquals(0.0, g.vms().get(0).writePercent());
        assertEquals(-1, g.vms().get(0).dirtyRateBytesPerSecond());
    }

    @Test
    void writePercent_aboveTheBandwidth_isCappedAt100() {
        assertEquals(100.0, io.migov.core.Sample.writeIntensityPercent(300 * MIB, 100 * MIB));
        assertEquals(25.0, io.migov.core.Sample.writeIntensityPercent(25 * MIB, 100 * MIB), 1e-9);
        assertEquals(0.0, io.migov.core.Sample.writeIntensityPercent(-1, 100 * MIB));
        assertEquals(12.5, new WriteSampling(10, 1, 0).referenceBytesPerSecond(1_000_000_000L) / 1e7 * 1.0, 1e-9,
                "0 = the link capacity: 1 Gbit/s is 125 MB/s");
    }

    @Test
    void writeSampling_badValues_nameTheKey() {
        assertEquals("dirtyRateIntervalSeconds: expected 0 (off) or 1..3600, got -1",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new WriteSampling(-1, 1, 0)).getMessage());
        assertEquals("dirtyRateCalcSeconds: expected less than dirtyRateIntervalSeconds (5), got 5",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new WriteSampling(5, 5, 0)).getMessage());
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new WriteSampling(10, 1, -5))
                .getMessage().startsWith("migrationBandwidthBytesPerSecond: "));
    }
}
