// SPDX-License-Identifier: Apache-2.0
package io.migov.core.policy;

import io.migov.core.Behaviour;
import io.migov.core.Decision;
import io.migov.core.Strategy;

/** Contexts and observations the policy specs share. */
final class PolicyFixtures {
    static final long MIB = 1L << 20;
    static final double BANDWIDTH = 100.0 * MIB;

    private PolicyFixtures() {
    }

    static MigrationContext context(Strategy strategy, double memoryShare) {
        return context(strategy, memoryShare, true);
    }

    static MigrationContext context(Strategy strategy, double memoryShare, boolean postCopyPermitted) {
        return new MigrationContext(new Decision(72, strategy, "test decision"), new Behaviour(5, memoryShare, 0, 0),
                postCopyPermitted, 512 * MIB, BANDWIDTH, 300);
    }

    /** A pass boundary: pass {@code iteration} begins with {@code remainingMiB} left. */
    static Observation pass(int iteration, double dirtyPagesPerSecond, long remainingMiB) {
        return new Observation(iteration * 2300L, iteration, dirtyPagesPerSecond, remainingMiB * MIB, BANDWIDTH, true);
    }

    /** A poll within a pass already seen. */
    static Observation poll(long elapsedMillis, int iteration, long remainingMiB) {
        return new Observation(elapsedMillis, iteration, Double.NaN, remainingMiB * MIB, BANDWIDTH, false);
    }
}
