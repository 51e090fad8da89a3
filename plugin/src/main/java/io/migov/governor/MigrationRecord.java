// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * One finished migration as written to {@code migrations.jsonl} (keys in snake_case: {@code vm},
 * {@code uuid}, {@code strategy}, {@code action}, {@code action_iteration}, {@code reason},
 * {@code completed}, {@code total_time_ms}, {@code downtime_ms}, {@code iterations},
 * {@code postcopy_requests}, …). Times are epoch milliseconds; -1 where libvirt did not say.
 *
 * @param vm                   domain name
 * @param uuid                 domain UUID
 * @param host                 the connection URI of the source host
 * @param mode                 governor mode while it ran (enforce, advise, off)
 * @param policy               the policy that steered it ({@code policy} key: migov, hybrid(4), nova, …)
 * @param startEpochMillis     when the governor first saw the job
 * @param endEpochMillis       when the job ended
 * @param outcome              how it ended, in the one vocabulary of {@link MigrationOutcome}
 * @param completed            the VM arrived on the destination: {@code outcome} is completed
 * @param totalTimeMs          libvirt's {@code time_elapsed} of the finished job
 * @param downtimeMs           libvirt's {@code downtime} of the finished job
 * @param bytesTransferred     {@code data_processed} (else {@code memory_processed})
 * @param iterations           the last {@code memory_iteration} seen
 * @param stateAtStart         workload state index at detection (-1 if unknown)
 * @param strategy             PRE_COPY | POST_COPY | HYBRID (or "none" when the mode is off)
 * @param strategyReason       why that strategy
 * @param predictedMemoryShare look-ahead's expected memory-intensive share
 * @param predictedNetOutShare look-ahead's expected net-out-intensive share
 * @param predictedNetInShare  look-ahead's expected net-in-intensive share
 * @param lookAhead            n used for the prediction
 * @param action               none | switch_to_postcopy | raise_downtime | abort: the last action carried out
 * @param actionIteration      the pass it was done at (-1 when none; 0 = before the first pass): {@link #atPass(int)} words it
 * @param reason               why (the action's reason, or why nothing was done)
 * @param advisedAction        what the controller decided, even when the mode kept it from acting
 * @param downtimeLimitMs      the max downtime set by raise_downtime (-1 when none)
 * @param postcopyConfirmed    post-copy actually ran (lifecycle event or page requests), not just requested
 * @param postcopyRequests     libvirt's {@code memory_postcopy_requests}
 * @param error                libvirt's error message for a failed job, or a failed action; for a VM that left the source during
 *                             the migration and is not recorded completed, why first ("stopped on the source (destroyed) during
 *                             the migration"); null if none
 * @param passes               the per-pass records the decisions were taken on
 * @param actions              every action carried out, in order (a policy may act more than once: nova's downtime steps)
 * @param model                the VM's signal and its model's track record when the migration was seen
 * @param storage              storage steering of the disk copy (issue 11); null, and absent from the JSON, unless the
 *                             migration copied disks while the daemon collected host I/O ({@code storageDevice})
 * @param migrationId          a random id given when migov first saw the migration, kept across daemon restarts (its
 *                             journal's); what tells a record written twice from two migrations. Null (absent) in
 *                             records of daemons before it
 * @param readopted            a daemon restarted during the migration took it up from its journal: the passes and
 *                             actions before the restart are the killed daemon's, replayed, none carried out again
 * @param passesMissed         passes that began and ended while no daemon was watching (not invented: absent from
 *                             {@code passes})
 * @param switchGuard          how long the guard before the post-copy switch held a switch the policy decided; null, and
 *                             absent from the JSON, when it never held one
 */
public record MigrationRecord(String vm, String uuid, String host, String mode, String policy, long startEpochMillis, long endEpochMillis,
                              MigrationOutcome outcome, boolean completed, long totalTimeMs, long downtimeMs, long bytesTransferred,
                              int iterations, int stateAtStart, String strategy, String strategyReason,
                              double predictedMemoryShare, double predictedNetOutShare, double predictedNetInShare, int lookAhead,
                              String action, int actionIteration, String reason, String advisedAction, long downtimeLimitMs,
                              boolean postcopyConfirmed, long postcopyRequests, String error, List<Pass> passes,
                              List<TakenAction> actions, ModelAtStart model,
                              @JsonInclude(JsonInclude.Include.NON_NULL) Storage storage,
                              @JsonInclude(JsonInclude.Include.NON_NULL) String migrationId, boolean readopted, int passesMissed,
                              @JsonInclude(JsonInclude.Include.NON_NULL) SwitchGuard switchGuard) {

    public MigrationRecord {
        outcome = outcome == null ? MigrationOutcome.UNKNOWN : outcome;
        passes = List.copyOf(passes);
        actions = List.copyOf(actions);
    }

    /** A migration without storage steering. */
    public MigrationRecord(String vm, String uuid, String host, String mode, String policy, long startEpochMillis, long endEpochMillis,
                           MigrationOutcome outcome, boolean completed, long totalTimeMs, long downtimeMs, long bytesTransferred,
                           int iterations, int stateAtStart, String strategy, String strategyReason,
                           double predictedMemoryShare, double predictedNetOutShare, double predictedNetInShare, int lookAhead,
                           String action, int actionIteration, String reason, String advisedAction, long downtimeLimitMs,
                           boolean postcopyConfirmed, long postcopyRequests, String error, List<Pass> passes,
                           List<TakenAction> actions, ModelAtStart model) {
        this(vm, uuid, host, mode, policy, startEpochMillis, endEpochMillis, outcome, completed, totalTimeMs, downtimeMs, bytesTransferred,
                iterations, stateAtStart, strategy, strategyReason, predictedMemoryShare, predictedNetOutShare, predictedNetInShare,
                lookAhead, action, actionIteration, reason, advisedAction, downtimeLimitMs, postcopyConfirmed, postcopyRequests, error,
                passes, actions, model, null, null, false, 0, null);
    }

    /** This record with the storage steering of its disk copy. */
    public MigrationRecord withStorage(Storage newStorage) {
        return new MigrationRecord(vm, uuid, host, mode, policy, startEpochMillis, endEpochMillis, outcome, completed, totalTimeMs,
                downtimeMs, bytesTransferred, iterations, stateAtStart, strategy, strategyReason, predictedMemoryShare,
                predictedNetOutShare, predictedNetInShare, lookAhead, action, actionIteration, reason, advisedAction, downtimeLimitMs,
                postcopyConfirmed, postcopyRequests, error, passes, actions, model, newStorage, migrationId, readopted, passesMissed,
                switchGuard);
    }

    /** This record with its journal's id, and whether a restarted daemon took it up. */
    public MigrationRecord withJournal(String newMigrationId, boolean newReadopted, int newPassesMissed) {
        return new MigrationRecord(vm, uuid, host, mode, policy, startEpochMillis, endEpochMillis, outcome, completed, totalTimeMs,
                downtimeMs, bytesTransferred, iterations, stateAtStart, strategy, strategyReason, predictedMemoryShare,
                predictedNetOutShare, predictedNetInShare, lookAhead, action, actionIteration, reason, advisedAction, downtimeLimitMs,
                postcopyConfirmed, postcopyRequests, error, passes, actions, model, storage, newMigrationId, newReadopted, newPassesMissed,
                switchGuard);
    }

    /** This record with what the guard before the post-copy switch held. */
    public MigrationRecord withSwitchGuard(SwitchGuard newSwitchGuard) {
        return new MigrationRecord(vm, uuid, host, mode, policy, startEpochMillis, endEpochMillis, outcome, completed, totalTimeMs,
                downtimeMs, bytesTransferred, iterations, stateAtStart, strategy, strategyReason, predictedMemoryShare,
                predictedNetOutShare, predictedNetInShare, lookAhead, action, actionIteration, reason, advisedAction, downtimeLimitMs,
                postcopyConfirmed, postcopyRequests, error, passes, actions, model, storage, migrationId, readopted, passesMissed,
                newSwitchGuard);
    }

    /**
     * The guard before the post-copy switch held a switch (keys {@code switch_guard.held_ms}, …).
     *
     * @param heldMs         migration time the switch waited for the guard, ms (until the migration ended, if it never went)
     * @param holds          times a switch was held (a held switch released and decided again counts again)
     * @param lastReason     why it was last held
     * @param heldAtEnd      the migration ended with the switch still held
     */
    public record SwitchGuard(long heldMs, int holds, String lastReason, boolean heldAtEnd) {
    }

    /**
     * How storage steering ran the disk copy of a migration with non-shared storage (keys
     * {@code storage.device}, {@code storage.disk_total_bytes}, …).
     *
     * @param device                   the host block device whose I/O was classified
     * @param diskTotalBytes           libvirt's {@code disk_total} when last seen, bytes
     * @param diskRemainingBytes       libvirt's {@code disk_remaining} when last seen, bytes
     * @param steps                    control steps taken (one per second with a host I/O sample)
     * @param interferenceSeconds      steps with the hysteresis "on"
     * @param meanProbability          mean interference probability over the steps (null: no step)
     * @param maxProbability           highest interference probability (null: no step)
     * @param lastSpeedBytesPerSecond  the PID's last copy speed, bytes/s (-1: none)
     * @param minSpeedBytesPerSecond   the PID's lowest copy speed, bytes/s (-1: none)
     * @param speedSets                copy-speed changes carried out on libvirt
     * @param prefetchedBytes          bytes read into the page cache ahead of the copy
     * @param lever                    applied | advise (mode or pause kept it from acting) | refused: libvirt's reason
     *                                 | no block job (nothing to set the speed of)
     * @param bufferedSeconds          steps whose copy speed was above the PID's because the bytes to copy were
     *                                 already prefetched
     * @param series                   one point per step (thinned to every 2nd, 4th, … step past
     *                                 {@link StorageSeries#MAX_POINTS} points), for the per-migration plot
     */
    public record Storage(String device, long diskTotalBytes, long diskRemainingBytes, int steps, int interferenceSeconds,
                          Double meanProbability, Double maxProbability, long lastSpeedBytesPerSecond, long minSpeedBytesPerSecond,
                          int speedSets, long prefetchedBytes, String lever, int bufferedSeconds, List<StoragePoint> series) {
        public Storage {
            series = series == null ? List.of() : List.copyOf(series);
        }
    }

    /**
     * One storage-steering step (key {@code storage.series[]}).
     *
     * @param second                       seconds since steering of this migration began
     * @param probability                  the interference probability
     * @param interference                 the hysteresis state
     * @param speedBytesPerSecond          the copy speed set (or advised), bytes/s
     * @param pidBytesPerSecond            the interference-PID's speed, bytes/s
     * @param hostIops                     the device's completed I/O per second
     * @param hostThroughputBytesPerSecond the device's throughput, bytes/s
     * @param copyBytesPerSecond           the disk copy's measured rate (Δ disk_processed), bytes/s (-1: unknown)
     * @param othersBytesPerSecond         the device's throughput minus the copy's rate: the co-located
     *                                     workloads' I/O as far as the host can tell, bytes/s (-1: unknown)
     * @param diskRemainingBytes           libvirt's disk_remaining, bytes
     * @param prefetchedBytes              bytes prefetched so far
     */
    public record StoragePoint(double second, double probability, boolean interference, long speedBytesPerSecond, long pidBytesPerSecond,
                               double hostIops, double hostThroughputBytesPerSecond, long copyBytesPerSecond, long othersBytesPerSecond,
                               long diskRemainingBytes, long prefetchedBytes) {
    }

    /**
     * The pass an action was decided at, as every view words it: "before pass 1" for 0 (no pass had
     * begun: "pass 0" would name a pass that never existed), "pass N", "-" for none (-1).
     */
    public static String atPass(int iteration) {
        return iteration < 0 ? "-" : iteration == 0 ? "before pass 1" : "pass " + iteration;
    }

    /** The same in a sentence: "before pass 1", "at pass N" ("at no pass" for -1). */
    public static String atPassPhrase(int iteration) {
        return iteration < 0 ? "at no pass" : iteration == 0 ? "before pass 1" : "at pass " + iteration;
    }

    /**
     * The VM's write intensity and how its model's predictions fared, when the migration was seen: the
     * prediction behind the decision and the model's hit rate against persistence, so a record shows
     * whether the model earned its place on that VM.
     *
     * @param writePercent            last measured write intensity, % of the migration bandwidth
     * @param dirtyRateBytesPerSecond last measured dirty rate, bytes/s (-1 never measured)
     * @param predictedState          the state predicted for lookAhead steps ahead (-1 none)
     * @param lastPredictedState      the last prediction that came due: what it said (-1 none)
     * @param lastRealisedState       … and the state that was realised (-1 none)
     * @param predictionsScored       predictions in the rolling window
     * @param predictionHitRate       their hit rate (null before the first)
     * @param persistenceHitRate      persistence's hit rate on the same ticks (null before the first)
     */
    public record ModelAtStart(double writePercent, long dirtyRateBytesPerSecond, int predictedState, int lastPredictedState,
                               int lastRealisedState, int predictionsScored, Double predictionHitRate, Double persistenceHitRate) {
        public static final ModelAtStart NONE = new ModelAtStart(0, -1, -1, -1, -1, 0, null, null);
    }

    /**
     * One action carried out on the migration.
     *
     * @param action          switch_to_postcopy | raise_downtime | abort
     * @param iteration       the pass it was decided at (0 = before the first pass)
     * @param elapsedMillis   the migration's elapsed time when it was carried out, ms (-1 unknown)
     * @param downtimeMillis  the max downtime set by raise_downtime, else -1
     * @param reason          the policy's reason
     */
    public record TakenAction(String action, int iteration, long elapsedMillis, long downtimeMillis, String reason) {
    }

    /**
     * One pre-copy pass as libvirt reported it when the pass began.
     *
     * @param dirtyRatePagesPerSecond null while libvirt does not know it yet
     */
    public record Pass(int iteration, long elapsedMillis, Double dirtyRatePagesPerSecond, long remainingBytes,
                       double transferRateBytesPerSecond, String verdict) {
    }
}
