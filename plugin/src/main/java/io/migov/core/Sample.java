// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

/**
 * One per-second measurement of a VM, every value a percentage of capacity in [0, 100].
 * Construction validates, so a {@code Sample} that exists is always usable.
 *
 * @param writePercent memory write intensity: the last measured dirty-page rate as a share of the
 *                     migration bandwidth (see {@link Resource#WRITE}); 0 where it is not measured
 */
public record Sample(double cpuPercent, double memoryPercent, double writePercent, double netInPercent, double netOutPercent) {

    public Sample {
        requirePercent(Resource.CPU, cpuPercent);
        requirePercent(Resource.MEMORY, memoryPercent);
        requirePercent(Resource.WRITE, writePercent);
        requirePercent(Resource.NET_IN, netInPercent);
        requirePercent(Resource.NET_OUT, netOutPercent);
    }

    /** The research's four resources; write intensity not measured (0). */
    public Sample(double cpuPercent, double memoryPercent, double netInPercent, double netOutPercent) {
        this(cpuPercent, memoryPercent, 0.0, netInPercent, netOutPercent);
    }

    /**
     * The definition of write intensity, for the daemon and the simulator alike: dirty bytes/s as a
     * share of the migration bandwidth, in percent, capped at 100; 0 when either is unknown or zero.
     */
    public static double writeIntensityPercent(double dirtyBytesPerSecond, double migrationBandwidthBytesPerSecond) {
        if (!(dirtyBytesPerSecond > 0) || !(migrationBandwidthBytesPerSecond > 0)) {
            return 0.0;
        }
        return Math.min(100.0, dirtyBytesPerSecond / migrationBandwidthBytesPerSecond * 100.0);
    }

    public double percent(Resource resource) {
        return switch (resource) {
            case CPU -> cpuPercent;
            case MEMORY -> memoryPercent;
            case WRITE -> writePercent;
            case NET_IN -> netInPercent;
            case NET_OUT -> netOutPercent;
        };
    }

    static void requirePercent(Resource resource, double value) {
        if (Double.isNaN(value) || value < 0.0 || value > 100.0) {
            throw new IllegalArgumentException(resource.fieldName() + ": expected a percentage in [0, 100], got " + value);
        }
    }
}
