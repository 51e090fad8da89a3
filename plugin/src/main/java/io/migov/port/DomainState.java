// SPDX-License-Identifier: Apache-2.0
package io.migov.port;

/**
 * virDomainGetState of one domain, in libvirt's numbers. It answers for a domain still defined on
 * this host but no longer running, which is what is left on the source of a persistent domain
 * that migrated away, was destroyed or crashed; a transient domain is gone instead
 * ({@link HypervisorException.Kind#NO_DOMAIN}).
 *
 * @param state   virDomainState, e.g. {@link #SHUTOFF}
 * @param reason  the state's reason; for {@link #SHUTOFF} a virDomainShutoffReason, e.g. {@link #SHUTOFF_MIGRATED}
 */
public record DomainState(int state, int reason) {

    // virDomainState
    public static final int RUNNING = 1;
    public static final int PAUSED = 3;
    public static final int SHUTOFF = 5;

    // virDomainShutoffReason
    public static final int SHUTOFF_UNKNOWN = 0;
    public static final int SHUTOFF_SHUTDOWN = 1;
    public static final int SHUTOFF_DESTROYED = 2;
    public static final int SHUTOFF_CRASHED = 3;
    public static final int SHUTOFF_MIGRATED = 4;
    public static final int SHUTOFF_SAVED = 5;
    public static final int SHUTOFF_FAILED = 6;
    public static final int SHUTOFF_FROM_SNAPSHOT = 7;
    public static final int SHUTOFF_DAEMON = 8;

    public DomainState {
        // libvirt adds states and reasons over time, so only what no version returns is refused
        if (state < 0) {
            throw new IllegalArgumentException("state: expected a virDomainState (0 or more), got " + state);
        }
        if (reason < 0) {
            throw new IllegalArgumentException("reason: expected a state reason (0 or more), got " + reason);
        }
    }
}
