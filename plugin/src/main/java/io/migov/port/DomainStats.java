// SPDX-License-Identifier: Apache-2.0
package io.migov.port;

import java.util.Objects;

/**
 * One running domain as seen by a single bulk statistics call (virConnectGetAllDomainStats with
 * the state, cpu-total, balloon, vcpu, interface and block groups). Counters are cumulative; the
 * profiler turns two of them into rates. A value libvirt did not report is -1.
 *
 * @param uuid              domain UUID (lower-case, dashed)
 * @param name              domain name
 * @param running           state is running (paused, e.g. during a migration's stop-and-copy, is not)
 * @param vcpus             current vCPUs ({@code vcpu.current})
 * @param cpuTimeNanos      {@code cpu.time}
 * @param currentMemoryKiB  {@code balloon.current}
 * @param maximumMemoryKiB  {@code balloon.maximum}
 * @param availableKiB      {@code balloon.available}: guest-visible memory, from the balloon driver
 * @param usableKiB         {@code balloon.usable}: memory the guest could use without swapping
 * @param unusedKiB         {@code balloon.unused}
 * @param rssKiB            {@code balloon.rss}: resident set of the QEMU process
 * @param netRxBytes        sum of {@code net.*.rx.bytes}
 * @param netTxBytes        sum of {@code net.*.tx.bytes}
 * @param block             the guest's disk I/O, summed over its disks ({@code block.*})
 * @param pausedReason      {@code state.reason} of a paused domain (virDomainPausedReason, e.g.
 *                          {@link #PAUSED_POSTCOPY}); -1 for a domain that is not paused or whose reason is unknown
 */
public record DomainStats(String uuid, String name, boolean running, int vcpus, long cpuTimeNanos,
                          long currentMemoryKiB, long maximumMemoryKiB, long availableKiB, long usableKiB,
                          long unusedKiB, long rssKiB, long netRxBytes, long netTxBytes, BlockIo block, int pausedReason) {

    /** VIR_DOMAIN_PAUSED_POSTCOPY: the source of a migration in post-copy (the guest runs on the destination). */
    public static final int PAUSED_POSTCOPY = 12;
    /** VIR_DOMAIN_PAUSED_POSTCOPY_FAILED: a post-copy migration whose transfer broke. */
    public static final int PAUSED_POSTCOPY_FAILED = 13;

    public DomainStats {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(block, "block");
    }

    /** Not paused, or paused for a reason libvirt did not report. */
    public DomainStats(String uuid, String name, boolean running, int vcpus, long cpuTimeNanos,
                       long currentMemoryKiB, long maximumMemoryKiB, long availableKiB, long usableKiB,
                       long unusedKiB, long rssKiB, long netRxBytes, long netTxBytes, BlockIo block) {
        this(uuid, name, running, vcpus, cpuTimeNanos, currentMemoryKiB, maximumMemoryKiB, availableKiB, usableKiB, unusedKiB,
                rssKiB, netRxBytes, netTxBytes, block, -1);
    }

    /** Without block statistics (a domain whose disks libvirt did not report). */
    public DomainStats(String uuid, String name, boolean running, int vcpus, long cpuTimeNanos,
                       long currentMemoryKiB, long maximumMemoryKiB, long availableKiB, long usableKiB,
                       long unusedKiB, long rssKiB, long netRxBytes, long netTxBytes) {
        this(uuid, name, running, vcpus, cpuTimeNanos, currentMemoryKiB, maximumMemoryKiB, availableKiB, usableKiB, unusedKiB,
                rssKiB, netRxBytes, netTxBytes, BlockIo.UNKNOWN);
    }

    /**
     * The guest's own disk I/O, cumulative, summed over the domain's disks ({@code block.<n>.rd.bytes},
     * {@code wr.bytes}, {@code rd.reqs}, {@code wr.reqs}): what the guest's devices did, not a storage
     * migration's mirror, whose reads libvirt does not count here. 0 for a domain without disks, -1 where
     * libvirt reported nothing.
     */
    public record BlockIo(long readBytes, long writeBytes, long readRequests, long writeRequests) {
        public static final BlockIo UNKNOWN = new BlockIo(-1, -1, -1, -1);
        public static final BlockIo NO_DISKS = new BlockIo(0, 0, 0, 0);
    }

    /** Paused as the source (or a broken transfer) of a migration in post-copy: its job is a migration to watch. */
    public boolean pausedInPostCopy() {
        return !running && pausedReason == PAUSED_POSTCOPY || pausedPostCopyFailed();
    }

    /** Paused because libvirt gave up its post-copy migration (the guest's memory split between two hosts). */
    public boolean pausedPostCopyFailed() {
        return !running && pausedReason == PAUSED_POSTCOPY_FAILED;
    }

    /** The balloon driver reports guest memory use (needs a virtio balloon and a stats period). */
    public boolean hasGuestMemoryStats() {
        return availableKiB > 0 && (usableKiB >= 0 || unusedKiB >= 0);
    }
}
