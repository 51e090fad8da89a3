// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

/**
 * A profiled resource of a VM; each is measured as a percentage of its capacity. {@link #WRITE} is
 * memory write intensity: the guest's dirty-page rate as a share of the migration bandwidth, so
 * 100 % means pre-copy cannot keep up with the guest's writes.
 */
public enum Resource {
    CPU("cpu"),
    MEMORY("mem"),
    WRITE("write"),
    NET_IN("net_in"),
    NET_OUT("net_out");

    private final String fieldName;

    Resource(String fieldName) {
        this.fieldName = fieldName;
    }

    /** The name used in traces, JSON and error messages ({@code cpu}, {@code mem}, {@code write}, {@code net_in}, {@code net_out}). */
    public String fieldName() {
        return fieldName;
    }

    public static Resource fromFieldName(String name) {
        for (Resource r : values()) {
            if (r.fieldName.equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("resource: unknown resource '" + name
                + "' (expected one of cpu, mem, write, net_in, net_out)");
    }
}
