// SPDX-License-Identifier: Apache-2.0
package io.migov.sim;

import java.util.Objects;

/**
 * One migration of the bench, simulated or run on the lab: one line of the bench CSV
 * ({@link BenchCsv#HEADER}). Unknown numbers are -1 (counts, times) or NaN (ops, degradation).
 *
 * @param workload          workload name
 * @param policy            policy name (canonical, e.g. {@code hybrid(4)})
 * @param rep               repetition, from 1
 * @param outcome           completed | aborted (by the policy) | timeout (by the bench) | failed | …
 * @param completed         the VM arrived on the destination
 * @param totalTimeMs       total migration time, ms
 * @param downtimeMs        downtime, ms
 * @param bytesSent         bytes sent, pre-copy and post-copy
 * @param passes            pre-copy passes (QEMU's iteration count, its final sync included)
 * @param postcopyRequests  post-copy page requests
 * @param action            the last action carried out (none, switch_to_postcopy, raise_downtime, abort)
 * @param actionIteration   the pass it was decided at (-1 none, 0 before the first pass)
 * @param integrityFailures pages found corrupt after the migration (lab only)
 * @param opsBefore         the workload's operations per second without a migration (lab: the last 10 s before it)
 * @param opsDuring         its operations per second during the migration
 * @param degradation       opsDuring ÷ opsBefore (1 = unharmed)
 * @param reason            why the action (or why none)
 */
public record BenchRow(String workload, String policy, int rep, String outcome, boolean completed, long totalTimeMs, long downtimeMs,
                       long bytesSent, int passes, long postcopyRequests, String action, int actionIteration, long integrityFailures,
                       double opsBefore, double opsDuring, double degradation, String reason) {

    public BenchRow {
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(policy, "policy");
        outcome = outcome == null ? "" : outcome;
        action = action == null || action.isEmpty() ? "none" : action;
        reason = reason == null ? "" : reason;
    }
}
