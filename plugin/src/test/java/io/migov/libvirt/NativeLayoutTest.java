// SPDX-License-Identifier: Apache-2.0
package io.migov.libvirt;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The JNA structures against libvirt's C layouts on x86_64 (LP64): memory written at the offsets
 * the C compiler uses, read through the structure, and the other way round.
 */
class NativeLayoutTest {

    private static Memory cString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        Memory m = new Memory(b.length + 1L);
        m.write(0, b, 0, b.length);
        m.setByte(b.length, (byte) 0);
        return m;
    }

    private static Memory zeroed(long size) {
        Memory m = new Memory(size);
        m.clear();
        return m;
    }

    @Test
    void typedParameter_lp64_is96Bytes() {
        assertEquals(8, Native.POINTER_SIZE, "the layouts below are LP64's");
        assertEquals(96, new VirTypedParameter().size());
    }

    @Test
    void typedParameter_handBuiltMemory_nameAt0TypeAt80ValueAt88() {
        Memory m = zeroed(96);
        byte[] name = "memory_remaining".getBytes(StandardCharsets.UTF_8);
        m.write(0, name, 0, name.length);
        m.setInt(80, VirTypedParameter.ULLONG);
        m.setLong(88, 268_435_456L);

        VirTypedParameter p = new VirTypedParameter(m);

        assertEquals("memory_remaining", Native.toString(p.field, "UTF-8"));
        assertEquals(VirTypedParameter.ULLONG, p.type);
        assertEquals(268_435_456L, p.value.ul);
    }

    @Test
    void typedParameter_unionMembers_allStartAtTheValueOffset() {
        Memory m = zeroed(96);
        m.setDouble(88, 2.5);
        assertEquals(2.5, new VirTypedParameter(m).value.d);
        m.setInt(88, -7);
        assertEquals(-7, new VirTypedParameter(m).value.i);
        m.setInt(88, 1);
        assertEquals(1, new VirTypedParameter(m).value.b);
        Memory text = cString("migration failed");
        m.setPointer(88, text);
        assertEquals("migration failed", new VirTypedParameter(m).value.s.getString(0, "UTF-8"));
    }

    @Test
    void typedParameter_writtenThroughTheStructure_landsAtTheCOffsets() {
        VirTypedParameter p = new VirTypedParameter();
        byte[] name = "a.llong".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(name, 0, p.field, 0, name.length);
        p.type = VirTypedParameter.LLONG;
        p.value.setType(long.class);
        p.value.l = -123_456_789_012L;
        p.write();

        Pointer raw = p.getPointer();
        assertEquals("a.llong", raw.getString(0, "UTF-8"));
        assertEquals(VirTypedParameter.LLONG, raw.getInt(80));
        assertEquals(-123_456_789_012L, raw.getLong(88));
    }

    @Test
    void typedParameter_array_elementsEvery96Bytes() {
        Memory m = zeroed(3 * 96);
        for (int i = 0; i < 3; i++) {
            byte[] name = ("p" + i).getBytes(StandardCharsets.UTF_8);
            m.write(i * 96L, name, 0, name.length);
            m.setInt(i * 96L + 80, VirTypedParameter.INT);
            m.setInt(i * 96L + 88, 10 + i);
        }

        VirTypedParameter[] a = VirTypedParameter.array(m, 3);

        assertEquals(3, a.length);
        for (int i = 0; i < 3; i++) {
            assertEquals("p" + i, Native.toString(a[i].field, "UTF-8"));
            assertEquals(10 + i, a[i].value.i);
        }
    }

    @Test
    void domainStatsRecord_handBuiltMemory_domAt0ParamsAt8NparamsAt16_24Bytes() {
        assertEquals(24, new VirDomainStatsRecord().size());
        Memory dom = zeroed(8);
        Memory params = zeroed(2 * 96);
        Memory m = zeroed(24);
        m.setPointer(0, dom);
        m.setPointer(8, params);
        m.setInt(16, 2);

        VirDomainStatsRecord r = new VirDomainStatsRecord(m);

        assertEquals(dom, r.dom);
        assertEquals(params, r.params);
        assertEquals(2, r.nparams);
    }

    @Test
    void error_handBuiltMemory_codeAt0DomainAt4MessageAt8_80Bytes() {
        assertEquals(80, new VirError().size());
        Memory m = zeroed(80);
        m.setInt(0, LibvirtErrors.VIR_ERR_NO_DOMAIN);
        m.setInt(4, 10);
        Memory message = cString("Domain not found: ünïcode");
        m.setPointer(8, message);
        m.setInt(16, 2); // VIR_ERR_ERROR
        m.setInt(64, 7);
        m.setInt(68, 8);

        VirError e = new VirError(m);

        assertEquals(LibvirtErrors.VIR_ERR_NO_DOMAIN, e.code);
        assertEquals(10, e.domain);
        assertEquals("Domain not found: ünïcode", e.messageText());
        assertEquals(2, e.level);
        assertEquals(7, e.int1);
        assertEquals(8, e.int2);
        assertEquals("NO_DOMAIN", LibvirtErrors.of("virDomainLookupByUUIDString", e).kind().name());
    }

    @Test
    void error_withoutMessage_hasNullText() {
        assertNull(new VirError(zeroed(80)).messageText());
    }

    @Test
    void typedParameter_offsetsReadWithoutAStructure_areTheCCompilers() {
        assertEquals(96, VirTypedParameter.SIZE);
        assertEquals(80, VirTypedParameter.TYPE_OFFSET);
        assertEquals(88, VirTypedParameter.VALUE_OFFSET);
    }

    @Test
    void domainStatsRecord_readByOffset_domAt0_paramsAt8_nparamsAt16() {
        Memory rec = zeroed(24);
        Memory dom = zeroed(8);
        Memory params = zeroed(96);
        rec.setPointer(0, dom);
        rec.setPointer(8, params);
        rec.setInt(16, 42);
        assertEquals(dom, VirDomainStatsRecord.domAt(rec));
        assertEquals(params, VirDomainStatsRecord.paramsAt(rec));
        assertEquals(42, VirDomainStatsRecord.nparamsAt(rec));
        assertEquals(42, new VirDomainStatsRecord(rec).nparams, "the same as JNA's structure reads");
    }
}
