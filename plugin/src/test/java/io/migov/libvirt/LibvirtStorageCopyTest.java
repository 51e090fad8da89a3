// SPDX-License-Identifier: Apache-2.0
package io.migov.libvirt;

import io.migov.port.JobStats;
import io.migov.port.StorageCopy;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The adapter's translations (the libvirt calls themselves are for the lab, docs/storage/lever.md). */
class LibvirtStorageCopyTest {

    @Test
    void diskCopy_migrationWithDiskFields_mapsThem_otherwiseNone() {
        JobStats storage = new JobStats(JobStats.Type.UNBOUNDED, Map.of("operation", 5L, "disk_total", 8000L, "disk_processed", 3000L,
                "disk_remaining", 5000L), Map.of());
        assertEquals(new StorageCopy.DiskCopy(8000, 3000, 5000), LibvirtStorageCopy.diskCopy(storage));
        JobStats memoryOnly = new JobStats(JobStats.Type.UNBOUNDED, Map.of("operation", 5L, "memory_total", 1L), Map.of());
        assertEquals(StorageCopy.DiskCopy.NONE, LibvirtStorageCopy.diskCopy(memoryOnly));
        assertEquals(StorageCopy.DiskCopy.NONE, LibvirtStorageCopy.diskCopy(JobStats.none()));
        JobStats noRemaining = new JobStats(JobStats.Type.UNBOUNDED, Map.of("disk_total", 8000L, "disk_processed", 3000L), Map.of());
        assertEquals(new StorageCopy.DiskCopy(8000, 3000, 5000), LibvirtStorageCopy.diskCopy(noRemaining));
    }

    @Test
    void copiedDisks_writableLocalDisksWithASource_inDomainOrder() {
        String xml = """
                <domain type='kvm'><name>vm</name><devices>
                  <disk type='file' device='disk'><driver name='qemu' type='raw'/>
                    <source file='/var/lib/libvirt/images/vm.raw'/><target dev='vda' bus='virtio'/></disk>
                  <disk type='block' device='disk'><source dev='/dev/vg/data'/><target dev='vdb' bus='virtio'/></disk>
                  <disk type='file' device='cdrom'><source file='/iso/x.iso'/><target dev='sda' bus='sata'/><readonly/></disk>
                  <disk type='file' device='disk'><source file='/shared/s.raw'/><target dev='vdc'/><shareable/></disk>
                  <disk type='network' device='disk'><source protocol='nbd' name='x'/><target dev='vdd'/></disk>
                  <disk type='file' device='disk'><target dev='vde'/></disk>
                </devices></domain>""";
        assertEquals(List.of(new StorageCopy.Disk("vda", "/var/lib/libvirt/images/vm.raw"), new StorageCopy.Disk("vdb", "/dev/vg/data")),
                DiskXml.copiedDisks(xml));
    }

    @Test
    void copiedDisks_notXml_refusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DiskXml.copiedDisks("<domain>"));
        assertEquals(true, e.getMessage().startsWith("domain XML: not well-formed"), e.getMessage());
    }
}
