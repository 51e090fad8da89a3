// SPDX-License-Identifier: Apache-2.0
package io.migov.libvirt;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import io.migov.port.DomainState;
import io.migov.port.HypervisorException;
import io.migov.port.HypervisorException.Kind;
import io.migov.port.PeerHosts;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Looks a domain up on the peers' libvirt over a read-only connection opened for the question and
 * closed after it: asked only when a watched VM left with no trace here, so a standing connection
 * per peer would cost more than it saves.
 */
public final class LibvirtPeerHosts implements PeerHosts {

    private static final Logger LOG = LoggerFactory.getLogger(LibvirtPeerHosts.class);

    private final List<String> uris;

    public LibvirtPeerHosts(List<String> uris) {
        this.uris = List.copyOf(Objects.requireNonNull(uris, "uris"));
    }

    @Override
    public Optional<Sighting> find(String uuid) {
        Objects.requireNonNull(uuid, "uuid");
        for (String uri : uris) {
            try {
                Optional<DomainState> state = stateOn(uri, uuid);
                if (state.isPresent()) {
                    return Optional.of(new Sighting(uri, state.get()));
                }
            } catch (HypervisorException e) {
                LOG.info("peer {}: cannot look {} up ({})", uri, uuid, e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** virDomainGetState of the domain on the peer; empty when the peer has no such domain. */
    static Optional<DomainState> stateOn(String uri, String uuid) throws HypervisorException {
        MigovConnect conn;
        try {
            conn = new MigovConnect(uri, true);
        } catch (LibvirtException e) {
            throw LibvirtErrors.withKind(LibvirtErrors.of("virConnectOpenReadOnly", e), Kind.CONNECTION);
        }
        try {
            Pointer dom = VirNative.LIB.virDomainLookupByUUIDString(conn.raw(), uuid);
            if (dom == null) {
                HypervisorException e = LibvirtErrors.lastError("virDomainLookupByUUIDString");
                if (e.kind() == Kind.NO_DOMAIN) {
                    return Optional.empty();
                }
                throw e;
            }
            try {
                IntByReference state = new IntByReference();
                IntByReference reason = new IntByReference();
                if (VirNative.LIB.virDomainGetState(dom, state, reason, 0) < 0) {
                    throw LibvirtErrors.lastError("virDomainGetState");
                }
                return Optional.of(new DomainState(state.getValue(), reason.getValue()));
            } finally {
                VirNative.LIB.virDomainFree(dom);
            }
        } finally {
            try {
                conn.close();
            } catch (LibvirtException e) {
                LOG.debug("peer {}: close failed: {}", uri, e.toString());
            }
        }
    }
}
