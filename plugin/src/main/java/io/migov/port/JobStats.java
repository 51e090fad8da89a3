// SPDX-License-Identifier: Apache-2.0
package io.migov.port;

import java.util.Map;
import java.util.Objects;

/**
 * A domain's job statistics (virDomainGetJobStats or the JOB_COMPLETED event), as libvirt's typed
 * parameters: numeric fields by their libvirt names ({@code memory_iteration},
 * {@code memory_dirty_rate}, {@code memory_remaining}, {@code memory_bps},
 * {@code memory_postcopy_requests}, {@code downtime}, {@code time_elapsed}, {@code data_total}, …).
 *
 * @param type    libvirt's job type
 * @param fields  numeric fields; strings (e.g. {@code errmsg}) in {@code strings}
 */
public record JobStats(Type type, Map<String, Long> fields, Map<String, String> strings) {

    /** virDomainJobType. */
    public enum Type { NONE, BOUNDED, UNBOUNDED, COMPLETED, FAILED, CANCELLED }

    /** virDomainJobOperation values this project cares about. */
    public static final long OPERATION_MIGRATION_IN = 4;
    public static final long OPERATION_MIGRATION_OUT = 5;

    public JobStats {
        Objects.requireNonNull(type, "type");
        fields = Map.copyOf(fields);
        strings = Map.copyOf(strings);
    }

    public static JobStats none() {
        return new JobStats(Type.NONE, Map.of(), Map.of());
    }

    public long get(String field, long missing) {
        Long v = fields.get(field);
        return v == null ? missing : v;
    }

    public boolean has(String field) {
        return fields.containsKey(field);
    }

    public boolean isActive() {
        return type == Type.BOUNDED || type == Type.UNBOUNDED;
    }

    /**
     * An outgoing migration. Older daemons do not report {@code operation}; then an active job
     * with {@code memory_iteration} is taken as one.
     */
    public boolean isOutgoingMigration() {
        if (!isActive()) {
            return false;
        }
        long operation = get("operation", -1);
        return operation == OPERATION_MIGRATION_OUT || (operation < 0 && has("memory_iteration"));
    }
}
