// SPDX-License-Identifier: Apache-2.0
package io.migov.port;

import java.util.List;

/**
 * What the governor needs from the local hypervisor. Implementations do one libvirt call per
 * method and no deciding; domains are addressed by UUID. Safe to call from several threads.
 */
public interface Hypervisor extends AutoCloseable {

    /** The connection URI, e.g. {@code qemu:///system}. */
    String uri();

    /** Whether the connection is currently usable. */
    boolean connected();

    /** One bulk call: statistics of every running domain. */
    List<DomainStats> runningDomainStats() throws HypervisorException;

    /** virDomainGetJobStats: the domain's current job, {@link JobStats#none()} when it has none. */
    JobStats jobStats(String uuid) throws HypervisorException;

    /**
     * virDomainGetState: the domain's state and its reason, also for a domain defined here but no
     * longer running. {@link HypervisorException.Kind#NO_DOMAIN} when libvirt no longer knows it.
     */
    DomainState domainState(String uuid) throws HypervisorException;

    /** virDomainMigrateStartPostCopy. */
    void startPostCopy(String uuid) throws HypervisorException;

    /** virDomainAbortJob: cancels the domain's running job (an outgoing migration); the VM stays here. */
    void abortJob(String uuid) throws HypervisorException;

    /**
     * virDomainStartDirtyRateCalc in page-sampling mode: QEMU compares sampled pages over
     * {@code seconds}; {@link #dirtyRate} reports the result once measured. Fails while a migration
     * tracks dirty pages itself.
     */
    void startDirtyRateCalc(String uuid, int seconds) throws HypervisorException;

    /** virDomainListGetStats with the dirty-rate group, for this one domain (a QEMU monitor query). */
    DirtyRate dirtyRate(String uuid) throws HypervisorException;

    /** virDomainMigrateGetMaxDowntime, in milliseconds. */
    long maxDowntimeMillis(String uuid) throws HypervisorException;

    /** virDomainMigrateSetMaxDowntime, in milliseconds. */
    void setMaxDowntimeMillis(String uuid, long downtimeMillis) throws HypervisorException;

    /** virDomainMigrateSetMaxSpeed, in MiB/s (libvirt's unit). */
    void setMaxSpeedMiBPerSecond(String uuid, long bandwidthMiBPerSecond) throws HypervisorException;

    /**
     * virDomainGetMetadata for migov's element ({@link #METADATA_NAMESPACE}), live definition;
     * null when the domain has none.
     */
    String metadata(String uuid) throws HypervisorException;

    /** virDomainSetMetadata for migov's element on the live definition (and the persistent one if any). */
    void setMetadata(String uuid, String elementXml) throws HypervisorException;

    /** Registers for events; the adapter re-registers them after a reconnect. */
    void setListener(HypervisorListener listener);

    @Override
    void close();

    /** XML namespace of migov's domain metadata element. */
    String METADATA_NAMESPACE = "https://migov.io/xmlns/model/1";
    /** Prefix (key) used for the metadata element. */
    String METADATA_KEY = "migov";
}
