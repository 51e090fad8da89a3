package io.migov.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.migov.governor.MigrationRecord;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTableTest {

    private static List<String> onlyRow(JsonNode record) {
        List<List<String>> rows = ReportTable.rows(List.of(record), null);
        assertEquals(1, rows.size());
        return rows.get(0);
    }

    private static String cell(JsonNode record, String column) {
        return onlyRow(record).get(ReportTable.header().indexOf(column));
    }

    private static ObjectNode with(MigrationRecord r, String field, String value) {
        ObjectNode n = (ObjectNode) Records.json(r);
        n.put(field, value);
        return n;
    }

    @Test
    void rows_outcome_isTheRecordsOwnWord() {
        for (String word : List.of("completed", "failed", "cancelled", "aborted", "unknown")) {
            assertEquals(word, cell(with(Records.raisedAtPass3(), "outcome", word), "outcome"));
        }
    }

    @Test
    void render_failedMigration_saysFailedNotNo() {
        String table = ReportTable.render(List.of(with(Records.raisedAtPass3(), "outcome", "failed")), null);
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
    void rows_source_isTheHostOfTheRecordsConnectionUri() {
        assertEquals("10.77.0.1", cell(Records.json(Records.raisedAtPass3()), "source"));
        assertEquals("qemu:///system", cell(with(Records.raisedAtPass3(), "host", "qemu:///system"), "source"));
    }

    @Test
    void rows_postcopy_saysWhetherItRanNotWhetherItWasPermitted() {
        assertEquals("ran", cell(Records.json(Records.switchedBeforePass1()), "post-copy"));
        assertEquals("-", cell(Records.json(Records.raisedAtPass3()), "post-copy"));
        MigrationRecord notEntered = Records.record("w", "completed", "switch_to_postcopy", 2, 5000, -1, false, 0, List.of(),
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
        String table = ReportTable.render(List.of(Records.json(Records.switchedBeforePass1())), List.of("enforce"));
        String legend = table.substring(table.indexOf("legend: "));
        String flat = legend.replaceAll("\\s+", " ");
        for (String column : ReportTable.header()) {
            assertTrue(flat.contains(column + " = "), column + " undefined in:\n" + legend);
        }
        assertTrue(flat.contains("TMT ms = total migration time, ms"), flat);
        assertTrue(flat.contains("pc requests = post-copy page requests"), flat);
        assertTrue(flat.contains("the destination is not recorded"), flat);
        assertTrue(flat.contains("whether post-copy was permitted is not recorded"), flat);
        assertTrue(legend.lines().allMatch(l -> l.length() <= 110), legend);
    }
}
