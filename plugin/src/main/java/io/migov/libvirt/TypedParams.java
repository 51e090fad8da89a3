// SPDX-License-Identifier: Apache-2.0
package io.migov.libvirt;

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
        for (int i = 0; i < nparams; i++) {
            Param p = at(params, (long) i * VirTypedParameter.SIZE);
            if (p != null) {
                out.put(p.field(), p);
            }
        }
        return out;
    }

    /**
     * The parameter {@code base} bytes into an array, read at JNA's offsets for
     * {@link VirTypedParameter} (no Structure per parameter, see {@link VirTypedParameter#SIZE});
     * null for an unknown type.
     */
    static Param at(Pointer params, long base) {
        String field = fieldName(params.getByteArray(base, VirTypedParameter.FIELD_LENGTH));
        int type = params.getInt(base + VirTypedParameter.TYPE_OFFSET);
        long value = base + VirTypedParameter.VALUE_OFFSET;
        switch (type) {
            case INT:
                int i = params.getInt(value);
                return new Param(field, type, i, i, null);
            case UINT:
                long ui = Integer.toUnsignedLong(params.getInt(value));
                return new Param(field, type, ui, ui, null);
            case LLONG:
                long l = params.getLong(value);
                return new Param(field, type, l, l, null);
            case ULLONG:
                long ul = params.getLong(value);
                return new Param(field, type, ul < 0 ? Long.MAX_VALUE : ul, ul < 0 ? Math.pow(2, 64) + ul : ul, null);
            case DOUBLE:
                double d = params.getDouble(value);
                return new Param(field, type, Math.round(d), d, null);
            case BOOLEAN:
                long b = params.getInt(value) != 0 ? 1 : 0;
                return new Param(field, type, b, b, null);
            case STRING:
                Pointer text = params.getPointer(value);
                return new Param(field, type, 0, 0, text == null ? null : text.getString(0, StandardCharsets.UTF_8.name()));
            default:
                return null;
        }
    }

    /** A NUL-terminated name in a fixed-size buffer (the whole buffer if no NUL). */
    private static String fieldName(byte[] buffer) {
        int n = 0;
        while (n < buffer.length && buffer[n] != 0) {
            n++;
        }
        return new String(buffer, 0, n, StandardCharsets.UTF_8);
    }
}
