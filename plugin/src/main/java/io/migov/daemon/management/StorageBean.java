// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon.management;

import io.migov.core.storage.HostIoSample;
import io.migov.jmx.OpenTables;
import io.migov.storage.StorageSteering;
import io.migov.storage.StorageView;
import org.weakref.jmx.Managed;

import javax.management.openmbean.CompositeData;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularType;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code io.migov:type=Storage} (state, read-only; only registered when {@code storageDevice} is
 * configured): the host I/O the classifier sees and, per storage migration being steered now, its
 * interference probability, hysteresis state, copy speed, prefetched bytes and disk bytes remaining.
 */
public final class StorageBean {

    static final OpenTables.Row MIGRATION = OpenTables.Row.named("migov.StorageMigration",
                    "The disk copy of an outgoing migration with non-shared storage, while it runs")
            .item("vm", SimpleType.STRING, "domain name")
            .item("uuid", SimpleType.STRING, "domain UUID")
            .item("probability", SimpleType.DOUBLE, "last interference probability (0..1; NaN before the first step)")
            .item("interference", SimpleType.BOOLEAN, "hysteresis state: interference on (the copy slows, no prefetch)")
            .item("speedBytesPerSecond", SimpleType.DOUBLE, "the interference-PID's copy speed (bytes/s)")
            .item("lever", SimpleType.STRING, "applied, advise (mode or pause), refused: libvirt's reason, or no block job")
            .item("prefetchedBytes", SimpleType.LONG, "bytes read into the page cache ahead of the copy (bytes)")
            .item("diskTotalBytes", SimpleType.LONG, "libvirt's disk_total (bytes)")
            .item("diskRemainingBytes", SimpleType.LONG, "libvirt's disk_remaining (bytes)")
            .item("steps", SimpleType.INTEGER, "control steps taken, one per second (count)")
            .build();
    static final TabularType MIGRATIONS = MIGRATION.table("migov.StorageMigrations",
            "Storage migrations being steered now, one row per VM", "uuid");

    private final StorageSteering steering;

    public StorageBean(StorageSteering steering) {
        this.steering = steering;
    }

    static CompositeData row(StorageView v) {
        return MIGRATION.data(v.vm(), v.uuid(), v.probability(), v.interference(), v.speedBytesPerSecond(), v.lever(),
                v.prefetchedBytes(), v.diskTotalBytes(), v.diskRemainingBytes(), v.steps());
    }

    @Managed(description = "Storage migrations being steered now: probability, interference, speed (bytes/s), prefetched and "
            + "remaining bytes (units in the item descriptions)")
    public TabularData getMigrations() {
        List<CompositeData> rows = new ArrayList<>();
        for (StorageView v : steering.views()) {
            rows.add(row(v));
        }
        return OpenTables.tabular(MIGRATIONS, rows);
    }

    @Managed(description = "The block device whose /proc/diskstats counters are sampled (storageDevice)")
    public String getDevice() {
        return steering.collector().device();
    }

    @Managed(description = "Interference probability of the last host I/O second under the current model (0..1; NaN: no sample)")
    public double getProbability() {
        return steering.lastProbability();
    }

    @Managed(description = "Operations completed per second on the device in the last sample (IOPS; NaN: no sample)")
    public double getIops() {
        return steering.lastSample().map(HostIoSample::iops).orElse(Double.NaN);
    }

    @Managed(description = "Bytes read and written per second on the device in the last sample (bytes/s; NaN: no sample)")
    public double getThroughputBytesPerSecond() {
        return steering.lastSample().map(HostIoSample::throughputBytesPerSecond).orElse(Double.NaN);
    }

    @Managed(description = "Share of the last second the device was busy (%; NaN: no sample)")
    public double getUtilPercent() {
        return steering.lastSample().map(HostIoSample::utilPercent).orElse(Double.NaN);
    }

    @Managed(description = "Reads of /proc/diskstats that gave no sample (count; the reason is logged at debug level)")
    public long getSampleFailures() {
        return steering.collector().failures();
    }

    @Managed(description = "Bytes read ahead of storage copies into the page cache since start (bytes)")
    public long getPrefetchedBytes() {
        return steering.prefetchedBytes();
    }
}
