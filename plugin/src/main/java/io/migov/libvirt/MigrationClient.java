// SPDX-License-Identifier: Apache-2.0
package io.migov.libvirt;

import io.migov.port.HypervisorException;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.TypedParameter;
import org.libvirt.TypedUlongParameter;

/**
 * Starts a migration the way nova's libvirt driver does: {@code virDomainMigrateToURI3} with the
 * bandwidth parameter. For tests and tools (the governor never starts migrations). The call blocks
 * until the migration ends, so run it on a thread of its own.
 */
public final class MigrationClient implements AutoCloseable {

    // virDomainMigrateFlags
    public static final int VIR_MIGRATE_LIVE = 1;
    public static final int VIR_MIGRATE_PEER2PEER = 1 << 1;
    public static final int VIR_MIGRATE_TUNNELLED = 1 << 2;
    public static final int VIR_MIGRATE_PERSIST_DEST = 1 << 3;
    public static final int VIR_MIGRATE_UNDEFINE_SOURCE = 1 << 4;
    public static final int VIR_MIGRATE_AUTO_CONVERGE = 1 << 13;
    public static final int VIR_MIGRATE_POSTCOPY = 1 << 15;

    /** nova's live-migration flags (LIVE | PEER2PEER | UNDEFINE_SOURCE | PERSIST_DEST), without post-copy. */
    public static final int NOVA_FLAGS = VIR_MIGRATE_LIVE | VIR_MIGRATE_PEER2PEER | VIR_MIGRATE_UNDEFINE_SOURCE
            | VIR_MIGRATE_PERSIST_DEST;
    /** nova's flags with {@code live_migration_permit_post_copy = True}. */
    public static final int NOVA_POSTCOPY_FLAGS = NOVA_FLAGS | VIR_MIGRATE_POSTCOPY;

    /** VIR_MIGRATE_PARAM_BANDWIDTH (ULLONG, MiB/s). */
    public static final String PARAM_BANDWIDTH = "bandwidth";

    private final Connect conn;

    /** Opens its own connection to the source host (e.g. {@code qemu+tcp://10.77.0.1/system}). */
    public MigrationClient(String sourceUri) throws HypervisorException {
        EventLoop.quietErrors();
        try {
            this.conn = new Connect(sourceUri);
        } catch (LibvirtException e) {
            throw LibvirtErrors.of("virConnectOpen", e);
        }
    }

    /**
     * virDomainMigrateToURI3(dom, destUri, {bandwidth}, flags) for the domain with {@code uuid};
     * returns when the migration has completed, throws when it failed or was aborted.
     *
     * @param bandwidthMiBps always passed, like nova (0: libvirt's default, unlimited)
     */
    public void migrateToURI3(String uuid, String destUri, int flags, long bandwidthMiBps) throws HypervisorException {
        if (bandwidthMiBps < 0) {
            throw new IllegalArgumentException("bandwidthMiBps must be >= 0, got " + bandwidthMiBps);
        }
        Domain dom;
        try {
            dom = conn.domainLookupByUUIDString(uuid);
        } catch (LibvirtException e) {
            throw LibvirtErrors.of("virDomainLookupByUUIDString", e);
        }
        try {
            TypedParameter[] params = {new TypedUlongParameter(PARAM_BANDWIDTH, bandwidthMiBps)};
            dom.migrateToURI(destUri, params, flags);
        } catch (LibvirtException e) {
            throw LibvirtErrors.of("virDomainMigrateToURI3", e);
        } finally {
            try {
                dom.free();
            } catch (LibvirtException e) {
                // nothing to do
            }
        }
    }

    /** One-shot: opens {@code sourceUri}, migrates, closes. */
    public static void migrateToURI3(String sourceUri, String uuid, String destUri, int flags, long bandwidthMiBps)
            throws HypervisorException {
        try (MigrationClient c = new MigrationClient(sourceUri)) {
            c.migrateToURI3(uuid, destUri, flags, bandwidthMiBps);
        }
    }

    @Override
    public void close() {
        try {
            conn.close();
        } catch (LibvirtException e) {
            // nothing to do
        }
    }
}
