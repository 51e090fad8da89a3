// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

/**
 * How the governor measures each VM's memory write intensity outside migrations: a short
 * page-sampling dirty-rate calculation per VM every {@code dirtyRateIntervalSeconds}, staggered
 * across VMs, expressed as a share of {@code migrationBandwidthBytesPerSecond}.
 *
 * @param dirtyRateIntervalSeconds          each VM is measured at most once per interval, s; 0 turns
 *                                          measuring off (write intensity stays 0). Default 10
 * @param dirtyRateCalcSeconds              length of one calculation, s (1..60, QEMU's range). Default 1
 * @param migrationBandwidthBytesPerSecond  the bandwidth write intensity refers to: 100 % means the guest
 *                                          dirties memory as fast as a migration sends it; 0 = the link
 *                                          capacity ({@code linkCapacityBitsPerSecond} / 8). Default 0
 */
public record WriteSampling(int dirtyRateIntervalSeconds, int dirtyRateCalcSeconds, long migrationBandwidthBytesPerSecond) {

    public static final WriteSampling DEFAULTS = new WriteSampling(10, 1, 0);

    public WriteSampling {
        if (dirtyRateIntervalSeconds < 0 || dirtyRateIntervalSeconds > 3600) {
            throw new IllegalArgumentException("dirtyRateIntervalSeconds: expected 0 (off) or 1..3600, got " + dirtyRateIntervalSeconds);
        }
        if (dirtyRateCalcSeconds < 1 || dirtyRateCalcSeconds > 60) {
            throw new IllegalArgumentException("dirtyRateCalcSeconds: expected 1..60, got " + dirtyRateCalcSeconds);
        }
        if (dirtyRateIntervalSeconds > 0 && dirtyRateCalcSeconds >= dirtyRateIntervalSeconds) {
            throw new IllegalArgumentException("dirtyRateCalcSeconds: expected less than dirtyRateIntervalSeconds ("
                    + dirtyRateIntervalSeconds + "), got " + dirtyRateCalcSeconds);
        }
        if (migrationBandwidthBytesPerSecond < 0 || migrationBandwidthBytesPerSecond > 1_000_000_000_000L) {
            throw new IllegalArgumentException("migrationBandwidthBytesPerSecond: expected 0 (the link capacity) or 1..1000000000000, got "
                    + migrationBandwidthBytesPerSecond);
        }
    }

    public boolean enabled() {
        return dirtyRateIntervalSeconds > 0;
    }

    /** The bandwidth write intensity refers to, bytes/s. */
    public double referenceBytesPerSecond(long linkCapacityBitsPerSecond) {
        return migrationBandwidthBytesPerSecond > 0 ? migrationBandwidthBytesPerSecond : linkCapacityBitsPerSecond / 8.0;
    }
}
