// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

/** What the governor does to a running migration. */
public enum ActionKind {
    NONE("none"),
    SWITCH_TO_POSTCOPY("switch_to_postcopy"),
    /** Set the migration's maximum downtime to {@link Action#downtimeMillis()} (set_max_downtime). */
    RAISE_DOWNTIME("raise_downtime"),
    /** Cancel the migration; the VM keeps running on the source. */
    ABORT("abort");

    private final String recordName;

    ActionKind(String recordName) {
        this.recordName = recordName;
    }

    /** The name used in {@code migrations.jsonl} and the MBeans. */
    public String recordName() {
        return recordName;
    }
}
