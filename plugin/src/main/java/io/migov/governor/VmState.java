// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

import io.migov.core.WorkloadProfile;
import io.migov.port.DomainStats;

import java.util.concurrent.atomic.AtomicBoolean;

/** One VM known to this host's governor. Mutable state is guarded by the instance's monitor. */
final class VmState {
    final String uuid;
    final WorkloadProfile profile;
    final String modelSource;
    volatile String name;
    DomainStats lastStats;
    long lastStatsNanos;
    UsageCalculator.MemorySource memorySource = UsageCalculator.MemorySource.NONE;
    /** The guest's disk I/O over the last second, also while it migrates (a mirror's reads are not in it). */
    volatile UsageCalculator.DiskRate diskRate = UsageCalculator.DiskRate.UNKNOWN;
    MigrationWatch watch;
    /** A post-copy failure of this VM has been logged and counted (reset when it runs again). */
    volatile boolean postcopyFailureReported;
    /** A job read is queued on the VM's steering lane (one at a time, however slow libvirt is). */
    final AtomicBoolean pollQueued = new AtomicBoolean();
    long lastSyncedSamples = -1;
    long lastSyncNanos;
    long lastCheckpointedSamples = -1;
    long lastCheckpointNanos;
    // write intensity (WriteIntensitySampler)
    long dirtyCalcStartNanos = Long.MIN_VALUE;
    int dirtyCalcSeconds = 1;
    boolean dirtyCalcPending;
    /** QEMU's start time of the last collected calculation, to tell a new result from the previous one. */
    long dirtyCalcStartSeconds = -1;
    /** Last measured dirty rate, bytes/s; -1 before the first measurement. */
    long dirtyBytesPerSecond = -1;
    /** Last measured write intensity, % of the migration bandwidth; 0 until measured. */
    double writePercent;

    VmState(String uuid, String name, WorkloadProfile profile, String modelSource, long nowNanos) {
        this.uuid = uuid;
        this.name = name;
        this.profile = profile;
        this.modelSource = modelSource;
        this.lastSyncNanos = nowNanos;
        this.lastCheckpointNanos = nowNanos;
    }
}
