// SPDX-License-Identifier: Apache-2.0
package io.migov.jmx;

import org.junit.jupiter.api.Test;

import javax.management.ObjectName;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MBeanNamesTest {

    @Test
    void of_typeOnly_isTheDomainAndType() {
        assertEquals("io.migov:type=Migrations", MBeanNames.of("Migrations").toString());
    }

    @Test
    void of_nameWithSpecialCharacters_isQuotedAndReadBack() {
        ObjectName n = MBeanNames.of("Vm", "web,1:a=\"b\"*?");
        assertEquals("Vm", n.getKeyProperty("type"));
        assertEquals("web,1:a=\"b\"*?", MBeanNames.name(n));
        assertTrue(MBeanNames.pattern("Vm").apply(n));
    }

    @Test
    void of_plainName_isStillQuoted() {
        assertEquals("io.migov:type=Vm,name=\"jmx-a\"", MBeanNames.of("Vm", "jmx-a").toString());
    }

    @Test
    void name_withoutNameKey_isNull() {
        assertNull(MBeanNames.name(MBeanNames.of("Migrations")));
    }

    @Test
    void of_badType_failsNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MBeanNames.of("a,b"));
        assertEquals("type: expected letters, digits, '_', '.' or '-', got 'a,b'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MBeanNames.of("Vm", ""));
    }
}
