// SPDX-License-Identifier: Apache-2.0
package io.migov.libvirt;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.Union;

/**
 * libvirt's {@code virTypedParameter} (libvirt-common.h): {@code char field[80]}, {@code int type},
 * and the value union; JNA lays it out by the platform's alignment rules (x86_64: 0, 80, 88; 96
 * bytes). Public because JNA instantiates and reads it by reflection.
 */
@Structure.FieldOrder({"field", "type", "value"})
public final class VirTypedParameter extends Structure {

    /** VIR_TYPED_PARAM_FIELD_LENGTH. */
    static final int FIELD_LENGTH = 80;

    // virTypedParameterType
    static final int INT = 1;
    static final int UINT = 2;
    static final int LLONG = 3;
    static final int ULLONG = 4;
    static final int DOUBLE = 5;
    static final int BOOLEAN = 6;
    static final int STRING = 7;

    /** NUL-terminated name. */
    public byte[] field = new byte[FIELD_LENGTH];
    /** A virTypedParameterType: which member of {@link #value} holds the value. */
    public int type;
    public Value value;

    /** The union {@code value}: every member starts at its first byte. */
    public static final class Value extends Union {
        public int i;
        public int ui;
        public long l;
        public long ul;
        public double d;
        public int b;
        /** A char* owned by whoever owns the parameter array. */
        public Pointer s;
    }

    public VirTypedParameter() {
    }

    /** The parameter at {@code p}, read. */
    public VirTypedParameter(Pointer p) {
        super(p);
        read();
    }

    /*
     * JNA's layout of this structure, computed once: the bulk statistics of 500 domains are ~10⁴
     * parameters a second, and a Structure per parameter costs reflection each time (a tenth of the
     * daemon's CPU in a JFR profile of docs/evaluation/scale.md), so TypedParams reads the array's
     * memory at these offsets instead.
     */
    private static final VirTypedParameter LAYOUT = new VirTypedParameter();
    /** Bytes per parameter in an array. */
    static final int SIZE = LAYOUT.size();
    /** Offset of {@code type}. */
    static final int TYPE_OFFSET = LAYOUT.fieldOffset("type");
    /** Offset of the value union. */
    static final int VALUE_OFFSET = LAYOUT.fieldOffset("value");

    /** {@code n} consecutive parameters starting at {@code p} (a virTypedParameterPtr array), read. */
    static VirTypedParameter[] array(Pointer p, int n) {
        return (VirTypedParameter[]) new VirTypedParameter(p).toArray(n);
    }
}
