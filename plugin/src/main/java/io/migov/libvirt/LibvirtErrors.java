// SPDX-License-Identifier: Apache-2.0
package io.migov.libvirt;

import com.sun.jna.Pointer;
import io.migov.port.HypervisorException;
import io.migov.port.HypervisorException.Kind;
import org.libvirt.Error;
import org.libvirt.LibvirtException;

import java.util.List;
import java.util.Locale;

/** Turns libvirt errors into {@link HypervisorException}s with a {@link Kind}. Pure except {@link #lastError}. */
final class LibvirtErrors {

    // virErrorNumber
    static final int VIR_ERR_INTERNAL_ERROR = 1;
    static final int VIR_ERR_NO_CONNECT = 5;
    static final int VIR_ERR_INVALID_CONN = 6;
    static final int VIR_ERR_OPERATION_FAILED = 9;
    static final int VIR_ERR_SYSTEM_ERROR = 38;
    static final int VIR_ERR_RPC = 39;
    static final int VIR_ERR_NO_DOMAIN = 42;
    static final int VIR_ERR_OPERATION_INVALID = 55;
    static final int VIR_ERR_NO_DOMAIN_METADATA = 80;
    // virErrorDomain
    static final int VIR_FROM_RPC = 7;

    /** Messages of a connection that is gone (client side, libvirt's rpc/virnetclient.c & co). */
    private static final List<String> CONNECTION_MESSAGES = List.of(
            "client socket is closed",
            "end of file while reading data",
            "cannot write data",
            "cannot recv data",
            "keepalive timeout",
            "connection reset by peer",
            "broken pipe",
            "no connection driver available",
            "failed to connect socket");

    /** A too early / too late request for the job: retry later or forget it. */
    private static final List<String> NOT_READY_MESSAGES = List.of(
            "migrate_set_capability before the start of migration",
            "domain is not running",
            "no job is active",
            "job is not active",
            "outgoing migration is in progress",
            "migration is not in progress");

    /** A switch to post-copy that has already happened. */
    private static final List<String> ALREADY_POSTCOPY_MESSAGES = List.of(
            "post-copy migration already started",
            "already in post-copy mode");

    private LibvirtErrors() {
    }

    /** Classifies a libvirt error by its code ({@code virErrorNumber}), domain and message. */
    static Kind classify(int code, int domain, String message) {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (m.contains("vir_migrate_postcopy")) {
            return Kind.POSTCOPY_NOT_PERMITTED;
        }
        if (code == VIR_ERR_NO_DOMAIN) {
            return Kind.NO_DOMAIN;
        }
        if (code == VIR_ERR_NO_CONNECT || code == VIR_ERR_INVALID_CONN || code == VIR_ERR_RPC
                || domain == VIR_FROM_RPC || containsAny(m, CONNECTION_MESSAGES)) {
            return Kind.CONNECTION;
        }
        if (containsAny(m, ALREADY_POSTCOPY_MESSAGES)) {
            return Kind.ALREADY_POSTCOPY;
        }
        if (containsAny(m, NOT_READY_MESSAGES)) {
            return Kind.NOT_READY;
        }
        return Kind.OTHER;
    }

    static HypervisorException of(String call, int code, int domain, String message) {
        String text = message == null ? "libvirt error " + code : message;
        return new HypervisorException(classify(code, domain, message), call, text);
    }

    /** From libvirt-java's exception (its enums' ordinals are libvirt's numbers). */
    static HypervisorException of(String call, LibvirtException e) {
        Error err = e.getError();
        int code = err == null || err.getCode() == null ? -1 : err.getCode().ordinal();
        int domain = err == null || err.getDomain() == null ? -1 : err.getDomain().ordinal();
        String message = err == null ? e.getMessage() : err.getMessage();
        String text = message == null ? "libvirt error " + code : message;
        return new HypervisorException(classify(code, domain, message), call, text, e);
    }

    /** The same failure with another kind (e.g. anything failing while opening a connection is CONNECTION). */
    static HypervisorException withKind(HypervisorException e, Kind kind) {
        if (e.kind() == kind) {
            return e;
        }
        String prefix = e.call() + ": ";
        String m = e.getMessage();
        String text = m != null && m.startsWith(prefix) ? m.substring(prefix.length()) : m;
        return new HypervisorException(kind, e.call(), text, e.getCause() != null ? e.getCause() : e);
    }

    /** libvirt's code of a libvirt-java exception, -1 if unknown. */
    static int code(LibvirtException e) {
        Error err = e.getError();
        return err == null || err.getCode() == null ? -1 : err.getCode().ordinal();
    }

    /** This thread's last libvirt error, right after a raw call failed. */
    static HypervisorException lastError(String call) {
        Pointer err = VirNative.LIB.virGetLastError();
        if (err == null) {
            return new HypervisorException(Kind.OTHER, call, "failed without a libvirt error");
        }
        return of(call, new VirError(err));
    }

    static HypervisorException of(String call, VirError err) {
        return of(call, err.code, err.domain, err.messageText());
    }

    private static boolean containsAny(String text, List<String> fragments) {
        for (String f : fragments) {
            if (text.contains(f)) {
                return true;
            }
        }
        return false;
    }
}
