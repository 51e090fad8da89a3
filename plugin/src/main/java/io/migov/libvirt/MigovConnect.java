// SPDX-License-Identifier: Apache-2.0
package io.migov.libvirt;

import com.sun.jna.Pointer;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;

/** libvirt-java's connection with access to its raw {@code virConnectPtr} for the JNA calls. */
final class MigovConnect extends Connect {

    MigovConnect(String uri) throws LibvirtException {
        super(uri);
    }

    /** A read-only connection (a peer is only looked at). */
    MigovConnect(String uri, boolean readOnly) throws LibvirtException {
        super(uri, readOnly);
    }

    /** The raw pointer; null once closed. */
    Pointer raw() {
        return vcp == null ? null : vcp.getPointer();
    }
}
