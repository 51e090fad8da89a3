// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon;

import io.migov.governor.JournalEntry;
import io.migov.governor.MigrationRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileMigrationJournalTest {

    private static final String UUID = "6c653893-0e90-474e-a49a-0bf763b94100";

    @TempDir
    Path stateDir;

    static JournalEntry.Header header(String id) {
        return new JournalEntry.Header(JournalEntry.VERSION, id, "web-1", 1_700_000_000_000L, "enforce", "migov", 72, 72, "HYBRID",
                "cpu=high", 5, 0.8, 0, 0, 5, true, 512L << 20, 1.25e8, 300, false, MigrationRecord.ModelAtStart.NONE);
    }

    @Test
    void beginAppendLoad_entriesComeBackInOrder_filesAre0640InA0750Directory() throws Exception {
        FileMigrationJournal journal = new FileMigrationJournal(stateDir);
        journal.begin(UUID, header("m-1"));
        journal.append(UUID, new JournalEntry.Observed(2300, 1, null, 512L << 20, 1.2e8, true), false);
        journal.append(UUID, new JournalEntry.Intent(1, "switch_to_postcopy", 1, -1, "memory-intensive"), true);
        journal.append(UUID, new JournalEntry.Outcome(1, true, 2400), false);

        Map<String, List<JournalEntry>> all = new FileMigrationJournal(stateDir).loadAll();
        assertEquals(List.of(header("m-1"), new JournalEntry.Observed(2300, 1, null, 512L << 20, 1.2e8, true),
                new JournalEntry.Intent(1, "switch_to_postcopy", 1, -1, "memory-intensive"), new JournalEntry.Outcome(1, true, 2400)),
                all.get(UUID));
        Path file = stateDir.resolve("inflight").resolve(UUID + ".jsonl");
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    }

    @Test
    void loadAll_lastLineCutShortByACrash_isLeftOut_theRestReplayed() throws Exception {
        FileMigrationJournal journal = new FileMigrationJournal(stateDir);
        journal.begin(UUID, header("m-1"));
        journal.append(UUID, new JournalEntry.Observed(2300, 1, null, 512L << 20, 1.2e8, true), false);
        Files.writeString(stateDir.resolve("inflight").resolve(UUID + ".jsonl"), "{\"k\":\"intent\",\"seq\":1,\"ki",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        List<JournalEntry> entries = journal.loadAll().get(UUID);
        assertEquals(2, entries.size());
        assertTrue(entries.get(1) instanceof JournalEntry.Observed);
    }

    @Test
    void loadAll_aBrokenLineInTheMiddle_theJournalIsNotReplayed_otherJournalsAre() throws Exception {
        FileMigrationJournal journal = new FileMigrationJournal(stateDir);
        journal.begin(UUID, header("m-1"));
        Files.writeString(stateDir.resolve("inflight").resolve(UUID + ".jsonl"), "{\"k\":\"no-such-kind\"}\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        journal.append(UUID, new JournalEntry.Refused(1), false);
        String other = "0f8fad5b-d9cb-469f-a165-70867728950e";
        journal.begin(other, header("m-2"));

        Map<String, List<JournalEntry>> all = journal.loadAll();
        assertEquals(List.of(), all.get(UUID), "dropped rather than replayed wrong");
        assertEquals(List.of(header("m-2")), all.get(other));
    }

    @Test
    void begin_replacesAnEarlierJournalOfTheVm_deleteRemovesIt() throws Exception {
        FileMigrationJournal journal = new FileMigrationJournal(stateDir);
        journal.begin(UUID, header("m-1"));
        journal.append(UUID, new JournalEntry.Refused(1), false);
        journal.begin(UUID, header("m-2"));
        assertEquals(List.of(header("m-2")), journal.loadAll().get(UUID));

        journal.delete(UUID);
        assertTrue(journal.loadAll().isEmpty());
        journal.delete(UUID); // idempotent
    }

    @Test
    void appendWithoutBegin_andABadUuid_failNamingWhatIsWrong_nothingWritten() throws Exception {
        FileMigrationJournal journal = new FileMigrationJournal(stateDir);
        assertThrows(java.nio.file.NoSuchFileException.class, () -> journal.append(UUID, new JournalEntry.Refused(1), false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> journal.begin("../../etc/passwd", header("m-1")));
        assertEquals("uuid: expected a lower-case UUID (8-4-4-4-12 hex digits), got '../../etc/passwd'", e.getMessage());
        assertFalse(Files.list(stateDir.resolve("inflight")).findAny().isPresent());
    }
}
