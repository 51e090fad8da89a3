// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

/** Point-in-time counters of the governor (state, read-only). */
public record GovernorStats(long ticks, long missedTicks, int vms, long migrationsSeen, long migrationsSteered,
                            long switches, long fallbacks, long errors, boolean connected, long dirtyRateCalcsStarted,
                            long dirtyRateCalcsMeasured, long dirtyRateCalcsFailed, long postcopyFailures) {
}
