// SPDX-License-Identifier: Apache-2.0
package io.migov.core.policy;

import io.migov.core.ControllerSettings;
import io.migov.core.ConvergenceSettings;

import java.util.Objects;

/**
 * The tunables every policy is built from (read fresh when a migration starts).
 *
 * @param controller                   m, memory-intensive share, fallback max downtime (migov, algorithm1)
 * @param convergence                  the convergence detector's settings (migov)
 * @param kubevirtStallWindowSeconds   kubevirt-stall: remaining bytes must make a new low within this
 *                                     many seconds, s (1..3600, default 40)
 * @param kubevirtCompletionTimeoutPerGiB kubevirt-stall: KubeVirt's {@code completionTimeoutPerGiB}, the migration's
 *                                     budget in s per GB of memory (decimal GB rounded up, as KubeVirt counts),
 *                                     s (1..86400, default 150)
 */
public record PolicySettings(ControllerSettings controller, ConvergenceSettings convergence, int kubevirtStallWindowSeconds,
                             int kubevirtCompletionTimeoutPerGiB) {

    public static final int DEFAULT_KUBEVIRT_STALL_WINDOW_SECONDS = 40;
    public static final int DEFAULT_KUBEVIRT_COMPLETION_TIMEOUT_PER_GIB = 150;
    public static final PolicySettings DEFAULTS =
            new PolicySettings(ControllerSettings.DEFAULTS, ConvergenceSettings.DEFAULTS, DEFAULT_KUBEVIRT_STALL_WINDOW_SECONDS);

    /** With KubeVirt's default completion timeout. */
    public PolicySettings(ControllerSettings controller, ConvergenceSettings convergence, int kubevirtStallWindowSeconds) {
        this(controller, convergence, kubevirtStallWindowSeconds, DEFAULT_KUBEVIRT_COMPLETION_TIMEOUT_PER_GIB);
    }

    public PolicySettings {
        Objects.requireNonNull(controller, "controller");
        Objects.requireNonNull(convergence, "convergence");
        if (kubevirtStallWindowSeconds < 1 || kubevirtStallWindowSeconds > 3600) {
            throw new IllegalArgumentException("kubevirtStallWindowSeconds: expected 1..3600, got " + kubevirtStallWindowSeconds);
        }
        if (kubevirtCompletionTimeoutPerGiB < 1 || kubevirtCompletionTimeoutPerGiB > 86_400) {
            throw new IllegalArgumentException("kubevirtCompletionTimeoutPerGiB: expected 1..86400, got " + kubevirtCompletionTimeoutPerGiB);
        }
    }
}
