// SPDX-License-Identifier: Apache-2.0
package io.migov.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.migov.daemon.JsonLinesRecordSink;
import io.migov.governor.MigrationOutcome;
import io.migov.governor.MigrationRecord;

import java.util.List;

/** Migration records as the daemon writes them (its own mapper), modelled on the lab demo's runs. */
final class Records {

    static final long MIB = 1L << 20;

    private Records() {
    }

    static JsonNode json(MigrationRecord r) {
        return JsonLinesRecordSink.JSON.valueToTree(r);
    }

    static MigrationRecord record(String vm, MigrationOutcome outcome, String action, int actionIteration, long totalMs, long downtimeLimitMs,
                                  boolean postcopyRan, long postcopyRequests, List<MigrationRecord.Pass> passes,
                                  List<MigrationRecord.TakenAction> actions) {
        return new MigrationRecord(vm, "6c653893-0e90-474e-a49a-0bf763b94100", "qemu+tcp://10.77.0.1/system", "enforce", "migov",
                1_767_225_600_000L, 1_767_225_600_000L + totalMs, outcome, outcome == MigrationOutcome.COMPLETED, totalMs,
                outcome == MigrationOutcome.COMPLETED ? 4 : -1, 350 * MIB, passes.size(), 72, "POST_COPY", "mem high", 1.0, 0, 0, 5, action,
                actionIteration, "because", action, downtimeLimitMs, postcopyRan, postcopyRequests, null, passes, actions,
                MigrationRecord.ModelAtStart.NONE);
    }

    /** Switched to post-copy at detection, 0.18 s in, before pass 1 began; completed at 3.604 s. */
    static MigrationRecord switchedBeforePass1() {
        return record("demo-phased", MigrationOutcome.COMPLETED, "switch_to_postcopy", 0, 3604, -1, true, 8491,
                List.of(new MigrationRecord.Pass(1, 190, null, 512 * MIB, 0, "NOT_DECAYING"),
                        new MigrationRecord.Pass(2, 420, 23800.0, 489 * MIB, 98 * MIB, "NOT_DECAYING")),
                List.of(new MigrationRecord.TakenAction("switch_to_postcopy", 0, 180, -1, "POST_COPY at detection")));
    }

    /** A writer whose dirty rate is constant (25000 pages/s) until migov raises the max downtime at pass 3, 3.31 s in. */
    static MigrationRecord raisedAtPass3() {
        return record("demo-phased", MigrationOutcome.COMPLETED, "raise_downtime", 3, 6650, 3138, false, 0,
                List.of(new MigrationRecord.Pass(1, 15, null, 512 * MIB, 0, "NOT_DECAYING"),
                        new MigrationRecord.Pass(2, 2610, 25000.0, 265 * MIB, 99 * MIB, "NOT_DECAYING"),
                        new MigrationRecord.Pass(3, 3290, 25000.0, 262 * MIB, 99 * MIB, "STALLED")),
                List.of(new MigrationRecord.TakenAction("raise_downtime", 3, 3310, 3138, "STALLED, post-copy not permitted")));
    }
}
