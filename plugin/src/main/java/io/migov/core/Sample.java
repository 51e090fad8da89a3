package io.migov.core;

/**
 * One per-second measurement of a VM, every value a percentage of capacity in [0, 100].
 * Construction validates, so a {@code Sample} that exists is always usable.
 */
public record Sample(double cpuPercent, double memoryPercent, double netInPercent, double netOutPercent) {

    public Sample {
        requirePercent(Resource.CPU, cpuPercent);
        requirePercent(Resource.MEMORY, memoryPercent);
        requirePercent(Resource.NET_IN, netInPercent);
        requirePercent(Resource.NET_OUT, netOutPercent);
    }

    public double percent(Resource resource) {
        return switch (resource) {
            case CPU -> cpuPercent;
            case MEMORY -> memoryPercent;
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
