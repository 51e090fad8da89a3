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
    /** Lines the governor tried to write, dead or alive. */
    int attempted;
    /** When &gt; 0: the process is killed at the {@code dieAt}-th line, before or after writing it ({@link Killed}). */
    private int dieAt;
    private boolean dieBefore;

    /**
     * SIGKILL at one line: thrown out of the journal call (an Error, which nothing in the governor
     * catches), so the governor does nothing more; the test drops it.
     */
    static final class Killed extends Error {
        Killed() {
            super("killed", null, false, false);
        }
    }

    /** Kills the writer at its {@code line}-th line (1 = the header), before or after writing it. */
    void dieAt(int line, boolean before) {
        dieAt = line;
        dieBefore = before;
    }

    private void maybeDie(boolean beforeWrite) {
        if (dieAt > 0 && attempted == dieAt && dieBefore == beforeWrite) {
            dieAt = 0;
            dead = true;
            throw new Killed();
        }
    }

    @Override
    public void begin(String uuid, JournalEntry.Header header) {
        if (dead) {
            return;
        }
        attempted++;
        maybeDie(true);
        List<String> l = new ArrayList<>();
        l.add(JournalCodec.encode(header));
        lines.put(uuid, l);
        durable.add(header);
        maybeDie(false);
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
        attempted++;
        maybeDie(true);
        l.add(JournalCodec.encode(entry));
        if (isDurable) {
            durable.add(entry);
        }
        if (dieAfter.test(entry)) {
            dead = true;
        }
        maybeDie(false);
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
        dieAt = 0;
        dieAfter = e -> false;
    }
}
