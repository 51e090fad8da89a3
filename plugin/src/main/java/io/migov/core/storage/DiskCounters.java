// SPDX-License-Identifier: Apache-2.0
package io.migov.core.storage;

/**
 * The cumulative counters of one block device, one line of {@code /proc/diskstats}. Only the
 * fields the sample needs are kept; the kernel's counters are unsigned and may wrap.
 *
 * @param name               device name, e.g. {@code sda} or {@code dm-0}
 * @param readsCompleted     field 4
 * @param sectorsRead        field 6, 512-byte sectors whatever the device's block size
 * @param writesCompleted    field 8
 * @param sectorsWritten     field 10
 * @param ioTicksMillis      field 13: milliseconds spent with I/O in flight
 */
public record DiskCounters(String name, long readsCompleted, long sectorsRead, long writesCompleted, long sectorsWritten,
                           long ioTicksMillis) {

    public DiskCounters {
        if (name == null || name.isBlank() || !name.strip().equals(name)) {
            throw new IllegalArgumentException("name: expected a device name, got '" + name + "'");
        }
    }
}
