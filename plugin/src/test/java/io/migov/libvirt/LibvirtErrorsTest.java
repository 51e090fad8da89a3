// SPDX-License-Identifier: Apache-2.0
package io.migov.libvirt;

import io.migov.port.HypervisorException;
import io.migov.port.HypervisorException.Kind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Codes, domains and messages as libvirt 11.3 / QEMU 10 reported them on the lab. */
class LibvirtErrorsTest {

    private static final int FROM_QEMU = 10;

    @Test
    void classify_postcopyWithoutFlag_isPostcopyNotPermitted() {
        assertEquals(Kind.POSTCOPY_NOT_PERMITTED, LibvirtErrors.classify(LibvirtErrors.VIR_ERR_OPERATION_INVALID,
                FROM_QEMU, "Requested operation is not valid: switching to post-copy requires migration to be "
                        + "started with VIR_MIGRATE_POSTCOPY flag"));
    }

    @Test
    void classify_postcopyRightAfterStart_isNotReady() {
        assertEquals(Kind.NOT_READY, LibvirtErrors.classify(LibvirtErrors.VIR_ERR_INTERNAL_ERROR, FROM_QEMU,
                "internal error: unable to execute QEMU command 'migrate-start-postcopy': Enable postcopy with "
                        + "migrate_set_capability before the start of migration"));
    }

    @Test
    void classify_postcopyWithoutMigration_isNotReady() {
        assertEquals(Kind.NOT_READY, LibvirtErrors.classify(LibvirtErrors.VIR_ERR_OPERATION_INVALID, FROM_QEMU,
                "Requested operation is not valid: post-copy can only be started while outgoing migration is in "
                        + "progress"));
    }

    @Test
    void classify_jobStatsOfMigratedAwaySource_isNotReady() {
        assertEquals(Kind.NOT_READY, LibvirtErrors.classify(LibvirtErrors.VIR_ERR_OPERATION_INVALID, FROM_QEMU,
                "Requested operation is not valid: domain is not running"));
    }

    @Test
    void classify_switchAfterPostcopyStarted_isAlreadyPostcopy() {
        assertEquals(Kind.ALREADY_POSTCOPY, LibvirtErrors.classify(LibvirtErrors.VIR_ERR_OPERATION_INVALID, FROM_QEMU,
                "Requested operation is not valid: post-copy migration already started"));
        assertEquals(Kind.ALREADY_POSTCOPY, LibvirtErrors.classify(LibvirtErrors.VIR_ERR_OPERATION_INVALID, FROM_QEMU,
                "Requested operation is not valid: domain is already in post-copy mode"));
    }

    @Test
    void classify_unknownUuid_isNoDomain() {
        assertEquals(Kind.NO_DOMAIN, LibvirtErrors.classify(LibvirtErrors.VIR_ERR_NO_DOMAIN, FROM_QEMU,
                "Domain not found: no domain with matching uuid '00000000-0000-4000-8000-00000000dead'"));
    }

    @Test
    void classify_socketClosedOrKeepaliveOrRefused_isConnection() {
        assertEquals(Kind.CONNECTION, LibvirtErrors.classify(LibvirtErrors.VIR_ERR_INTERNAL_ERROR,
                LibvirtErrors.VIR_FROM_RPC, "internal error: client socket is closed"));
        assertEquals(Kind.CONNECTION, LibvirtErrors.classify(LibvirtErrors.VIR_ERR_INTERNAL_ERROR,
                LibvirtErrors.VIR_FROM_RPC, "internal error: connection closed due to keepalive timeout"));
        assertEquals(Kind.CONNECTION, LibvirtErrors.classify(LibvirtErrors.VIR_ERR_SYSTEM_ERROR,
                LibvirtErrors.VIR_FROM_RPC,
                "Failed to connect socket to '/tmp/adp-lv/run/libvirt-sock': Connection refused"));
        assertEquals(Kind.CONNECTION, LibvirtErrors.classify(LibvirtErrors.VIR_ERR_INVALID_CONN, 0,
                "invalid connection pointer in virConnectGetAllDomainStats"));
    }

    @Test
    void classify_connectionWordsFromAnotherDomain_stillConnection() {
        assertEquals(Kind.CONNECTION, LibvirtErrors.classify(LibvirtErrors.VIR_ERR_SYSTEM_ERROR, 0,
                "Cannot recv data: Connection reset by peer"));
    }

    @Test
    void classify_stateChangeLockTimeout_isOther() {
        // virDomainSetMetadata during an outgoing migration waits 30 s for the job lock, then this
        assertEquals(Kind.OTHER, LibvirtErrors.classify(68, FROM_QEMU, "Timed out during operation: cannot acquire "
                + "state change lock (held by monitor=remoteDispatchDomainMigratePerform3Params)"));
    }

    @Test
    void classify_nullMessage_isOther() {
        assertEquals(Kind.OTHER, LibvirtErrors.classify(LibvirtErrors.VIR_ERR_OPERATION_FAILED, FROM_QEMU, null));
    }

    @Test
    void of_keepsCallAndMessage() {
        HypervisorException e = LibvirtErrors.of("virDomainMigrateStartPostCopy", LibvirtErrors.VIR_ERR_NO_DOMAIN,
                FROM_QEMU, "Domain not found");
        assertEquals("virDomainMigrateStartPostCopy", e.call());
        assertEquals("virDomainMigrateStartPostCopy: Domain not found", e.getMessage());
        assertEquals(Kind.NO_DOMAIN, e.kind());
    }

    @Test
    void withKind_openFailure_becomesConnectionWithSameCallAndText() {
        HypervisorException e = LibvirtErrors.of("virConnectOpen", LibvirtErrors.VIR_ERR_INTERNAL_ERROR, 0,
                "unexpected reply");
        HypervisorException c = LibvirtErrors.withKind(e, Kind.CONNECTION);
        assertEquals(Kind.CONNECTION, c.kind());
        assertEquals("virConnectOpen", c.call());
        assertEquals("virConnectOpen: unexpected reply", c.getMessage());
    }
}
