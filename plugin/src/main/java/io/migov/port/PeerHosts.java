// SPDX-License-Identifier: Apache-2.0
package io.migov.port;

import java.util.Objects;
import java.util.Optional;

/**
 * The other hosts' libvirt, asked where a VM went when it left this host during a watched migration
 * and this host kept no trace of how (a transient or undefined-on-success domain, and a daemon that
 * was not running to hear libvirt's events). Read-only: migov changes nothing on a peer.
 */
public interface PeerHosts {

    /** No peers configured: nothing is ever found. */
    PeerHosts NONE = uuid -> Optional.empty();

    /**
     * The domain's state on the first peer that has it; empty when no peer knows it. A peer that
     * cannot be asked is skipped (and logged by the adapter): its silence proves nothing either way.
     */
    Optional<Sighting> find(String uuid);

    /**
     * Where a domain was found.
     *
     * @param uri    the peer's libvirt URI
     * @param state  the domain's state there
     */
    record Sighting(String uri, DomainState state) {
        public Sighting {
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(state, "state");
        }
    }
}
