// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

import io.migov.core.Action;
import io.migov.core.Assessment;
import io.migov.core.policy.Observation;

/**
 * An outgoing migration as operators see it while it runs (MBeans, CLI): point in time, immutable.
 *
 * @param startEpochMillis            when the job started (libvirt's elapsed time subtracted), epoch ms
 * @param elapsedMillis               now − start, ms
 * @param mode                        the governor's mode when the migration was seen
 * @param policy                      the policy steering it
 * @param stateAtStart                workload state at detection (-1 if unknown)
 * @param strategy                    PRE_COPY | POST_COPY | HYBRID, from the state at detection
 * @param strategyReason              why that strategy
 * @param lookAhead                   n used for the prediction
 * @param predictedMemoryShare        look-ahead's expected memory-intensive share, 0..1
 * @param iteration                   the last pre-copy pass seen (0 before the first)
 * @param dirtyRatePagesPerSecond     libvirt's dirty rate at that pass, pages/s; NaN while unknown
 * @param remainingBytes              memory still to send at that pass, bytes
 * @param transferRateBytesPerSecond  transfer rate at that pass, bytes/s
 * @param verdict                     the convergence detector's verdict, "" before the first pass
 * @param allowedDowntimeMillis       the migration's max downtime when it was seen, ms
 * @param plannedAction               what the policy will do next
 * @param advisedAction               none | switch_to_postcopy | raise_downtime | abort: what it decided last
 * @param takenAction                 none | switch_to_postcopy | raise_downtime | abort: what was carried out last
 * @param steeringPaused              steering is paused: nothing will be carried out
 * @param switchHeldBy                why the guard before the post-copy switch holds a switch the policy decided; "" when none
 */
public record MigrationView(String uuid, String vm, long startEpochMillis, long elapsedMillis, String mode, String policy, int stateAtStart,
                            String strategy, String strategyReason, int lookAhead, double predictedMemoryShare, int iteration,
                            double dirtyRatePagesPerSecond, long remainingBytes, double transferRateBytesPerSecond, String verdict,
                            long allowedDowntimeMillis, String plannedAction, String advisedAction, String takenAction,
                            boolean steeringPaused, String switchHeldBy) {

    static MigrationView of(String uuid, String vm, MigrationWatch w, long nowEpochMillis, boolean paused) {
        Observation r = w.lastObservation;
        Assessment a = w.detector.last();
        return new MigrationView(uuid, vm, w.startEpochMillis, Math.max(0, nowEpochMillis - w.startEpochMillis), w.mode.configName(),
                w.policy.name(),
                w.stateAtStart, w.decision.strategy().name(), w.decision.reason(), w.lookAhead, w.behaviour.memoryIntensiveShare(),
                w.lastIteration, r == null ? Double.NaN : r.dirtyRatePagesPerSecond(), r == null ? -1 : r.remainingBytes(),
                r == null ? Double.NaN : r.transferRateBytesPerSecond(), a == null ? "" : a.verdict().name(),
                w.detector.allowedDowntimeMillis(), w.policy.plan(), name(w.advised), name(w.taken), paused,
                w.heldSwitch == null ? "" : w.holdReason);
    }

    private static String name(Action a) {
        return a == null ? "none" : a.kind().recordName();
    }
}
