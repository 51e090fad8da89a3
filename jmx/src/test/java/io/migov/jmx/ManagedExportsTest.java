// SPDX-License-Identifier: Apache-2.0
package io.migov.jmx;

import org.junit.jupiter.api.Test;

import javax.management.Attribute;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanException;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManagedExportsTest {

    private final MBeanServer server = MBeanServerFactory.newMBeanServer();
    private final ManagedExports exports = new ManagedExports(server);

    @Test
    void export_annotatedBean_hasDescribedAttributesAndOperations() throws Exception {
        ObjectName name = MBeanNames.of("Sample");
        exports.export(name, new SampleBean());
        MBeanInfo info = server.getMBeanInfo(name);
        MBeanAttributeInfo ticks = java.util.Arrays.stream(info.getAttributes()).filter(a -> a.getName().equals("Ticks")).findFirst().orElseThrow();
        assertEquals("Ticks since start (count)", ticks.getDescription());
        assertFalse(ticks.isWritable());
        assertEquals(42L, server.getAttribute(name, "Ticks"));
        server.setAttribute(name, new Attribute("LookAhead", 7));
        assertEquals(7, server.getAttribute(name, "LookAhead"));
        assertEquals("reset 1", server.invoke(name, "reset", new Object[0], new String[0]));
    }

    @Test
    void setAttribute_invalid_rejectedWithTheSettersMessage() throws Exception {
        ObjectName name = MBeanNames.of("Sample");
        exports.export(name, new SampleBean());
        MBeanException e = assertThrows(MBeanException.class, () -> server.setAttribute(name, new Attribute("LookAhead", 0)));
        assertInstanceOf(IllegalArgumentException.class, e.getTargetException());
        assertEquals("lookAhead: expected 1..1000, got 0", e.getTargetException().getMessage());
        assertEquals(5, server.getAttribute(name, "LookAhead"));
    }

    @Test
    void sync_keyedSet_registersNewAndUnregistersGone() {
        ObjectName a = MBeanNames.of("Vm", "a");
        ObjectName b = MBeanNames.of("Vm", "b");
        assertEquals(2, exports.sync("vms", Map.of("u1", a, "u2", b), k -> new SampleBean()));
        assertTrue(server.isRegistered(a) && server.isRegistered(b));
        assertEquals(0, exports.sync("vms", Map.of("u1", a, "u2", b), k -> new SampleBean()), "nothing changed");
        ObjectName renamed = MBeanNames.of("Vm", "a2");
        assertEquals(3, exports.sync("vms", Map.of("u1", renamed), k -> new SampleBean()));
        assertFalse(server.isRegistered(a));
        assertFalse(server.isRegistered(b));
        assertTrue(server.isRegistered(renamed));
        exports.close();
        assertFalse(server.isRegistered(renamed));
        exports.unexport(renamed); // idempotent
    }

    @Test
    void export_sameNameTwice_replacesTheBean() throws Exception {
        ObjectName name = MBeanNames.of("Sample");
        SampleBean first = new SampleBean();
        first.setLookAhead(9);
        exports.export(name, first);
        exports.export(name, new SampleBean());
        assertEquals(5, server.getAttribute(name, "LookAhead"));
    }
}
