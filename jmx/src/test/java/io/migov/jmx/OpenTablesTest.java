// SPDX-License-Identifier: Apache-2.0
package io.migov.jmx;

import org.junit.jupiter.api.Test;

import javax.management.openmbean.CompositeData;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularType;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OpenTablesTest {

    private static final OpenTables.Row ROW = OpenTables.Row.named("Prediction", "most likely state k steps ahead")
            .item("k", SimpleType.INTEGER, "steps ahead (s)")
            .item("state", SimpleType.INTEGER, "state index")
            .item("probability", SimpleType.DOUBLE, "probability, 0..1")
            .build();

    @Test
    void row_keepsDeclarationOrderAndDescriptions() {
        assertEquals(List.of("k", "state", "probability"), ROW.keys());
        assertEquals("probability, 0..1", ROW.type().getDescription("probability"));
        CompositeData d = ROW.data(1, 72, 0.9);
        assertEquals(72, d.get("state"));
    }

    @Test
    void data_wrongArity_failsListingTheItems() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ROW.data(1, 2));
        assertEquals("values: expected 3 ([k, state, probability]), got 2", e.getMessage());
    }

    @Test
    void tabular_toJava_isRowsSortedByIndex() {
        TabularType type = ROW.table("Predictions", "k = 1..n", "k");
        TabularData t = OpenTables.tabular(type, List.of(ROW.data(2, 63, 0.5), ROW.data(1, 72, 0.9)));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) OpenValues.toJava(t);
        assertEquals(2, rows.size());
        assertEquals(1, rows.get(0).get("k"));
        assertEquals(63, rows.get(1).get("state"));
        assertEquals("x", OpenValues.toJava("x"));
        assertEquals(List.of("a", "b"), OpenValues.toJava(new String[] {"a", "b"}));
    }
}
