// SPDX-License-Identifier: Apache-2.0
package io.migov.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.migov.governor.MigrationOutcome;
import io.migov.governor.MigrationRecord;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTableTest {

    private static List<String> onlyRow(JsonNode record, ReportTable.RowFacts facts) {
        List<List<String>> rows = ReportTable.rows(List.of(record), facts);
        assertEquals(1, rows.size());
        return rows.get(0);
    }

    private static String cell(JsonNode record, String column) {
        return cell(record, ReportTable.RowFacts.NONE, column);
    }

    private static String cell(JsonNode record, ReportTable.RowFacts facts, String column) {
        int c = ReportTable.header().indexOf(column);
        assertTrue(c >= 0, "no column " + column + " in " + ReportTable.header());
        return onlyRow(record, facts).get(c);
    }

    private static ObjectNode with(MigrationRecord r, String field, String value) {
        ObjectNode n = (ObjectNode) Records.json(r);
        n.put(field, value);
        return n;
    }

    /** A writer that never converged and was not steered: no switch, no post-copy. */
    private static MigrationRecord unsteered(MigrationOutcome outcome) {
        return Records.record("demo-phased", outcome, "none", -1, 44_909, -1, false, 0, List.of(), List.of());
    }

    private static ReportTable.RowFacts facts(String direction, String permitted) {
        return new ReportTable.RowFacts(null, List.of(direction), List.of(permitted));
    }

    @Test
    void rows_everyOutcome_isTheVocabularysWordAsTheDaemonWroteIt() {
        for (MigrationOutcome o : MigrationOutcome.values()) {
            assertEquals(o.word(), Records.json(unsteered(o)).path("outcome").asText(), "the record's JSON");
            assertEquals(o.word(), cell(Records.json(unsteered(o)), "outcome"), "the table");
        }
    }

    @Test
    void rows_outcomeOutsideTheVocabulary_isShownAsWrittenNotHidden() {
        assertEquals("timeout", cell(with(Records.raisedAtPass3(), "outcome", "timeout"), "outcome"));
    }

    @Test
    void render_failedMigration_saysFailedNotNo() {
        String table = ReportTable.render(List.of(Records.json(unsteered(MigrationOutcome.FAILED))), null);
        assertTrue(table.lines().skip(2).findFirst().orElseThrow().endsWith("failed"), table);
        assertFalse(table.contains("NO ("), table);
    }

    @Test
    void rows_recordWithoutOutcome_saysUnknown() {
        ObjectNode n = (ObjectNode) Records.json(Records.raisedAtPass3());
        n.remove("outcome");
        assertEquals("unknown", cell(n, "outcome"));
    }

    @Test
    void rows_switchDecidedBeforeAnyPass_saysBeforePass1() {
        assertEquals("before pass 1", cell(Records.json(Records.switchedBeforePass1()), "at"));
        assertEquals("pass 3", cell(Records.json(Records.raisedAtPass3()), "at"));
        assertEquals("-", cell(with(Records.raisedAtPass3(), "action_iteration", "-1"), "at"));
    }

    @Test
    void rows_directionGiven_isShownAsGiven() {
        assertEquals("B->A", cell(Records.json(Records.raisedAtPass3()), facts("B->A", "no"), "direction"));
    }

    @Test
    void rows_directionNotGiven_isTheRecordsSourceHostToAnUnknownDestination() {
        assertEquals("10.77.0.1->?", cell(Records.json(Records.raisedAtPass3()), "direction"));
        assertEquals("qemu:///system->?", cell(with(Records.raisedAtPass3(), "host", "qemu:///system"), "direction"));
    }

    @Test
    void rows_postcopyPermittedGiven_isShownAsGiven() {
        assertEquals("no", cell(Records.json(Records.raisedAtPass3()), facts("B->A", "no"), "pc permitted"));
        assertEquals("yes", cell(Records.json(unsteered(MigrationOutcome.FAILED)), facts("A->B", "yes"), "pc permitted"));
    }

    @Test
    void rows_postcopyPermittedNotGiven_isYesOnlyWhereTheRecordProvesIt() {
        assertEquals("yes", cell(Records.json(Records.switchedBeforePass1()), "pc permitted"), "post-copy ran");
        MigrationRecord accepted = Records.record("w", MigrationOutcome.COMPLETED, "switch_to_postcopy", 2, 5000, -1, false, 0, List.of(),
                List.of(new MigrationRecord.TakenAction("switch_to_postcopy", 2, 4000, -1, "r")));
        assertEquals("yes", cell(Records.json(accepted), "pc permitted"), "libvirt accepted a switch");
        assertEquals("-", cell(Records.json(Records.raisedAtPass3()), "pc permitted"), "the record does not say");
    }

    @Test
    void rows_postcopyPermittedNoWherePostcopyRan_isRejectedNamingTheRow() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReportTable.rows(List.of(Records.json(Records.switchedBeforePass1())), facts("A->B", "no")));
        assertEquals("row 1 (demo-phased): given no, but its record shows post-copy ran; do the values follow the records' order?",
                e.getMessage());
    }

    @Test
    void rows_postcopyPermittedNeitherYesNorNo_isRejectedNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReportTable.rows(List.of(Records.json(Records.raisedAtPass3())), facts("A->B", "maybe")));
        assertEquals("row 1: expected yes or no, got 'maybe'", e.getMessage());
    }

    @Test
    void rows_factsShorterThanTheRecords_leaveTheRestToTheRecord() {
        List<List<String>> rows = ReportTable.rows(List.of(Records.json(Records.raisedAtPass3()), Records.json(Records.switchedBeforePass1())),
                new ReportTable.RowFacts(List.of("first"), List.of("A->B"), List.of("no")));
        List<String> h = ReportTable.header();
        assertEquals(List.of("first", "A->B", "no"), List.of(rows.get(0).get(0), rows.get(0).get(h.indexOf("direction")),
                rows.get(0).get(h.indexOf("pc permitted"))));
        assertEquals(List.of("2", "10.77.0.1->?", "yes"), List.of(rows.get(1).get(0), rows.get(1).get(h.indexOf("direction")),
                rows.get(1).get(h.indexOf("pc permitted"))));
    }

    @Test
    void rows_postcopy_saysWhetherItRan() {
        assertEquals("ran", cell(Records.json(Records.switchedBeforePass1()), "post-copy"));
        assertEquals("-", cell(Records.json(Records.raisedAtPass3()), "post-copy"));
        MigrationRecord notEntered = Records.record("w", MigrationOutcome.COMPLETED, "switch_to_postcopy", 2, 5000, -1, false, 0, List.of(),
                List.of(new MigrationRecord.TakenAction("switch_to_postcopy", 2, 4000, -1, "r")));
        assertEquals("not entered", cell(Records.json(notEntered), "post-copy"));
    }

    @Test
    void rows_raiseDowntime_showsTheLimitItSetInMs() {
        assertEquals("3138", cell(Records.json(Records.raisedAtPass3()), "limit ms"));
        assertEquals("-", cell(Records.json(Records.switchedBeforePass1()), "limit ms"));
    }

    @Test
    void render_legend_definesEveryColumnUnderTheTable() {
        String table = ReportTable.render(List.of(Records.json(Records.switchedBeforePass1())), ReportTable.RowFacts.labels(List.of("enforce")));
        String legend = table.substring(table.indexOf("legend: "));
        String flat = legend.replaceAll("\\s+", " ");
        for (String column : ReportTable.header()) {
            assertTrue(flat.contains(column + " = "), column + " undefined in:\n" + legend);
        }
        assertTrue(flat.contains("TMT ms = total migration time, ms"), flat);
        assertTrue(flat.contains("pc requests = post-copy page requests"), flat);
        assertTrue(flat.contains("pc permitted = post-copy permitted: yes | no"), flat);
        assertTrue(flat.contains("direction = source->destination host"), flat);
        for (MigrationOutcome o : MigrationOutcome.values()) {
            assertTrue(flat.contains(o.word() + " (" + o.meaning() + ")"), o + " undefined in:\n" + legend);
        }
        assertTrue(legend.lines().allMatch(l -> l.length() <= 110), legend);
    }
}
