// SPDX-License-Identifier: Apache-2.0
package io.migov.libvirt;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * The libvirt block-job functions storage steering needs (libvirt-java 0.5.4 lacks them), bound to
 * the same libvirt.so.0 as {@link VirNative}; kept apart so the binding of the governor's calls does
 * not change with it.
 */
interface VirStorageNative extends Library {

    VirStorageNative LIB = load();

    private static VirStorageNative load() {
        try {
            return Native.load("libvirt.so.0", VirStorageNative.class);
        } catch (UnsatisfiedLinkError e) {
            return Native.load("virt", VirStorageNative.class);
        }
    }

    /** virDomainBlockJobSetSpeedFlags / virDomainBlockJobInfoFlags: bandwidth in bytes/s instead of MiB/s. */
    int VIR_DOMAIN_BLOCK_JOB_SPEED_BANDWIDTH_BYTES = 1;
    int VIR_DOMAIN_BLOCK_JOB_INFO_BANDWIDTH_BYTES = 1;

    int virDomainBlockJobSetSpeed(Pointer dom, String disk, NativeLong bandwidth, int flags);

    /** 1 with a job (info filled), 0 without, -1 on error. */
    int virDomainGetBlockJobInfo(Pointer dom, String disk, BlockJobInfo info, int flags);

    /** The caller frees the returned string (libc free). */
    Pointer virDomainGetXMLDesc(Pointer dom, int flags);

    /** virDomainBlockJobInfo: int type; unsigned long bandwidth; unsigned long long cur, end. */
    @Structure.FieldOrder({"type", "bandwidth", "cur", "end"})
    final class BlockJobInfo extends Structure {
        public int type;
        public NativeLong bandwidth;
        public long cur;
        public long end;
    }
}
