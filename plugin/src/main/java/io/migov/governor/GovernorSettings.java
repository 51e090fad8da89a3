// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

import io.migov.core.ControllerSettings;
import io.migov.core.ConvergenceSettings;
import io.migov.core.guard.GuardSettings;
import io.migov.core.policy.Policies;
import io.migov.core.policy.PolicySettings;

import java.util.Objects;

/**
 * The runtime-mutable tunables the governor reads fresh on every tick and every pass. Immutable:
 * a change is a new instance swapped in whole, so a tick never sees half a change.
 *
 * @param mode                        enforce | advise | off
 * @param lookAhead                   n, steps predicted at migration start (1..1000, default 5)
 * @param controller                  m, memory-intensive share, fallback max downtime
 * @param convergence                 noise margin, stall window, patience, completion passes
 * @param linkCapacityBitsPerSecond   capacity that net in/out percentages refer to (default 1 Gbit/s)
 * @param modelSyncIntervalSeconds    how often each VM's model is written to its domain metadata (default 30)
 * @param checkpointIntervalSeconds   how often each VM's model is checkpointed to the state dir (default 60)
 * @param policy                      the migration policy that steers new migrations ({@link Policies}; default migov)
 * @param kubevirtStallWindowSeconds  the kubevirt-stall policy's window, s (default 40)
 * @param writeSampling               how write intensity is measured (dirty-rate calculations)
 * @param storage                     storage-migration steering: interference model, hysteresis, PID, prefetch
 * @param guard                       the guard before any post-copy switch (KubeVirt's budget, migov's link health)
 * @param kubevirtCompletionTimeoutPerGiB the kubevirt-stall policy's budget per GB, s (default 150)
 */
public record GovernorSettings(Mode mode, int lookAhead, ControllerSettings controller, ConvergenceSettings convergence,
                               long linkCapacityBitsPerSecond, int modelSyncIntervalSeconds, int checkpointIntervalSeconds,
                               String policy, int kubevirtStallWindowSeconds, WriteSampling writeSampling,
                               StorageSettings storage, GuardSettings guard, int kubevirtCompletionTimeoutPerGiB) {

    public static final int DEFAULT_LOOK_AHEAD = 5;
    public static final long DEFAULT_LINK_CAPACITY_BITS_PER_SECOND = 1_000_000_000L;

    public static final GovernorSettings DEFAULTS = new GovernorSettings(Mode.ENFORCE, DEFAULT_LOOK_AHEAD,
            ControllerSettings.DEFAULTS, ConvergenceSettings.DEFAULTS, DEFAULT_LINK_CAPACITY_BITS_PER_SECOND, 30, 60, Policies.DEFAULT,
            PolicySettings.DEFAULT_KUBEVIRT_STALL_WINDOW_SECONDS, WriteSampling.DEFAULTS, StorageSettings.DEFAULTS, GuardSettings.DEFAULTS,
            PolicySettings.DEFAULT_KUBEVIRT_COMPLETION_TIMEOUT_PER_GIB);

    public GovernorSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(controller, "controller");
        Objects.requireNonNull(convergence, "convergence");
        Objects.requireNonNull(writeSampling, "writeSampling");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(guard, "guard");
        policy = Policies.canonical(policy);
        // validated by the record that uses it, so the message names the key
        new PolicySettings(controller, convergence, kubevirtStallWindowSeconds, kubevirtCompletionTimeoutPerGiB);
        if (lookAhead < 1 || lookAhead > 1000) {
            throw new IllegalArgumentException("lookAhead: expected 1..1000, got " + lookAhead);
        }
        if (linkCapacityBitsPerSecond < 1_000_000L || linkCapacityBitsPerSecond > 1_000_000_000_000L) {
            throw new IllegalArgumentException("linkCapacityBitsPerSecond: expected 1000000..1000000000000, got " + linkCapacityBitsPerSecond);
        }
        if (modelSyncIntervalSeconds < 1 || modelSyncIntervalSeconds > 86_400) {
            throw new IllegalArgumentException("modelSyncIntervalSeconds: expected 1..86400, got " + modelSyncIntervalSeconds);
        }
        if (checkpointIntervalSeconds < 1 || checkpointIntervalSeconds > 86_400) {
            throw new IllegalArgumentException("checkpointIntervalSeconds: expected 1..86400, got " + checkpointIntervalSeconds);
        }
    }

    /** Without storage steering's tunables: their defaults. */
    public GovernorSettings(Mode mode, int lookAhead, ControllerSettings controller, ConvergenceSettings convergence,
                            long linkCapacityBitsPerSecond, int modelSyncIntervalSeconds, int checkpointIntervalSeconds,
                            String policy, int kubevirtStallWindowSeconds, WriteSampling writeSampling) {
        this(mode, lookAhead, controller, convergence, linkCapacityBitsPerSecond, modelSyncIntervalSeconds, checkpointIntervalSeconds,
                policy, kubevirtStallWindowSeconds, writeSampling, StorageSettings.DEFAULTS, GuardSettings.DEFAULTS,
                PolicySettings.DEFAULT_KUBEVIRT_COMPLETION_TIMEOUT_PER_GIB);
    }

    /** Without the switch guard's tunables: their defaults. */
    public GovernorSettings(Mode mode, int lookAhead, ControllerSettings controller, ConvergenceSettings convergence,
                            long linkCapacityBitsPerSecond, int modelSyncIntervalSeconds, int checkpointIntervalSeconds,
                            String policy, int kubevirtStallWindowSeconds, WriteSampling writeSampling, StorageSettings storage) {
        this(mode, lookAhead, controller, convergence, linkCapacityBitsPerSecond, modelSyncIntervalSeconds, checkpointIntervalSeconds,
                policy, kubevirtStallWindowSeconds, writeSampling, storage, GuardSettings.DEFAULTS,
                PolicySettings.DEFAULT_KUBEVIRT_COMPLETION_TIMEOUT_PER_GIB);
    }

    public GovernorSettings withGuard(GuardSettings newGuard) {
        return new GovernorSettings(mode, lookAhead, controller, convergence, linkCapacityBitsPerSecond,
                modelSyncIntervalSeconds, checkpointIntervalSeconds, policy, kubevirtStallWindowSeconds, writeSampling, storage, newGuard, kubevirtCompletionTimeoutPerGiB);
    }

    public GovernorSettings withStorage(StorageSettings newStorage) {
        return new GovernorSettings(mode, lookAhead, controller, convergence, linkCapacityBitsPerSecond,
                modelSyncIntervalSeconds, checkpointIntervalSeconds, policy, kubevirtStallWindowSeconds, writeSampling, newStorage, guard, kubevirtCompletionTimeoutPerGiB);
    }

    public GovernorSettings withMode(Mode newMode) {
        return new GovernorSettings(newMode, lookAhead, controller, convergence, linkCapacityBitsPerSecond,
                modelSyncIntervalSeconds, checkpointIntervalSeconds, policy, kubevirtStallWindowSeconds, writeSampling, storage, guard, kubevirtCompletionTimeoutPerGiB);
    }

    public GovernorSettings withWriteSampling(WriteSampling newWriteSampling) {
        return new GovernorSettings(mode, lookAhead, controller, convergence, linkCapacityBitsPerSecond,
                modelSyncIntervalSeconds, checkpointIntervalSeconds, policy, kubevirtStallWindowSeconds, newWriteSampling, storage, guard, kubevirtCompletionTimeoutPerGiB);
    }

    public GovernorSettings withPolicy(String newPolicy, int newKubevirtStallWindowSeconds) {
        return new GovernorSettings(mode, lookAhead, controller, convergence, linkCapacityBitsPerSecond,
                modelSyncIntervalSeconds, checkpointIntervalSeconds, newPolicy, newKubevirtStallWindowSeconds, writeSampling, storage, guard, kubevirtCompletionTimeoutPerGiB);
    }

    public GovernorSettings withKubevirtCompletionTimeoutPerGiB(int secondsPerGiB) {
        return new GovernorSettings(mode, lookAhead, controller, convergence, linkCapacityBitsPerSecond,
                modelSyncIntervalSeconds, checkpointIntervalSeconds, policy, kubevirtStallWindowSeconds, writeSampling, storage, guard,
                secondsPerGiB);
    }

    /** What every policy is built from. */
    public PolicySettings policySettings() {
        return new PolicySettings(controller, convergence, kubevirtStallWindowSeconds, kubevirtCompletionTimeoutPerGiB);
    }
}
