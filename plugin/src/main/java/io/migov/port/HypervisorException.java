// SPDX-License-Identifier: Apache-2.0
package io.migov.port;

/** A failed hypervisor call, classified so that callers can react without parsing messages. */
public final class HypervisorException extends Exception {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** The connection is gone (daemon restarted, socket closed). */
        CONNECTION,
        /** The domain no longer exists here (migrated away, destroyed). */
        NO_DOMAIN,
        /** Post-copy was requested on a migration started without VIR_MIGRATE_POSTCOPY. */
        POSTCOPY_NOT_PERMITTED,
        /** The request came too early or too late for the job (e.g. post-copy before the job is active). */
        NOT_READY,
        /**
         * A post-copy switch refused because the migration is already in post-copy: the switch is in
         * effect (an earlier attempt whose answer was lost, another client), so it is not retried.
         */
        ALREADY_POSTCOPY,
        /** Anything else. */
        OTHER
    }

    private final Kind kind;
    private final String call;

    public HypervisorException(Kind kind, String call, String message, Throwable cause) {
        super(call + ": " + message, cause);
        this.kind = kind;
        this.call = call;
    }

    public HypervisorException(Kind kind, String call, String message) {
        this(kind, call, message, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The libvirt function that failed, e.g. {@code virDomainMigrateStartPostCopy}. */
    public String call() {
        return call;
    }
}
