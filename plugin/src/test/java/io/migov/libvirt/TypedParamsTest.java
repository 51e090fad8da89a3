// SPDX-License-Identifier: Apache-2.0
package io.migov.libvirt;

import com.sun.jna.Memory;
import org.junit.jupiter.api.Test;
import org.libvirt.jna.virTypedParameter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TypedParamsTest {

    /** Native memory laid out by hand like libvirt's virTypedParameter array (x86_64: name at 0, type at 80, value at 88). */
    private static final class Layout {
        final Memory mem;
        final List<Memory> strings = new ArrayList<>();
        int n;

        Layout(int capacity) {
            mem = new Memory((long) capacity * 96);
            mem.clear();
        }

        private long slot(String field, int type) {
            long base = (long) n++ * 96;
            byte[] name = field.getBytes(StandardCharsets.UTF_8);
            mem.write(base, name, 0, name.length);
            mem.setByte(base + name.length, (byte) 0);
            mem.setInt(base + 80, type);
            return base + 88;
        }

        Layout i(String field, int v) {
            mem.setInt(slot(field, 1), v);
            return this;
        }

        Layout ui(String field, int v) {
            mem.setInt(slot(field, 2), v);
            return this;
        }

        Layout l(String field, long v) {
            mem.setLong(slot(field, 3), v);
            return this;
        }

        Layout ul(String field, long v) {
            mem.setLong(slot(field, 4), v);
            return this;
        }

        Layout d(String field, double v) {
            mem.setDouble(slot(field, 5), v);
            return this;
        }

        Layout b(String field, boolean v) {
            mem.setByte(slot(field, 6), (byte) (v ? 1 : 0));
            return this;
        }

        Layout s(String field, String v) {
            Memory str = new Memory(v.getBytes(StandardCharsets.UTF_8).length + 1L);
            str.setString(0, v, StandardCharsets.UTF_8.name());
            strings.add(str);
            mem.setPointer(slot(field, 7), str);
            return this;
        }

        Layout raw(String field, int type) {
            slot(field, type);
            return this;
        }
    }

    @Test
    void layout_sameSizeAsLibvirtJavasStructure_96BytesPerParameter() {
        // libvirt-java's JNA Structure for the same C struct, laid out by JNA's own alignment rules
        assertEquals(96, new virTypedParameter().size());
        assertEquals(96, new VirTypedParameter().size());
    }

    @Test
    void read_everyType_decodesValueAtOffset88() {
        Layout l = new Layout(7)
                .i("an.int", -7)
                .ui("a.uint", 0xFFFF_FFFE)
                .l("a.llong", -123_456_789_012L)
                .ul("memory_remaining", 268_435_456L)
                .d("a.double", 2.5)
                .b("a.bool", true)
                .s("errmsg", "migration failed: ünïcode");

        Map<String, TypedParams.Param> p = TypedParams.read(l.mem, l.n);

        assertEquals(List.of("an.int", "a.uint", "a.llong", "memory_remaining", "a.double", "a.bool", "errmsg"),
                List.copyOf(p.keySet()));
        assertEquals(-7, p.get("an.int").number());
        assertEquals(4_294_967_294L, p.get("a.uint").number());
        assertEquals(-123_456_789_012L, p.get("a.llong").number());
        assertEquals(268_435_456L, p.get("memory_remaining").number());
        assertEquals(2.5, p.get("a.double").real());
        assertEquals(3, p.get("a.double").number());
        assertEquals(1, p.get("a.bool").number());
        assertTrue(p.get("errmsg").isString());
        assertEquals("migration failed: ünïcode", p.get("errmsg").text());
    }

    @Test
    void read_ullongAboveLongMax_clampsToLongMax() {
        Layout l = new Layout(1).ul("huge", -1L);
        assertEquals(Long.MAX_VALUE, TypedParams.read(l.mem, 1).get("huge").number());
    }

    @Test
    void read_unknownType_isSkipped() {
        Layout l = new Layout(3).ul("a", 1).raw("future", 99).ul("b", 2);
        Map<String, TypedParams.Param> p = TypedParams.read(l.mem, l.n);
        assertEquals(List.of("a", "b"), List.copyOf(p.keySet()));
    }

    @Test
    void read_fieldOf79Bytes_readsWholeName() {
        String name = "x".repeat(79);
        Layout l = new Layout(1).ul(name, 5);
        assertEquals(5, TypedParams.read(l.mem, 1).get(name).number());
    }

    @Test
    void read_nullOrEmpty_isEmpty() {
        assertTrue(TypedParams.read(null, 3).isEmpty());
        assertTrue(TypedParams.read(new Memory(96), 0).isEmpty());
    }

    @Test
    void read_stringWithNullPointer_hasNullText() {
        Layout l = new Layout(1).raw("s", 7); // value left zero: a NULL char*
        TypedParams.Param p = TypedParams.read(l.mem, 1).get("s");
        assertTrue(p.isString());
        assertNull(p.text());
        assertFalse(p.isNumeric());
    }
}
