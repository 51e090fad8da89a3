// SPDX-License-Identifier: Apache-2.0
package io.migov.testing;

import io.migov.port.DomainStats;
import io.migov.port.JobStats;

import java.util.HashMap;
import java.util.Map;

/** libvirt statistics as the unit tests feed them to the governor through {@link FakeHypervisor}. */
public final class TestStats {

    public static final long MIB = 1024 * 1024;
    /** The lab's 1 GbE-like migration cap. */
    public static final long BANDWIDTH_BYTES_PER_SECOND = 100 * MIB;

    private TestStats() {
    }

    /** A running 512 MiB, 1-vCPU domain whose balloon reports {@code memPercent} in use. */
    public static DomainStats running(String uuid, String name, long cpuTimeNanos, double memPercent, long rxBytes, long txBytes) {
        long available = 512 * 1024;
        long usable = (long) (available * (1 - memPercent / 100));
        return new DomainStats(uuid, name, true, 1, cpuTimeNanos, available, available, available, usable, usable, 300_000, rxBytes, txBytes);
    }

    /** The 512 MiB domain paused for {@code pausedReason} (virDomainPausedReason, e.g. {@link DomainStats#PAUSED_POSTCOPY}). */
    public static DomainStats paused(String uuid, String name, long cpuTimeNanos, int pausedReason) {
        return new DomainStats(uuid, name, false, 1, cpuTimeNanos, 524288, 524288, -1, -1, -1, 300_000, 0, 0, DomainStats.BlockIo.UNKNOWN,
                pausedReason);
    }

    /** An outgoing migration's job statistics at the start of pass {@code iteration} (≈ 2.3 s per pass). */
    public static JobStats migrating(int iteration, long dirtyPagesPerSecond, long remainingBytes) {
        Map<String, Long> f = new HashMap<>();
        f.put("operation", JobStats.OPERATION_MIGRATION_OUT);
        f.put("memory_iteration", (long) iteration);
        f.put("memory_dirty_rate", dirtyPagesPerSecond);
        f.put("memory_remaining", remainingBytes);
        f.put("memory_bps", BANDWIDTH_BYTES_PER_SECOND);
        f.put("time_elapsed", iteration * 2300L);
        return new JobStats(JobStats.Type.UNBOUNDED, f, Map.of());
    }

    /** The JOB_COMPLETED statistics of a successful migration. */
    public static JobStats completed(long postcopyRequests) {
        return new JobStats(JobStats.Type.COMPLETED, Map.of("time_elapsed", 9000L, "downtime", 12L, "data_processed", 900 * MIB,
                "memory_postcopy_requests", postcopyRequests, "memory_iteration", 4L), Map.of());
    }
}
