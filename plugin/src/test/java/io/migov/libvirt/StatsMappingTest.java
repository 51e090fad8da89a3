// SPDX-License-Identifier: Apache-2.0
package io.migov.libvirt;

import io.migov.port.DomainStats;
import io.migov.port.JobStats;
import org.junit.jupiter.api.Test;
import org.libvirt.TypedBooleanParameter;
import org.libvirt.TypedDoubleParameter;
import org.libvirt.TypedIntParameter;
import org.libvirt.TypedLongParameter;
import org.libvirt.TypedParameter;
import org.libvirt.TypedStringParameter;
import org.libvirt.TypedUintParameter;
import org.libvirt.TypedUlongParameter;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatsMappingTest {

    private static final String UUID = "4d49474f-0000-4000-8000-000000000001";

    private static Map<String, TypedParams.Param> params(Object... fieldValue) {
        Map<String, TypedParams.Param> m = new LinkedHashMap<>();
        for (int i = 0; i < fieldValue.length; i += 2) {
            String f = (String) fieldValue[i];
            Object v = fieldValue[i + 1];
            if (v instanceof String s) {
                m.put(f, new TypedParams.Param(f, TypedParams.STRING, 0, 0, s));
            } else if (v instanceof Double d) {
                m.put(f, new TypedParams.Param(f, TypedParams.DOUBLE, Math.round(d), d, null));
            } else {
                long l = ((Number) v).longValue();
                m.put(f, new TypedParams.Param(f, TypedParams.ULLONG, l, l, null));
            }
        }
        return m;
    }

    @Test
    void domainStats_fullRecord_mapsEveryField() {
        DomainStats s = StatsMapping.domainStats(UUID, "vm1", params(
                "state.state", 1, "state.reason", 1, "cpu.time", 5_000_000_000L, "vcpu.current", 2,
                "balloon.current", 524_288, "balloon.maximum", 1_048_576, "balloon.available", 500_000,
                "balloon.usable", 300_000, "balloon.unused", 250_000, "balloon.rss", 400_000,
                "net.count", 2, "net.0.rx.bytes", 100, "net.0.tx.bytes", 10, "net.1.rx.bytes", 5,
                "net.1.tx.bytes", 1));
        assertEquals(new DomainStats(UUID, "vm1", true, 2, 5_000_000_000L, 524_288, 1_048_576, 500_000, 300_000,
                250_000, 400_000, 105, 11), s);
        assertTrue(s.hasGuestMemoryStats());
    }

    @Test
    void domainStats_noBalloonDriverNoNic_missingFieldsAreMinusOne() {
        // what the lab's guests report: <memballoon model='none'/>, no interface stats
        DomainStats s = StatsMapping.domainStats(UUID, "vm1", params(
                "state.state", 1, "cpu.time", 7L, "vcpu.current", 1, "balloon.current", 524_288,
                "balloon.maximum", 524_288, "net.count", 0));
        assertEquals(-1, s.availableKiB());
        assertEquals(-1, s.usableKiB());
        assertEquals(-1, s.unusedKiB());
        assertEquals(-1, s.rssKiB());
        assertEquals(-1, s.netRxBytes());
        assertEquals(-1, s.netTxBytes());
        assertFalse(s.hasGuestMemoryStats());
    }

    @Test
    void domainStats_paused_isNotRunning() {
        assertFalse(StatsMapping.domainStats(UUID, "vm1", params("state.state", 3)).running());
    }

    @Test
    void domainStats_pausedInPostCopy_carriesThePausedReason() {
        DomainStats postcopy = StatsMapping.domainStats(UUID, "vm1", params("state.state", 3, "state.reason", 12));
        assertEquals(DomainStats.PAUSED_POSTCOPY, postcopy.pausedReason());
        assertTrue(postcopy.pausedInPostCopy());
        assertTrue(StatsMapping.domainStats(UUID, "vm1", params("state.state", 3, "state.reason", 13)).pausedInPostCopy());
        DomainStats incoming = StatsMapping.domainStats(UUID, "vm1", params("state.state", 3, "state.reason", 2));
        assertFalse(incoming.pausedInPostCopy(), "paused for an incoming migration");
        // a running domain's reason is a virDomainRunningReason (10 = running in post-copy on the destination), not a paused one
        DomainStats running = StatsMapping.domainStats(UUID, "vm1", params("state.state", 1, "state.reason", 12));
        assertEquals(-1, running.pausedReason());
        assertFalse(running.pausedInPostCopy());
    }

    @Test
    void domainStats_emptyRecord_allMinusOne() {
        DomainStats s = StatsMapping.domainStats(UUID, "vm1", params());
        assertFalse(s.running());
        assertEquals(-1, s.vcpus());
        assertEquals(-1, s.cpuTimeNanos());
        assertEquals(-1, s.currentMemoryKiB());
    }

    @Test
    void domainStats_twoDisks_blockCountersAreSummed() {
        DomainStats s = StatsMapping.domainStats(UUID, "vm1", params("state.state", 1,
                "block.count", 2, "block.0.name", "vda", "block.0.rd.reqs", 10, "block.0.rd.bytes", 40_960,
                "block.0.wr.reqs", 3, "block.0.wr.bytes", 12_288,
                "block.1.name", "vdb", "block.1.rd.reqs", 5, "block.1.rd.bytes", 5_242_880, "block.1.wr.reqs", 1,
                "block.1.wr.bytes", 1_048_576));
        assertEquals(new DomainStats.BlockIo(5_283_840, 1_060_864, 15, 4), s.block());
    }

    @Test
    void domainStats_blockGroupWithoutDisksOrAbsent_noDisksOrUnknown() {
        assertEquals(DomainStats.BlockIo.NO_DISKS, StatsMapping.domainStats(UUID, "vm1", params("block.count", 0)).block());
        assertEquals(DomainStats.BlockIo.UNKNOWN, StatsMapping.domainStats(UUID, "vm1", params("state.state", 1)).block());
        // a disk listed without counters (libvirt could not query QEMU) adds nothing
        assertEquals(new DomainStats.BlockIo(4096, 0, 1, 0), StatsMapping.domainStats(UUID, "vm1", params("block.count", 2,
                "block.0.name", "vda", "block.1.name", "vdb", "block.1.rd.reqs", 1, "block.1.rd.bytes", 4096)).block());
    }

    @Test
    void domainStats_oneNicWithoutCounters_isMinusOne() {
        DomainStats s = StatsMapping.domainStats(UUID, "vm1", params("net.count", 1, "net.0.name", "vnet0"));
        assertEquals(-1, s.netRxBytes());
    }

    @Test
    void jobStats_nativeParams_numbersAndStringsSeparated() {
        JobStats j = StatsMapping.jobStats(JobStats.Type.COMPLETED, params(
                "memory_iteration", 4, "memory_dirty_rate", 12_000, "memory_remaining", 0,
                "compression_cache_miss_rate", 0.6, "errmsg", "none"));
        assertEquals(JobStats.Type.COMPLETED, j.type());
        assertEquals(4, j.get("memory_iteration", -1));
        assertEquals(12_000, j.get("memory_dirty_rate", -1));
        assertEquals(1, j.get("compression_cache_miss_rate", -1));
        assertEquals(Map.of("errmsg", "none"), j.strings());
    }

    @Test
    void jobStats_libvirtJavaParams_everyTypeBecomesLongOrString() {
        TypedParameter[] p = {
            new TypedIntParameter("operation", 5),
            new TypedUintParameter("u", -2),
            new TypedLongParameter("time_elapsed", 2_300L),
            new TypedUlongParameter("memory_remaining", 262_144_000L),
            new TypedDoubleParameter("d", 1.49),
            new TypedBooleanParameter("b", true),
            new TypedStringParameter("errmsg", "x"),
        };
        JobStats j = StatsMapping.jobStats(2, p);
        assertEquals(JobStats.Type.UNBOUNDED, j.type());
        assertEquals(5, j.get("operation", -1));
        assertEquals(4_294_967_294L, j.get("u", -1));
        assertEquals(2_300, j.get("time_elapsed", -1));
        assertEquals(262_144_000L, j.get("memory_remaining", -1));
        assertEquals(1, j.get("d", -1));
        assertEquals(1, j.get("b", -1));
        assertEquals("x", j.strings().get("errmsg"));
        assertTrue(j.isOutgoingMigration());
    }

    @Test
    void jobType_libvirtNumbers_mapInOrder() {
        assertEquals(JobStats.Type.NONE, StatsMapping.jobType(0));
        assertEquals(JobStats.Type.BOUNDED, StatsMapping.jobType(1));
        assertEquals(JobStats.Type.UNBOUNDED, StatsMapping.jobType(2));
        assertEquals(JobStats.Type.COMPLETED, StatsMapping.jobType(3));
        assertEquals(JobStats.Type.FAILED, StatsMapping.jobType(4));
        assertEquals(JobStats.Type.CANCELLED, StatsMapping.jobType(5));
        assertEquals(JobStats.Type.NONE, StatsMapping.jobType(42));
    }

    @Test
    void jobStats_noJob_isNoneAndEmpty() {
        JobStats j = StatsMapping.jobStats(0, new TypedParameter[0]);
        assertEquals(JobStats.none(), j);
    }
}
