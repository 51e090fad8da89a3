// SPDX-License-Identifier: Apache-2.0
package io.migov.libvirt;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The few libvirt functions libvirt-java 0.5.4 lacks, bound directly to libvirt.so.0 (the same
 * library libvirt-java loads, so connections, domains, the event loop and the thread-local last
 * error are shared). Pointers are raw {@code virConnectPtr} / {@code virDomainPtr}.
 */
interface VirNative extends Library {

    VirNative LIB = load();

    private static VirNative load() {
        try {
            return Native.load("libvirt.so.0", VirNative.class);
        } catch (UnsatisfiedLinkError e) {
            return Native.load("virt", VirNative.class);
        }
    }

    // virConnectGetAllDomainStats stats groups and flags (libvirt-domain.h)
    int VIR_DOMAIN_STATS_STATE = 1;
    int VIR_DOMAIN_STATS_CPU_TOTAL = 1 << 1;
    int VIR_DOMAIN_STATS_BALLOON = 1 << 2;
    int VIR_DOMAIN_STATS_VCPU = 1 << 3;
    int VIR_DOMAIN_STATS_INTERFACE = 1 << 4;
    int VIR_DOMAIN_STATS_BLOCK = 1 << 5;
    int VIR_DOMAIN_STATS_DIRTYRATE = 1 << 9;
    int VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE = 1;
    int VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT = 1 << 29;

    // virDomainEventID
    int VIR_DOMAIN_EVENT_ID_LIFECYCLE = 0;
    int VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION = 20;
    int VIR_DOMAIN_EVENT_ID_JOB_COMPLETED = 21;

    /** VIR_UUID_STRING_BUFLEN. */
    int UUID_STRING_BUFLEN = 37;

    int virDomainMigrateStartPostCopy(Pointer dom, int flags);

    /** state receives a virDomainState, reason the state's reason (virDomainShutoffReason for SHUTOFF). */
    int virDomainGetState(Pointer dom, IntByReference state, IntByReference reason, int flags);

    int virDomainMigrateSetMaxSpeed(Pointer dom, NativeLong bandwidthMiBps, int flags);

    int virDomainMigrateGetMaxDowntime(Pointer dom, LongByReference downtimeMillis, int flags);

    /** retStats receives a NULL-terminated array of virDomainStatsRecordPtr. */
    int virConnectGetAllDomainStats(Pointer conn, int stats, PointerByReference retStats, int flags);

    /** doms is a NULL-terminated array of virDomainPtr. */
    int virDomainListGetStats(Pointer[] doms, int stats, PointerByReference retStats, int flags);

    void virDomainStatsRecordListFree(Pointer stats);

    /** flags 0 = VIR_DOMAIN_DIRTYRATE_MODE_PAGE_SAMPLING. */
    int virDomainStartDirtyRateCalc(Pointer dom, int seconds, int flags);

    int virConnectDomainEventRegisterAny(Pointer conn, Pointer dom, int eventID, Callback cb, Pointer opaque,
                                         Callback freecb);

    int virConnectDomainEventDeregisterAny(Pointer conn, int callbackID);

    Pointer virDomainLookupByUUIDString(Pointer conn, String uuid);

    int virDomainGetUUIDString(Pointer dom, byte[] buf);

    /** Owned by the domain object: JNA copies it, nobody frees it. */
    String virDomainGetName(Pointer dom);

    int virDomainRef(Pointer dom);

    int virDomainFree(Pointer dom);

    /** virErrorPtr of this thread's last error, or null; owned by libvirt. */
    Pointer virGetLastError();

    /** Replaces libvirt's default error handler (which prints every error to stderr). */
    void virSetErrorFunc(Pointer userData, ErrorCallback handler);

    /** virErrorFunc. */
    interface ErrorCallback extends Callback {
        void invoke(Pointer userData, Pointer error);
    }

    /** virConnectDomainEventCallback (LIFECYCLE). */
    interface LifecycleCallback extends Callback {
        int invoke(Pointer conn, Pointer dom, int event, int detail, Pointer opaque);
    }

    /** virConnectDomainEventMigrationIterationCallback. */
    interface MigrationIterationCallback extends Callback {
        void invoke(Pointer conn, Pointer dom, int iteration, Pointer opaque);
    }

    /** virConnectDomainEventJobCompletedCallback; params belong to libvirt (do not free). */
    interface JobCompletedCallback extends Callback {
        void invoke(Pointer conn, Pointer dom, Pointer params, int nparams, Pointer opaque);
    }
}
