// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * An in-flight journal kept in memory as the lines the file journal would hold (every entry goes
 * through {@link JournalCodec} both ways), so it outlives the governor that wrote it: a test drops
 * one governor ("kills" the daemon) and builds the next on the same journal.
 */
final class MemoryJournal implements MigrationJournal {

    final Map<String, List<String>> lines = new ConcurrentHashMap<>();
    /** Entries written durably, in order. */
    final List<JournalEntry> durable = new ArrayList<>();
    /**
     * When set, the process "dies" right after writing an entry it matches: that entry is kept,
     * every later one is lost (the killed daemon wrote nothing more).
     */
    volatile Predicate<JournalEntry> dieAfter = e -> false;
    private volatile boolean dead;

    @Override
    public void begin(String uuid, JournalEntry.Header header) {
        if (dead) {
            return;
        }
        List<String> l = new ArrayList<>();
        l.add(JournalCodec.encode(header));
        lines.put(uuid, l);
        durable.add(header);
    }

    @Override
    public void append(String uuid, JournalEntry entry, boolean isDurable) {
        if (dead) {
            return;
        }
        List<String> l = lines.get(uuid);
        if (l == null) {
            throw new IllegalStateException("no journal begun for " + uuid);
        }
        l.add(JournalCodec.encode(entry));
        if (isDurable) {
            durable.add(entry);
        }
        if (dieAfter.test(entry)) {
            dead = true;
        }
    }

    @Override
    public Map<String, List<JournalEntry>> loadAll() {
        Map<String, List<JournalEntry>> out = new LinkedHashMap<>();
        lines.forEach((uuid, l) -> out.put(uuid, l.stream().map(JournalCodec::decode).toList()));
        return out;
    }

    @Override
    public void delete(String uuid) {
        if (!dead) {
            lines.remove(uuid);
        }
    }

    /** A restarted daemon writes again. */
    void revive() {
        dead = false;
        dieAfter = e -> false;
    }
}
