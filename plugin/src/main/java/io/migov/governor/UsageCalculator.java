// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

import io.migov.core.Sample;
import io.migov.port.DomainStats;

/**
 * Turns two consecutive bulk-stats readings of a domain into a {@link Sample} (percent of
 * capacity). Pure: the caller supplies the elapsed time.
 */
public final class UsageCalculator {

    /** Where a VM's memory percentage came from, shown in the VM's state. */
    public enum MemorySource {
        /** Guest-reported use from the virtio balloon driver: (available − usable) / available. */
        BALLOON,
        /** QEMU's resident set over the current memory size; never shrinks, so it overstates idle guests. */
        RSS,
        /** Nothing usable was reported: 0 %. */
        NONE
    }

    public record Usage(Sample sample, MemorySource memorySource) {
    }

    /**
     * A VM's own disk I/O over one interval (its devices' reads and writes, summed over its disks);
     * -1 where libvirt reported no block statistics at either reading.
     */
    public record DiskRate(double readBytesPerSecond, double writeBytesPerSecond, double opsPerSecond) {
        public static final DiskRate UNKNOWN = new DiskRate(-1, -1, -1);
    }

    private UsageCalculator() {
    }

    /** {@code writePercent}: the VM's write intensity (% of the migration bandwidth), measured apart from the bulk stats. */
    public static Usage usage(DomainStats previous, DomainStats current, long elapsedNanos, long linkCapacityBitsPerSecond,
                              double writePercent) {
        if (elapsedNanos <= 0) {
            throw new IllegalArgumentException("elapsedNanos: expected > 0, got " + elapsedNanos);
        }
        double seconds = elapsedNanos / 1e9;
        int vcpus = Math.max(1, current.vcpus());
        double cpu = percent(delta(previous.cpuTimeNanos(), current.cpuTimeNanos()), elapsedNanos * (double) vcpus);
        double linkBytes = linkCapacityBitsPerSecond / 8.0 * seconds;
        double netIn = percent(delta(previous.netRxBytes(), current.netRxBytes()), linkBytes);
        double netOut = percent(delta(previous.netTxBytes(), current.netTxBytes()), linkBytes);
        MemorySource source;
        double memory;
        if (current.hasGuestMemoryStats()) {
            long free = current.usableKiB() >= 0 ? current.usableKiB() : current.unusedKiB();
            memory = percent(current.availableKiB() - free, current.availableKiB());
            source = MemorySource.BALLOON;
        } else if (current.rssKiB() > 0 && current.currentMemoryKiB() > 0) {
            memory = percent(current.rssKiB(), current.currentMemoryKiB());
            source = MemorySource.RSS;
        } else {
            memory = 0;
            source = MemorySource.NONE;
        }
        return new Usage(new Sample(cpu, memory, writePercent, netIn, netOut), source);
    }

    /** The VM's disk I/O between two bulk-stats readings (a counter that went back counts as no I/O). */
    public static DiskRate diskRate(DomainStats previous, DomainStats current, long elapsedNanos) {
        if (elapsedNanos <= 0) {
            throw new IllegalArgumentException("elapsedNanos: expected > 0, got " + elapsedNanos);
        }
        DomainStats.BlockIo before = previous.block();
        DomainStats.BlockIo after = current.block();
        if (before.readRequests() < 0 || after.readRequests() < 0) {
            return DiskRate.UNKNOWN;
        }
        double seconds = elapsedNanos / 1e9;
        return new DiskRate(delta(before.readBytes(), after.readBytes()) / seconds,
                delta(before.writeBytes(), after.writeBytes()) / seconds,
                (delta(before.readRequests(), after.readRequests()) + delta(before.writeRequests(), after.writeRequests())) / seconds);
    }

    /** Counters reset when a domain restarts or a NIC is replugged: treat a decrease as no activity. */
    private static double delta(long before, long after) {
        if (before < 0 || after < 0 || after < before) {
            return 0;
        }
        return after - before;
    }

    private static double percent(double part, double whole) {
        if (whole <= 0 || part <= 0) {
            return 0;
        }
        return Math.min(100.0, part / whole * 100.0);
    }
}
