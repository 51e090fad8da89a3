// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

import io.migov.daemon.JsonLinesRecordSink;
import io.migov.port.JobStats;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MigrationOutcomeTest {

    @Test
    void of_jobEnd_isNamedFromTheSourcesView() {
        assertEquals(MigrationOutcome.COMPLETED, MigrationOutcome.of(JobStats.Type.COMPLETED, false, false));
        assertEquals(MigrationOutcome.COMPLETED, MigrationOutcome.of(JobStats.Type.NONE, true, false), "the VM left: it arrived");
        assertEquals(MigrationOutcome.FAILED, MigrationOutcome.of(JobStats.Type.NONE, false, false), "gone without a word from libvirt");
        assertEquals(MigrationOutcome.FAILED, MigrationOutcome.of(JobStats.Type.FAILED, false, false));
        assertEquals(MigrationOutcome.CANCELLED, MigrationOutcome.of(JobStats.Type.CANCELLED, false, false));
        for (JobStats.Type end : new JobStats.Type[] {JobStats.Type.NONE, JobStats.Type.FAILED, JobStats.Type.CANCELLED}) {
            assertEquals(MigrationOutcome.ABORTED, MigrationOutcome.of(end, false, true), "migov's own abort, whatever libvirt says: " + end);
        }
    }

    @Test
    void ofWord_everyWord_namesItsOutcome_blankIsUnknown_othersAreNone() {
        for (MigrationOutcome o : MigrationOutcome.values()) {
            assertEquals(Optional.of(o), MigrationOutcome.ofWord(o.word()));
        }
        assertEquals(Optional.of(MigrationOutcome.UNKNOWN), MigrationOutcome.ofWord(null));
        assertEquals(Optional.of(MigrationOutcome.UNKNOWN), MigrationOutcome.ofWord(" "));
        assertEquals(Optional.empty(), MigrationOutcome.ofWord("timeout"));
        assertEquals(Optional.empty(), MigrationOutcome.ofWord("COMPLETED"), "the words are lower case, as written");
    }

    @Test
    void json_outcome_isTheWord() {
        for (MigrationOutcome o : MigrationOutcome.values()) {
            assertEquals("\"" + o.word() + "\"", JsonLinesRecordSink.JSON.valueToTree(o).toString());
        }
        assertEquals(MigrationOutcome.values().length, Arrays.stream(MigrationOutcome.values()).map(MigrationOutcome::word).distinct().count());
    }

    @Test
    void atPass_beforeTheFirstPass_isBeforePass1NeverPass0() {
        assertEquals("before pass 1", MigrationRecord.atPass(0));
        assertEquals("pass 3", MigrationRecord.atPass(3));
        assertEquals("-", MigrationRecord.atPass(-1));
        assertEquals("before pass 1", MigrationRecord.atPassPhrase(0));
        assertEquals("at pass 3", MigrationRecord.atPassPhrase(3));
    }
}
