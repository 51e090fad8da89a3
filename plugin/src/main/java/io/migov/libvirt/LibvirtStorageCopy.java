// SPDX-License-Identifier: Apache-2.0
package io.migov.libvirt;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import io.migov.port.HypervisorException;
import io.migov.port.JobStats;
import io.migov.port.StorageCopy;

import java.util.List;
import java.util.Objects;

/**
 * {@link StorageCopy} over libvirt, on the connection of a {@link LibvirtHypervisor}: one libvirt
 * call per method, no deciding. The lever is virDomainBlockJobSetSpeed on each mirror job
 * (docs/storage/lever.md says why, and what the lab must prove).
 */
public final class LibvirtStorageCopy implements StorageCopy {

    /** VIR_DOMAIN_XML_SECURE is not needed: sources are in the plain XML. */
    private static final int XML_FLAGS = 0;

    private final LibvirtHypervisor hypervisor;

    public LibvirtStorageCopy(LibvirtHypervisor hypervisor) {
        this.hypervisor = Objects.requireNonNull(hypervisor, "hypervisor");
    }

    @Override
    public DiskCopy diskCopy(String uuid) throws HypervisorException {
        return diskCopy(hypervisor.jobStats(uuid));
    }

    /** The disk_* fields of job statistics; NONE for a job without them. */
    static DiskCopy diskCopy(JobStats job) {
        if (!job.isActive() || job.get("disk_total", 0) <= 0) {
            return DiskCopy.NONE;
        }
        long total = job.get("disk_total", 0);
        long processed = Math.max(0, job.get("disk_processed", 0));
        long remaining = Math.max(0, job.get("disk_remaining", Math.max(0, total - processed)));
        return new DiskCopy(total, processed, remaining);
    }

    @Override
    public List<Disk> disks(String uuid) throws HypervisorException {
        String fn = "virDomainGetXMLDesc";
        String xml = hypervisor.onDomain(fn, uuid, dom -> {
            Pointer p = VirStorageNative.LIB.virDomainGetXMLDesc(dom, XML_FLAGS);
            if (p == null) {
                throw LibvirtErrors.lastError(fn);
            }
            try {
                return p.getString(0, "UTF-8");
            } finally {
                Native.free(Pointer.nativeValue(p));
            }
        });
        try {
            return DiskXml.copiedDisks(xml);
        } catch (IllegalArgumentException e) {
            throw new HypervisorException(HypervisorException.Kind.OTHER, fn, e.getMessage(), e);
        }
    }

    @Override
    public BlockJob blockJob(String uuid, String disk) throws HypervisorException {
        String fn = "virDomainGetBlockJobInfo";
        Objects.requireNonNull(disk, "disk");
        return hypervisor.onDomain(fn, uuid, dom -> {
            VirStorageNative.BlockJobInfo info = new VirStorageNative.BlockJobInfo();
            int rc = VirStorageNative.LIB.virDomainGetBlockJobInfo(dom, disk, info,
                    VirStorageNative.VIR_DOMAIN_BLOCK_JOB_INFO_BANDWIDTH_BYTES);
            if (rc < 0) {
                throw LibvirtErrors.lastError(fn);
            }
            if (rc == 0) {
                return BlockJob.NONE;
            }
            return new BlockJob(Math.max(0, info.cur), Math.max(0, info.end), Math.max(0, info.bandwidth.longValue()));
        });
    }

    @Override
    public void setCopySpeed(String uuid, String disk, long bytesPerSecond) throws HypervisorException {
        String fn = "virDomainBlockJobSetSpeed";
        Objects.requireNonNull(disk, "disk");
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("bytesPerSecond: expected ≥ 0, got " + bytesPerSecond);
        }
        hypervisor.onDomain(fn, uuid, dom -> {
            if (VirStorageNative.LIB.virDomainBlockJobSetSpeed(dom, disk, new NativeLong(bytesPerSecond),
                    VirStorageNative.VIR_DOMAIN_BLOCK_JOB_SPEED_BANDWIDTH_BYTES) < 0) {
                throw LibvirtErrors.lastError(fn);
            }
            return null;
        });
    }
}
