// SPDX-License-Identifier: Apache-2.0
package io.migov.libvirt;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * libvirt's {@code virDomainStatsRecord} (libvirt-domain.h): the domain, its statistics as a
 * {@link VirTypedParameter} array, and their count. Owned by libvirt (freed with
 * virDomainStatsRecordListFree). Public because JNA instantiates and reads it by reflection.
 */
@Structure.FieldOrder({"dom", "params", "nparams"})
public final class VirDomainStatsRecord extends Structure {

    /** virDomainPtr. */
    public Pointer dom;
    /** virTypedParameterPtr: {@link #nparams} parameters. */
    public Pointer params;
    public int nparams;

    public VirDomainStatsRecord() {
    }

    /** The record at {@code p}, read. */
    public VirDomainStatsRecord(Pointer p) {
        super(p);
        read();
    }
}
