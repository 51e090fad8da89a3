// SPDX-License-Identifier: Apache-2.0
package io.migov.port;

/**
 * Events from the hypervisor. Called on the adapter's event thread: implementations hand the work
 * to their own thread and return at once, never calling back into libvirt from here.
 */
public interface HypervisorListener {

    /** libvirt's MIGRATION_ITERATION event: the source started pre-copy pass {@code iteration}. */
    default void onMigrationIteration(String uuid, int iteration) {
    }

    /** libvirt's JOB_COMPLETED event with the job's final statistics. */
    default void onJobCompleted(String uuid, JobStats finalStats) {
    }

    /** Lifecycle change (e.g. SUSPENDED/POSTCOPY, STOPPED/MIGRATED, STARTED/MIGRATED), by libvirt's numbers. */
    default void onLifecycle(String uuid, int event, int detail) {
    }

    /** The connection was lost; the adapter reconnects with backoff. */
    default void onConnectionLost(String reason) {
    }

    /** The connection is back and events are registered again. */
    default void onConnectionRestored() {
    }
}
