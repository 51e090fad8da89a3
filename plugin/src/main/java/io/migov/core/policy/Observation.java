// SPDX-License-Identifier: Apache-2.0
package io.migov.core.policy;

import io.migov.core.IterationRecord;

/**
 * One look at a running migration: at a pre-copy pass boundary ({@code newPass}), or a poll between
 * passes. Time is the migration's own elapsed time, so policies never read a clock.
 *
 * @param elapsedMillis               time since the migration started, ms
 * @param iteration                   the pre-copy pass under way (1 = the first, which sends all of
 *                                    memory); 0 before the first pass is announced
 * @param dirtyRatePagesPerSecond     the guest's dirty rate measured over the last pass; NaN while unknown
 * @param remainingBytes              memory still to send, bytes
 * @param transferRateBytesPerSecond  the measured transfer rate, bytes/s; 0 when unknown
 * @param newPass                     true for the first observation of {@code iteration} (the pass
 *                                    boundary), false for a poll within a pass already observed
 */
public record Observation(long elapsedMillis, int iteration, double dirtyRatePagesPerSecond, long remainingBytes,
                          double transferRateBytesPerSecond, boolean newPass) {

    public Observation {
        if (elapsedMillis < 0) {
            throw new IllegalArgumentException("elapsedMillis: expected ≥ 0, got " + elapsedMillis);
        }
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration: expected ≥ 0, got " + iteration);
        }
        IterationRecord.requireValidNumbers(dirtyRatePagesPerSecond, remainingBytes, transferRateBytesPerSecond);
    }

    /** The pass as the convergence detector sees it; only meaningful once a pass is under way. */
    public IterationRecord toIterationRecord() {
        return new IterationRecord(Math.max(1, iteration), dirtyRatePagesPerSecond, remainingBytes, transferRateBytesPerSecond);
    }

    public boolean dirtyRateKnown() {
        return !Double.isNaN(dirtyRatePagesPerSecond);
    }
}
