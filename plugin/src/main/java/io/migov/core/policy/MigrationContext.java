// SPDX-License-Identifier: Apache-2.0
package io.migov.core.policy;

import io.migov.core.Behaviour;
import io.migov.core.Decision;

import java.util.Objects;

/**
 * What a {@link MigrationPolicy} knows when a migration is first seen.
 *
 * @param decision                 the strategy for the VM's current state, and why
 * @param behaviour                the look-ahead: expected shares of the next n steps
 * @param postCopyPermitted        whether the migration may be switched to post-copy. libvirt does
 *                                 not say; the daemon assumes true and withdraws it when libvirt
 *                                 refuses a switch ({@link MigrationPolicy#postCopyRefused})
 * @param memoryBytes              guest memory to migrate, bytes; 0 when unknown
 * @param bandwidthBytesPerSecond  the migration's bandwidth cap or, when unknown, 0
 * @param allowedDowntimeMillis    the migration's maximum downtime when it was seen, ms (≥ 1)
 */
public record MigrationContext(Decision decision, Behaviour behaviour, boolean postCopyPermitted, long memoryBytes,
                               double bandwidthBytesPerSecond, long allowedDowntimeMillis) {

    public MigrationContext {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(behaviour, "behaviour");
        if (memoryBytes < 0) {
            throw new IllegalArgumentException("memoryBytes: expected ≥ 0, got " + memoryBytes);
        }
        if (!(bandwidthBytesPerSecond >= 0) || Double.isInfinite(bandwidthBytesPerSecond)) {
            throw new IllegalArgumentException("bandwidthBytesPerSecond: expected a finite value ≥ 0, got " + bandwidthBytesPerSecond);
        }
        if (allowedDowntimeMillis < 1) {
            throw new IllegalArgumentException("allowedDowntimeMillis: expected ≥ 1, got " + allowedDowntimeMillis);
        }
    }
}
