// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PriorMatrixTest {

    @Test
    void fromJson_versionedDocument_loads() {
        PriorMatrix p = PriorMatrix.fromJson("{\"format\":\"migov-prior\",\"version\":1,\"matrix\":[[0.5,0.5],[0,1]]}");
        assertEquals(2, p.stateCount());
        assertFalse(p.isUniform());
        assertEquals(0.5, p.probability(0, 1), 0);
        assertEquals(0.0, p.probability(1, 0), 0);
    }

    @Test
    void fromJson_bareArray_loads() {
        assertEquals(1.0, PriorMatrix.fromJson("[[0,1],[1,0]]").probability(0, 1), 0);
    }

    @Test
    void fromJson_notSquare_isRejectedNamingTheRow() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PriorMatrix.fromJson("[[0.5,0.5],[1]]"));
        assertTrue(e.getMessage().startsWith("matrix[1]:") && e.getMessage().contains("N×N"), e.getMessage());
    }

    @Test
    void fromJson_negativeEntry_isRejectedNamingTheCell() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PriorMatrix.fromJson("[[1.5,-0.5],[0,1]]"));
        assertTrue(e.getMessage().startsWith("matrix[0][1]:") && e.getMessage().contains("-0.5"), e.getMessage());
    }

    @Test
    void fromJson_rowNotSummingToOne_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PriorMatrix.fromJson("[[0.5,0.4],[0,1]]"));
        assertTrue(e.getMessage().startsWith("matrix[0]:") && e.getMessage().contains("sums to 0.9"), e.getMessage());
    }

    @Test
    void fromJson_rowWithinTolerance_isAccepted() {
        PriorMatrix p = PriorMatrix.fromJson("[[0.5000000001,0.5],[0,1]]");
        assertEquals(2, p.stateCount());
    }

    @Test
    void fromJson_wrongVersionOrGarbage_isRejected() {
        IllegalArgumentException v = assertThrows(IllegalArgumentException.class,
                () -> PriorMatrix.fromJson("{\"version\":2,\"matrix\":[[1]]}"));
        assertTrue(v.getMessage().startsWith("prior.version:"), v.getMessage());
        IllegalArgumentException g = assertThrows(IllegalArgumentException.class, () -> PriorMatrix.fromJson("{nope"));
        assertTrue(g.getMessage().startsWith("prior: not valid JSON"), g.getMessage());
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class, () -> PriorMatrix.fromJson("[[\"a\"]]"));
        assertTrue(s.getMessage().startsWith("matrix[0][0]:"), s.getMessage());
    }

    @Test
    void uniform_zeroStates_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> PriorMatrix.uniform(0));
    }
}
