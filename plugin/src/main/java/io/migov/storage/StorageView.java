// SPDX-License-Identifier: Apache-2.0
package io.migov.storage;

/**
 * One storage migration as operators see it (the Storage MBean), point in time.
 *
 * @param uuid                     domain UUID
 * @param vm                       domain name
 * @param probability              the last interference probability (NaN before the first step)
 * @param interference             the hysteresis state: interference "on"
 * @param speedBytesPerSecond      the PID's copy speed, bytes/s (what was set, or would be in advise mode)
 * @param lever                    applied | advise | refused: … | no block job
 * @param prefetchedBytes          bytes read ahead of the copy into the page cache
 * @param diskTotalBytes           libvirt's disk_total, bytes
 * @param diskRemainingBytes       libvirt's disk_remaining, bytes
 * @param steps                    control steps taken
 */
public record StorageView(String uuid, String vm, double probability, boolean interference, double speedBytesPerSecond, String lever,
                          long prefetchedBytes, long diskTotalBytes, long diskRemainingBytes, int steps) {
}
