// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

import io.migov.port.DomainState;

/**
 * What the source host can still tell about a VM that left it while its migration was watched,
 * judged by {@link MigrationOutcome#ofVanished}. Leaving the running list alone proves nothing: a
 * VM that was destroyed or crashed leaves it too. Gathered strongest first, and libvirt is asked
 * ({@link StateAfter}) only when no event said anything.
 */
sealed interface VanishEvidence {

    /** libvirt's JOB_COMPLETED event for a completed job. */
    record JobCompleted() implements VanishEvidence {
    }

    /**
     * libvirt's lifecycle event STOPPED on this host during the migration.
     *
     * @param detail virDomainEventStoppedDetailType, e.g. {@link #MIGRATED}
     */
    record Stopped(int detail) implements VanishEvidence {
        // virDomainEventStoppedDetailType
        static final int SHUTDOWN = 0;
        static final int DESTROYED = 1;
        static final int CRASHED = 2;
        static final int MIGRATED = 3;
        static final int SAVED = 4;
        static final int FAILED = 5;
        static final int FROM_SNAPSHOT = 6;

        /** How the record words the detail: "destroyed", …; a detail newer than this code is named by its number. */
        String word() {
            return switch (detail) {
                case SHUTDOWN -> "shut down";
                case DESTROYED -> "destroyed";
                case CRASHED -> "crashed";
                case MIGRATED -> "migrated";
                case SAVED -> "saved";
                case FAILED -> "failed";
                case FROM_SNAPSHOT -> "reverted to a snapshot";
                default -> "detail " + detail;
            };
        }
    }

    /** virDomainGetState once the grace for events ran out: the domain is still defined here. */
    record StateAfter(DomainState state) implements VanishEvidence {

        /** How the record words a shut-off reason: "destroyed", …; a reason newer than this code is named by its number. */
        String shutoffWord() {
            return switch (state.reason()) {
                case DomainState.SHUTOFF_UNKNOWN -> "reason unknown";
                case DomainState.SHUTOFF_SHUTDOWN -> "shut down";
                case DomainState.SHUTOFF_DESTROYED -> "destroyed";
                case DomainState.SHUTOFF_CRASHED -> "crashed";
                case DomainState.SHUTOFF_MIGRATED -> "migrated";
                case DomainState.SHUTOFF_SAVED -> "saved";
                case DomainState.SHUTOFF_FAILED -> "failed to start";
                case DomainState.SHUTOFF_FROM_SNAPSHOT -> "reverted to a snapshot";
                case DomainState.SHUTOFF_DAEMON -> "killed by libvirtd";
                default -> "reason " + state.reason();
            };
        }
    }

    /**
     * No event, and libvirt no longer knows the domain here (undefined, or transient and stopped) or
     * could not be asked.
     *
     * @param why what libvirt answered, for the log
     */
    record NoTrace(String why) implements VanishEvidence {
    }

    /**
     * No trace here, but a peer host (config {@code peers}) has the domain: where it went is known.
     *
     * @param peerUri  the peer's libvirt URI
     * @param state    the domain's state there
     */
    record OnPeer(String peerUri, DomainState state) implements VanishEvidence {
    }
}
