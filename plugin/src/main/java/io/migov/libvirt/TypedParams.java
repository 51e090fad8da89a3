// SPDX-License-Identifier: Apache-2.0
package io.migov.libvirt;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** libvirt's {@code virTypedParameter} arrays ({@link VirTypedParameter}) as plain values by field name. */
final class TypedParams {

    // virTypedParameterType
    static final int INT = VirTypedParameter.INT;
    static final int UINT = VirTypedParameter.UINT;
    static final int LLONG = VirTypedParameter.LLONG;
    static final int ULLONG = VirTypedParameter.ULLONG;
    static final int DOUBLE = VirTypedParameter.DOUBLE;
    static final int BOOLEAN = VirTypedParameter.BOOLEAN;
    static final int STRING = VirTypedParameter.STRING;

    private TypedParams() {
    }

    /**
     * One parameter. Numbers are in {@code number} (ints, longs, booleans as 0/1; unsigned values
     * above {@link Long#MAX_VALUE} clamp to it; doubles rounded), doubles also exactly in
     * {@code real}; strings in {@code text}.
     */
    record Param(String field, int type, long number, double real, String text) {
        boolean isString() {
            return type == STRING;
        }

        boolean isNumeric() {
            return type >= INT && type <= BOOLEAN;
        }
    }

    /** The parameters in libvirt's order, by field name (a repeated name keeps its last value). */
    static Map<String, Param> read(Pointer params, int nparams) {
        Map<String, Param> out = new LinkedHashMap<>(Math.max(16, nparams * 2));
        if (params == null || nparams <= 0) {
            return out;
        }
        for (VirTypedParameter raw : VirTypedParameter.array(params, nparams)) {
            Param p = of(raw);
            if (p != null) {
                out.put(p.field(), p);
            }
        }
        return out;
    }

    /** The parameter's value by its type; null for an unknown type. */
    static Param of(VirTypedParameter raw) {
        String field = Native.toString(raw.field, StandardCharsets.UTF_8.name());
        int type = raw.type;
        VirTypedParameter.Value v = raw.value;
        switch (type) {
            case INT:
                return new Param(field, type, v.i, v.i, null);
            case UINT:
                long ui = Integer.toUnsignedLong(v.ui);
                return new Param(field, type, ui, ui, null);
            case LLONG:
                return new Param(field, type, v.l, v.l, null);
            case ULLONG:
                long ul = v.ul < 0 ? Long.MAX_VALUE : v.ul;
                return new Param(field, type, ul, v.ul < 0 ? Math.pow(2, 64) + v.ul : v.ul, null);
            case DOUBLE:
                return new Param(field, type, Math.round(v.d), v.d, null);
            case BOOLEAN:
                long b = v.b != 0 ? 1 : 0;
                return new Param(field, type, b, b, null);
            case STRING:
                return new Param(field, type, 0, 0, v.s == null ? null : v.s.getString(0, StandardCharsets.UTF_8.name()));
            default:
                return null;
        }
    }
}
