// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The in-flight journal: one per outgoing migration being watched, keyed by domain UUID, from the
 * moment migov sees the migration until its record is written. What a daemon restarted (or killed)
 * mid-migration reads to re-adopt the migration without acting twice, and to write its record
 * exactly once. Losing a journal costs the readoption, never a VM: migov carries on without it.
 */
public interface MigrationJournal {

    /** Starts the VM's journal with its header, durably, replacing any earlier journal of the VM. */
    void begin(String uuid, JournalEntry.Header header) throws IOException;

    /**
     * Appends one entry to the VM's journal. A {@code durable} entry is on stable storage when this
     * returns (an intent before its libvirt call, the record before it is written); the others survive
     * a killed process (the kernel holds them) but not a host crash.
     */
    void append(String uuid, JournalEntry entry, boolean durable) throws IOException;

    /**
     * Every journal left behind, by UUID, entries in order. A last line cut short by a crash is left
     * out; a journal that cannot be read at all is reported as one without a header (empty list).
     */
    Map<String, List<JournalEntry>> loadAll() throws IOException;

    /** Removes the VM's journal (its record is written). */
    void delete(String uuid) throws IOException;

    /** No journal: nothing survives a restart (tests, tools). */
    MigrationJournal NONE = new MigrationJournal() {
        @Override
        public void begin(String uuid, JournalEntry.Header header) {
        }

        @Override
        public void append(String uuid, JournalEntry entry, boolean durable) {
        }

        @Override
        public Map<String, List<JournalEntry>> loadAll() {
            return Map.of();
        }

        @Override
        public void delete(String uuid) {
        }
    };
}
