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

    /* JNA's layout, computed once (see VirTypedParameter#SIZE for why records are read by offset). */
    private static final VirDomainStatsRecord LAYOUT = new VirDomainStatsRecord();
    private static final int DOM_OFFSET = LAYOUT.fieldOffset("dom");
    private static final int PARAMS_OFFSET = LAYOUT.fieldOffset("params");
    private static final int NPARAMS_OFFSET = LAYOUT.fieldOffset("nparams");

    public VirDomainStatsRecord() {
    }

    /** The record at {@code p}: its virDomainPtr. */
    static Pointer domAt(Pointer p) {
        return p.getPointer(DOM_OFFSET);
    }

    /** The record at {@code p}: its parameter array. */
    static Pointer paramsAt(Pointer p) {
        return p.getPointer(PARAMS_OFFSET);
    }

    /** The record at {@code p}: its parameter count. */
    static int nparamsAt(Pointer p) {
        return p.getInt(NPARAMS_OFFSET);
    }

    /** The record at {@code p}, read. */
    public VirDomainStatsRecord(Pointer p) {
        super(p);
        read();
    }
}
