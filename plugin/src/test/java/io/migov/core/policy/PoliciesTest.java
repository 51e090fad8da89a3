// SPDX-License-Identifier: Apache-2.0
package io.migov.core.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoliciesTest {

    @Test
    void create_everySuiteName_buildsAPolicyOfThatName() {
        for (String name : Policies.SUITE) {
            assertEquals(name, Policies.create(name, PolicySettings.DEFAULTS).name());
        }
    }

    @Test
    void create_twice_givesAFreshInstancePerMigration() {
        assertNotSame(Policies.create("migov", PolicySettings.DEFAULTS), Policies.create("migov", PolicySettings.DEFAULTS));
    }

    @Test
    void canonical_caseAndSpaces_areNormalised() {
        assertEquals("hybrid(7)", Policies.canonical("  Hybrid(7) "));
        assertEquals("kubevirt-stall", Policies.canonical("KUBEVIRT-STALL"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "fastest", "hybrid(0)", "hybrid(1001)", "hybrid()", "hybrid(-1)", "hybrid(4", "nova force"})
    void canonical_unknownName_failsNamingTheFieldAndTheValue(String bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Policies.canonical(bad));
        assertTrue(e.getMessage().startsWith("policy: expected one of migov, "), e.getMessage());
        assertTrue(e.getMessage().endsWith("got '" + bad + "'"), e.getMessage());
    }

    @Test
    void canonical_null_failsNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Policies.canonical(null));
        assertTrue(e.getMessage().startsWith("policy: "), e.getMessage());
    }
}
