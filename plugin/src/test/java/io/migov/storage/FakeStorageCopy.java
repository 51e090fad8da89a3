// SPDX-License-Identifier: Apache-2.0
package io.migov.storage;

import io.migov.port.HypervisorException;
import io.migov.port.StorageCopy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A hypervisor with one migrating VM whose disks are mirrored; records every speed set. */
final class FakeStorageCopy implements StorageCopy {

    final Map<String, DiskCopy> copies = new HashMap<>();
    final Map<String, List<Disk>> disks = new HashMap<>();
    /** uuid/target → job. */
    final Map<String, BlockJob> jobs = new HashMap<>();
    final List<String> speedCalls = new ArrayList<>();
    final List<Long> speeds = new ArrayList<>();
    HypervisorException refuseSpeed;

    void mirror(String uuid, String target, String source, long cur, long end, long bandwidth) {
        disks.computeIfAbsent(uuid, u -> new ArrayList<>()).add(new Disk(target, source));
        jobs.put(uuid + "/" + target, new BlockJob(cur, end, bandwidth));
        copies.put(uuid, new DiskCopy(end, cur, end - cur));
    }

    long lastSpeed() {
        return speeds.get(speeds.size() - 1);
    }

    @Override
    public DiskCopy diskCopy(String uuid) {
        return copies.getOrDefault(uuid, DiskCopy.NONE);
    }

    @Override
    public List<Disk> disks(String uuid) {
        return disks.getOrDefault(uuid, List.of());
    }

    @Override
    public BlockJob blockJob(String uuid, String disk) {
        return jobs.getOrDefault(uuid + "/" + disk, BlockJob.NONE);
    }

    @Override
    public void setCopySpeed(String uuid, String disk, long bytesPerSecond) throws HypervisorException {
        speedCalls.add(uuid + "/" + disk);
        if (refuseSpeed != null) {
            throw refuseSpeed;
        }
        speeds.add(bytesPerSecond);
        BlockJob j = jobs.get(uuid + "/" + disk);
        if (j != null) {
            jobs.put(uuid + "/" + disk, new BlockJob(j.curBytes(), j.endBytes(), bytesPerSecond));
        }
    }
}
