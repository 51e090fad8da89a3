// SPDX-License-Identifier: Apache-2.0
package io.migov.jmx;

import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns open-type values read from an MBean into plain Java values a client can print or serialise:
 * {@link CompositeData} → {@code Map} (item name → value), {@link TabularData} → {@code List} of rows
 * sorted by the table's index, arrays → {@code List}; simple values are returned as they are.
 */
public final class OpenValues {

    private OpenValues() {
    }

    public static Object toJava(Object value) {
        if (value instanceof CompositeData c) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (String key : c.getCompositeType().keySet()) {
                out.put(key, toJava(c.get(key)));
            }
            return out;
        }
        if (value instanceof TabularData t) {
            List<String> index = t.getTabularType().getIndexNames();
            List<CompositeData> rows = new ArrayList<>();
            for (Object row : t.values()) {
                rows.add((CompositeData) row);
            }
            rows.sort(byIndex(index));
            List<Object> out = new ArrayList<>();
            for (CompositeData row : rows) {
                out.add(toJava(row));
            }
            return out;
        }
        if (value != null && value.getClass().isArray()) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                out.add(toJava(Array.get(value, i)));
            }
            return out;
        }
        return value;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparator<CompositeData> byIndex(List<String> index) {
        return (a, b) -> {
            for (String key : index) {
                Object x = a.get(key);
                Object y = b.get(key);
                int c;
                if (x instanceof Comparable cx && y != null && x.getClass() == y.getClass()) {
                    c = cx.compareTo(y);
                } else {
                    c = String.valueOf(x).compareTo(String.valueOf(y));
                }
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
    }
}
