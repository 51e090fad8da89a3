package io.migov.libvirt;

import com.sun.jna.Pointer;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads libvirt's {@code virTypedParameter} arrays straight from native memory.
 *
 * <p>Layout on x86_64 / LP64 (libvirt-common.h): {@code char field[80]} at 0, {@code int type} at
 * 80, then the value union at 88 (8-byte aligned: long long, double, char*), size 96.
 */
final class TypedParams {

    static final int FIELD_LENGTH = 80;
    static final int TYPE_OFFSET = 80;
    static final int VALUE_OFFSET = 88;
    static final int SIZE = 96;

    // virTypedParameterType
    static final int INT = 1;
    static final int UINT = 2;
    static final int LLONG = 3;
    static final int ULLONG = 4;
    static final int DOUBLE = 5;
    static final int BOOLEAN = 6;
    static final int STRING = 7;

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
            Param p = readOne(params, (long) i * SIZE);
            if (p != null) {
                out.put(p.field(), p);
            }
        }
        return out;
    }

    /** The parameter at {@code offset}; null for an unknown type. */
    static Param readOne(Pointer base, long offset) {
        String field = cString(base, offset, FIELD_LENGTH);
        int type = base.getInt(offset + TYPE_OFFSET);
        long v = offset + VALUE_OFFSET;
        switch (type) {
            case INT:
                int i = base.getInt(v);
                return new Param(field, type, i, i, null);
            case UINT:
                long ui = Integer.toUnsignedLong(base.getInt(v));
                return new Param(field, type, ui, ui, null);
            case LLONG:
                long l = base.getLong(v);
                return new Param(field, type, l, l, null);
            case ULLONG:
                long raw = base.getLong(v);
                long ul = raw < 0 ? Long.MAX_VALUE : raw;
                return new Param(field, type, ul, raw < 0 ? Math.pow(2, 64) + raw : raw, null);
            case DOUBLE:
                double d = base.getDouble(v);
                return new Param(field, type, Math.round(d), d, null);
            case BOOLEAN:
                long b = base.getByte(v) != 0 ? 1 : 0;
                return new Param(field, type, b, b, null);
            case STRING:
                Pointer s = base.getPointer(v);
                return new Param(field, type, 0, 0, s == null ? null : s.getString(0, StandardCharsets.UTF_8.name()));
            default:
                return null;
        }
    }

    /** A NUL-terminated string of at most {@code max} bytes (libvirt's field never fills all 80). */
    private static String cString(Pointer base, long offset, int max) {
        byte[] bytes = base.getByteArray(offset, max);
        int n = 0;
        while (n < max && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }
}
