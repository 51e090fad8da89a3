// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon;

/**
 * What the scheduled jobs drive: the governor in the daemon ({@code Daemon} adapts it), a fake in
 * tests. Each method is called from one job at a time.
 */
public interface ScheduledWork {

    /** The per-second profiler tick. */
    void tick();

    /** Writes models whose sync or checkpoint interval has elapsed. */
    void persistModels();

    /**
     * Starts and collects dirty-rate calculations (write intensity). Beside persistence, off the
     * profiler tick: a libvirt call that races a starting migration may wait for its job lock.
     */
    void measureWriteIntensity();

    /** One profiler tick that did not run because the previous one overran. */
    void recordMissedTick();
}
