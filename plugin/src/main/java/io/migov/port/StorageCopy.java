// SPDX-License-Identifier: Apache-2.0
package io.migov.port;

import java.util.List;
import java.util.Objects;

/**
 * What storage-migration steering needs from the hypervisor: the disk copy of an outgoing migration
 * with non-shared storage (libvirt's NBD mirror block jobs, one per copied disk), and its speed.
 * Implementations do one libvirt call per method and no deciding; domains are addressed by UUID,
 * disks by their target ({@code vda}). See {@code docs/storage/lever.md} for why these calls.
 */
public interface StorageCopy {

    /**
     * virDomainGetJobStats: the disk part of the domain's job ({@code disk_total},
     * {@code disk_processed}, {@code disk_remaining}; libvirt sums the mirror jobs' progress there),
     * {@link DiskCopy#NONE} when the job copies no disk or there is no job.
     */
    DiskCopy diskCopy(String uuid) throws HypervisorException;

    /** virDomainGetXMLDesc: the writable disks with a local source, the ones a storage migration copies by default. */
    List<Disk> disks(String uuid) throws HypervisorException;

    /** virDomainGetBlockJobInfo (bytes): the block job on one disk, {@link BlockJob#NONE} when it has none. */
    BlockJob blockJob(String uuid, String disk) throws HypervisorException;

    /** virDomainBlockJobSetSpeed (bytes): the rate limit of the block job on one disk; 0 = unlimited. */
    void setCopySpeed(String uuid, String disk, long bytesPerSecond) throws HypervisorException;

    /** Disk copy progress of a migration job, bytes. */
    record DiskCopy(long totalBytes, long processedBytes, long remainingBytes) {
        public static final DiskCopy NONE = new DiskCopy(0, 0, 0);

        public DiskCopy {
            if (totalBytes < 0 || processedBytes < 0 || remainingBytes < 0) {
                throw new IllegalArgumentException("diskCopy: expected bytes ≥ 0, got total " + totalBytes + ", processed "
                        + processedBytes + ", remaining " + remainingBytes);
            }
        }

        /** The migration copies disks. */
        public boolean copying() {
            return totalBytes > 0;
        }
    }

    /**
     * @param target     the disk's target device, e.g. {@code vda}
     * @param sourcePath the image file or block device on this host
     */
    record Disk(String target, String sourcePath) {
        public Disk {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(sourcePath, "sourcePath");
        }
    }

    /**
     * @param curBytes                progress of the job ({@code cur}), bytes
     * @param endBytes                its end ({@code end}); 0 when there is no job
     * @param bandwidthBytesPerSecond its rate limit, 0 = unlimited
     */
    record BlockJob(long curBytes, long endBytes, long bandwidthBytesPerSecond) {
        public static final BlockJob NONE = new BlockJob(0, 0, 0);

        public boolean active() {
            return endBytes > 0;
        }
    }
}
