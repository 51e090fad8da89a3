// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

/**
 * Expected share of the next {@code lookAhead} steps spent in each workload class (each share in
 * [0, 1]; the classes are defined in {@link StateTraits}).
 */
public record Behaviour(int lookAhead, double memoryIntensiveShare, double netOutIntensiveShare, double netInIntensiveShare) {

    /** Default share above which the look-ahead counts as memory-intensive. */
    public static final double DEFAULT_MEMORY_INTENSIVE_SHARE = 0.5;

    /** Memory-intensive when the expected share of memory-intensive steps is at least {@code threshold}. */
    public boolean isMemoryIntensive(double threshold) {
        return memoryIntensiveShare >= threshold;
    }

    public boolean isMemoryIntensive() {
        return isMemoryIntensive(DEFAULT_MEMORY_INTENSIVE_SHARE);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "next %d steps: memory-intensive %.0f%%, net-out %.0f%%, net-in %.0f%%",
                lookAhead, memoryIntensiveShare * 100, netOutIntensiveShare * 100, netInIntensiveShare * 100);
    }
}
