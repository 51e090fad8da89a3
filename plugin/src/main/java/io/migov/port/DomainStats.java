// SPDX-License-Identifier: Apache-2.0
package io.migov.port;

import java.util.Objects;

/**
 * One running domain as seen by a single bulk statistics call (virConnectGetAllDomainStats with
 * the state, cpu-total, balloon, vcpu and interface groups). Counters are cumulative; the profiler
 * turns two of them into rates. A value libvirt did not report is -1.
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
 */
public record DomainStats(String uuid, String name, boolean running, int vcpus, long cpuTimeNanos,
                          long currentMemoryKiB, long maximumMemoryKiB, long availableKiB, long usableKiB,
                          long unusedKiB, long rssKiB, long netRxBytes, long netTxBytes) {

    public DomainStats {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(name, "name");
    }

    /** The balloon driver reports guest memory use (needs a virtio balloon and a stats period). */
    public boolean hasGuestMemoryStats() {
        return availableKiB > 0 && (usableKiB >= 0 || unusedKiB >= 0);
    }
}
