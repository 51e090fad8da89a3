// SPDX-License-Identifier: Apache-2.0
package io.migov.testing;

import io.migov.port.StorageCopy;

import java.util.List;

/** A hypervisor on which no VM copies a disk: no job, no disks, no block job; setting a speed is a test failure. */
public final class NoStorageCopies implements StorageCopy {

    public static final StorageCopy INSTANCE = new NoStorageCopies();

    private NoStorageCopies() {
    }

    @Override
    public DiskCopy diskCopy(String uuid) {
        return DiskCopy.NONE;
    }

    @Override
    public List<Disk> disks(String uuid) {
        return List.of();
    }

    @Override
    public BlockJob blockJob(String uuid, String disk) {
        return BlockJob.NONE;
    }

    @Override
    public void setCopySpeed(String uuid, String disk, long bytesPerSecond) {
        throw new AssertionError("no migration, no speed");
    }
}
