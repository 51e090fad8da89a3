// SPDX-License-Identifier: Apache-2.0
package io.migov.jmx;

import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the open types migov's MBeans return (so that JConsole and any JMX client can read them
 * without migov's classes): a {@link Row} schema is a {@link CompositeType} whose items keep the
 * order they were declared in, each with a description that names its unit; a table is a
 * {@link TabularType} of such rows indexed by one or more of their items.
 *
 * <pre>
 * Row row = Row.named("Prediction", "most likely state k steps ahead")
 *         .item("k", SimpleType.INTEGER, "steps ahead (1 step = 1 s)")
 *         .item("probability", SimpleType.DOUBLE, "probability, 0..1")
 *         .build();
 * TabularType table = row.table("Predictions", "…", "k");
 * TabularData data = OpenTables.tabular(table, List.of(row.data(1, 0.9))); 
 * </pre>
 */
public final class OpenTables {

    private OpenTables() {
    }

    /** A table holding the given rows (which must be of the table's row type). */
    public static TabularData tabular(TabularType type, Collection<CompositeData> rows) {
        TabularDataSupport table = new TabularDataSupport(type, Math.max(16, rows.size() * 2), 0.75f);
        for (CompositeData row : rows) {
            table.put(row);
        }
        return table;
    }

    /** A row schema: items in declaration order. */
    public static final class Row {
        private final CompositeType type;
        private final List<String> keys;

        private Row(CompositeType type, List<String> keys) {
            this.type = type;
            this.keys = List.copyOf(keys);
        }

        public static Builder named(String typeName, String description) {
            return new Builder(typeName, description);
        }

        public CompositeType type() {
            return type;
        }

        /** The item names in declaration order (CompositeType itself sorts them). */
        public List<String> keys() {
            return keys;
        }

        /** One row; values in declaration order, each of its item's open type (null allowed). */
        public CompositeData data(Object... values) {
            if (values.length != keys.size()) {
                throw new IllegalArgumentException("values: expected " + keys.size() + " (" + keys + "), got " + values.length);
            }
            try {
                return new CompositeDataSupport(type, keys.toArray(new String[0]), values);
            } catch (OpenDataException e) {
                throw new IllegalArgumentException(type.getTypeName() + ": " + e.getMessage(), e);
            }
        }

        /** A table of these rows, indexed by {@code index} items. */
        public TabularType table(String typeName, String description, String... index) {
            try {
                return new TabularType(typeName, description, type, index);
            } catch (OpenDataException e) {
                throw new IllegalArgumentException(typeName + ": " + e.getMessage(), e);
            }
        }

        public static final class Builder {
            private final String typeName;
            private final String description;
            private final Map<String, Item> items = new LinkedHashMap<>();

            private Builder(String typeName, String description) {
                this.typeName = Objects.requireNonNull(typeName, "typeName");
                this.description = Objects.requireNonNull(description, "description");
            }

            /** An item; its description should name its unit. */
            public Builder item(String name, OpenType<?> type, String itemDescription) {
                if (items.put(name, new Item(type, itemDescription)) != null) {
                    throw new IllegalArgumentException("item: duplicate name " + name);
                }
                return this;
            }

            public Row build() {
                List<String> names = new ArrayList<>(items.keySet());
                String[] descriptions = new String[names.size()];
                OpenType<?>[] types = new OpenType<?>[names.size()];
                for (int i = 0; i < names.size(); i++) {
                    Item item = items.get(names.get(i));
                    descriptions[i] = item.description;
                    types[i] = item.type;
                }
                try {
                    return new Row(new CompositeType(typeName, description, names.toArray(new String[0]), descriptions, types), names);
                } catch (OpenDataException e) {
                    throw new IllegalArgumentException(typeName + ": " + e.getMessage(), e);
                }
            }
        }

        private record Item(OpenType<?> type, String description) {
        }
    }
}
