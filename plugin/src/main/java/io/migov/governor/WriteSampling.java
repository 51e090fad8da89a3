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
 * @param dirtyRateMaxCalcsPerSecond        host-wide cap on the calculations started per second, whatever the
 *                                          VM count: one costs ≈ 7 ms of CPU (QEMU, libvirtd, migov;
 *                                          docs/evaluation/overhead.md), so 1/s bounds write sampling near
 *                                          0.7 % of a core on any host; with more than cap × interval VMs,
 *                                          each VM is measured less often than the interval. Default 1
 */
public record WriteSampling(int dirtyRateIntervalSeconds, int dirtyRateCalcSeconds, long migrationBandwidthBytesPerSecond,
                            double dirtyRateMaxCalcsPerSecond) {

    public static final double DEFAULT_MAX_CALCS_PER_SECOND = 1.0;
    public static final WriteSampling DEFAULTS = new WriteSampling(10, 1, 0);

    /** With the default cap on calculations per second. */
    public WriteSampling(int dirtyRateIntervalSeconds, int dirtyRateCalcSeconds, long migrationBandwidthBytesPerSecond) {
        this(dirtyRateIntervalSeconds, dirtyRateCalcSeconds, migrationBandwidthBytesPerSecond, DEFAULT_MAX_CALCS_PER_SECOND);
    }

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
        if (!(dirtyRateMaxCalcsPerSecond >= 0.01 && dirtyRateMaxCalcsPerSecond <= 1000)) {
            throw new IllegalArgumentException("dirtyRateMaxCalcsPerSecond: expected 0.01..1000, got " + dirtyRateMaxCalcsPerSecond);
        }
        if (migrationBandwidthBytesPerSecond < 0 || migrationBandwidthBytesPerSecond > 1_000_000_000_000L) {
            throw new IllegalArgumentException("migrationBandwidthBytesPerSecond: expected 0 (the link capacity) or 1..1000000000000, got "
                    + migrationBandwidthBytesPerSecond);
        }
    }

    public boolean enabled() {
        return dirtyRateIntervalSeconds > 0;
    }

    public WriteSampling withMaxCalcsPerSecond(double calcsPerSecond) {
        return new WriteSampling(dirtyRateIntervalSeconds, dirtyRateCalcSeconds, migrationBandwidthBytesPerSecond, calcsPerSecond);
    }

    /** The bandwidth write intensity refers to, bytes/s. */
    public double referenceBytesPerSecond(long linkCapacityBitsPerSecond) {
        return migrationBandwidthBytesPerSecond > 0 ? migrationBandwidthBytesPerSecond : linkCapacityBitsPerSecond / 8.0;
    }
}
