// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

import io.migov.core.Decision;
import io.migov.core.DecisionCore;

/**
 * A VM as operators see it (MBeans, CLI): point in time, immutable.
 *
 * @param state            current state index, -1 before the first sample
 * @param levels           the state's levels, e.g. {@code cpu=high,mem=high,net_in=low,net_out=low}
 * @param memorySource     balloon | rss | none: where the memory percentage comes from
 * @param modelSource      new | metadata | checkpoint: where the model came from when the VM appeared
 * @param migrating        an outgoing migration is being watched
 * @param migrationIteration last pass seen, 0 when not migrating
 * @param verdict          the detector's last verdict, empty when not migrating
 * @param plannedAction    what the controller will do next, empty when not migrating
 * @param writePercent     last measured write intensity, % of the migration bandwidth (0 until measured)
 * @param dirtyRateBytesPerSecond last measured dirty rate outside migrations, bytes/s; -1 before the first
 * @param diskReadBytesPerSecond  the guest's disk reads over the last second, bytes/s; -1 when unknown
 * @param diskWriteBytesPerSecond the guest's disk writes over the last second, bytes/s; -1 when unknown
 * @param diskOpsPerSecond        the guest's disk reads and writes over the last second, requests/s; -1 when unknown
 */
public record VmView(String uuid, String name, int state, String levels, long samples, String strategy, String strategyReason,
                     String memorySource, String modelSource, boolean migrating, int migrationIteration, String verdict,
                     String plannedAction, double writePercent, long dirtyRateBytesPerSecond, long diskReadBytesPerSecond,
                     long diskWriteBytesPerSecond, double diskOpsPerSecond) {

    static VmView of(VmState vm, DecisionCore core) {
        int state = vm.profile.currentState();
        Decision d = vm.profile.decision();
        MigrationWatch w = vm.watch;
        UsageCalculator.DiskRate disk = vm.diskRate;
        return new VmView(vm.uuid, vm.name, state, state < 0 ? "" : core.discretiser().describe(state), vm.profile.samples(),
                d == null ? "" : d.strategy().name(), d == null ? "" : d.reason(), vm.memorySource.name().toLowerCase(java.util.Locale.ROOT),
                vm.modelSource, w != null, w == null ? 0 : w.lastIteration,
                w == null || w.detector.last() == null ? "" : w.detector.last().verdict().name(),
                w == null ? "" : w.policy.plan(), vm.writePercent, vm.dirtyBytesPerSecond, Math.round(disk.readBytesPerSecond()),
                Math.round(disk.writeBytesPerSecond()), disk.opsPerSecond());
    }
}
