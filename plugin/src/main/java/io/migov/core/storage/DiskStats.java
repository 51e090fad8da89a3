// SPDX-License-Identifier: Apache-2.0
package io.migov.core.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The text of Linux's {@code /proc/diskstats}, and the per-second {@link HostIoSample} between two
 * readings of one device.
 *
 * <p>Each line is {@code major minor name} followed by at least 11 counters: reads completed, reads
 * merged, sectors read, ms reading, writes completed, writes merged, sectors written, ms writing,
 * I/Os in progress, io ticks (ms), weighted ms. Kernels since 4.18 append discard counters and
 * since 5.5 flush counters; they are ignored (a discard moves no data through the copy's path).
 */
public final class DiskStats {

    /** {@code /proc/diskstats} counts in 512-byte sectors regardless of the device's logical block size. */
    public static final int SECTOR_BYTES = 512;

    private static final String[] FIELD_NAMES = {"major", "minor", "name", "reads_completed", "reads_merged",
            "sectors_read", "ms_reading", "writes_completed", "writes_merged", "sectors_written", "ms_writing",
            "ios_in_progress", "io_ticks_ms", "weighted_ms"};

    private DiskStats() {
    }

    /**
     * Parses the whole text; a line that is not a diskstats line raises an IllegalArgumentException
     * naming the line and the field, so a kernel format change shows instead of silent zeros.
     */
    public static List<DiskCounters> parse(String text) {
        List<DiskCounters> devices = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.isEmpty()) {
                devices.add(parseLine(line, i + 1));
            }
        }
        return List.copyOf(devices);
    }

    public static Optional<DiskCounters> find(List<DiskCounters> devices, String name) {
        return devices.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /**
     * The I/O of the interval between two readings of one device. A counter that went backwards
     * (a 32-bit wrap, or the device was removed and re-added) counts as no activity for this
     * interval: guessing the wrap width would invent load the classifier then acts on.
     *
     * @param elapsedMillis wall time between the two readings
     */
    public static HostIoSample sample(DiskCounters before, DiskCounters after, long elapsedMillis) {
        if (!before.name().equals(after.name())) {
            throw new IllegalArgumentException("after.name: expected the device '" + before.name() + "', got '" + after.name() + "'");
        }
        if (elapsedMillis < 1) {
            throw new IllegalArgumentException("elapsedMillis: expected ≥ 1, got " + elapsedMillis);
        }
        double seconds = elapsedMillis / 1000.0;
        long operations = delta(before.readsCompleted(), after.readsCompleted())
                + delta(before.writesCompleted(), after.writesCompleted());
        long sectors = delta(before.sectorsRead(), after.sectorsRead()) + delta(before.sectorsWritten(), after.sectorsWritten());
        long busyMillis = delta(before.ioTicksMillis(), after.ioTicksMillis());
        // the kernel's tick accounting and our clock disagree by a few ms: busy time cannot exceed the interval
        double busyShare = Math.min(1.0, (double) busyMillis / elapsedMillis);
        return new HostIoSample(operations / seconds,
                busyShare * HostIoSample.MAX_IO_TICKS_MILLIS_PER_SECOND,
                (double) sectors * SECTOR_BYTES / seconds,
                busyShare * 100.0);
    }

    /** Growth of an unsigned counter; 0 when it went backwards. */
    static long delta(long before, long after) {
        return Long.compareUnsigned(after, before) >= 0 ? after - before : 0;
    }

    private static DiskCounters parseLine(String line, int lineNo) {
        String[] f = line.split("\\s+");
        if (f.length < FIELD_NAMES.length) {
            throw new IllegalArgumentException("line " + lineNo + ": expected at least " + FIELD_NAMES.length
                    + " fields (major minor name and 11 counters), got " + f.length);
        }
        for (int k = 0; k < FIELD_NAMES.length; k++) {
            if (k != 2) {
                counter(f, k, lineNo);
            }
        }
        return new DiskCounters(f[2], counter(f, 3, lineNo), counter(f, 5, lineNo), counter(f, 7, lineNo),
                counter(f, 9, lineNo), counter(f, 12, lineNo));
    }

    private static long counter(String[] fields, int index, int lineNo) {
        try {
            return Long.parseUnsignedLong(fields[index]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("line " + lineNo + ": " + FIELD_NAMES[index]
                    + ": expected an unsigned integer, got '" + fields[index] + "'");
        }
    }
}
