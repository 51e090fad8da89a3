// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

/** How a migration should run, chosen from the VM's current workload state. */
public enum Strategy {
    /** Vanilla pre-copy; switch only if the look-ahead says memory-intensive and pre-copy stalls. */
    PRE_COPY,
    /** Switch to post-copy as soon as the migration is seen. */
    POST_COPY,
    /** Pre-copy first, switch to post-copy after m iterations or at the convergence point. */
    HYBRID
}
