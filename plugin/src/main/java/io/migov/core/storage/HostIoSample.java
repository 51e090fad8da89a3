// SPDX-License-Identifier: Apache-2.0
package io.migov.core.storage;

/**
 * One second of I/O on the device backing the VM disks, as the interference classifier sees it.
 * Construction validates, so a sample that exists is physically possible.
 *
 * @param iops                     reads + writes completed per second
 * @param ioTicksMillisPerSecond   milliseconds the device had I/O in flight, per second (0..1000)
 * @param throughputBytesPerSecond bytes read + written per second
 * @param utilPercent              share of wall time the device was busy (0..100)
 */
public record HostIoSample(double iops, double ioTicksMillisPerSecond, double throughputBytesPerSecond, double utilPercent) {

    /** A device cannot be busy for longer than the second that passed. */
    public static final double MAX_IO_TICKS_MILLIS_PER_SECOND = 1000.0;

    public static final HostIoSample IDLE = new HostIoSample(0, 0, 0, 0);

    public HostIoSample {
        requireRate("iops", iops);
        requireRange("ioTicksMillisPerSecond", ioTicksMillisPerSecond, MAX_IO_TICKS_MILLIS_PER_SECOND);
        requireRate("throughputBytesPerSecond", throughputBytesPerSecond);
        requireRange("utilPercent", utilPercent, 100.0);
    }

    private static void requireRate(String field, double value) {
        if (!(value >= 0) || value == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(field + ": expected a finite value ≥ 0, got " + value);
        }
    }

    private static void requireRange(String field, double value, double max) {
        if (!(value >= 0 && value <= max)) {
            throw new IllegalArgumentException(field + ": expected [0, " + format(max) + "], got " + value);
        }
    }

    private static String format(double max) {
        return max == Math.rint(max) ? Long.toString((long) max) : Double.toString(max);
    }
}
