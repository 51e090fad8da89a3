package io.migov.core;

/** What the governor does to a running migration. */
public enum ActionKind {
    NONE("none"),
    SWITCH_TO_POSTCOPY("switch_to_postcopy"),
    RAISE_DOWNTIME("raise_downtime");

    private final String recordName;

    ActionKind(String recordName) {
        this.recordName = recordName;
    }

    /** The name used in {@code migrations.jsonl} and the MBeans. */
    public String recordName() {
        return recordName;
    }
}
