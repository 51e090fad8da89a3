// SPDX-License-Identifier: Apache-2.0
package io.migov.core.guard;

/**
 * The guard before a post-copy switch (issue 12): KubeVirt's budget and migov's link-health check.
 *
 * @param enabled              false: every switch goes as the policy decides (for bench comparisons)
 * @param secondsPerGiB        KubeVirt's {@code completionTimeoutPerGiB}: the migration's budget per GiB of
 *                             memory to move, s (default 150)
 * @param budgetFactor         the switch is held when the remaining transfer cannot finish within this many
 *                             budgets from the migration's start (default 2, KubeVirt's)
 * @param stallMillis          no byte sent for this long means the link looks unhealthy, ms (default 3000)
 * @param collapseShare        a transfer rate below this share of the recent median, in two readings in a row,
 *                             means the link looks unhealthy (default 0.1)
 */
public record GuardSettings(boolean enabled, int secondsPerGiB, double budgetFactor, long stallMillis, double collapseShare) {

    public static final GuardSettings DEFAULTS = new GuardSettings(true, 150, 2.0, 3000, 0.1);

    public GuardSettings {
        if (secondsPerGiB < 1 || secondsPerGiB > 86_400) {
            throw new IllegalArgumentException("postcopyGuardSecondsPerGiB: expected 1..86400, got " + secondsPerGiB);
        }
        if (!(budgetFactor >= 1 && budgetFactor <= 100)) {
            throw new IllegalArgumentException("postcopyGuardBudgetFactor: expected 1..100, got " + budgetFactor);
        }
        if (stallMillis < 1000 || stallMillis > 600_000) {
            throw new IllegalArgumentException("postcopyGuardStallMillis: expected 1000..600000, got " + stallMillis);
        }
        if (!(collapseShare > 0 && collapseShare < 1)) {
            throw new IllegalArgumentException("postcopyGuardCollapseShare: expected a fraction in (0, 1), got " + collapseShare);
        }
    }

    public GuardSettings withEnabled(boolean on) {
        return new GuardSettings(on, secondsPerGiB, budgetFactor, stallMillis, collapseShare);
    }
}
