// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon.management;

import io.migov.governor.Governor;
import io.migov.governor.MigrationOutcome;
import io.migov.governor.MigrationRecord;
import io.migov.governor.MigrationView;
import io.migov.jmx.OpenTables;
import org.weakref.jmx.Managed;

import javax.management.openmbean.CompositeData;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularType;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code io.migov:type=Migrations}: the outgoing migrations running now and the last finished ones
 * (the same fields as {@code migrations.jsonl}, without the per-pass detail).
 */
public final class MigrationsBean {

    static final TabularType ACTIVE = VmBean.MIGRATION.table("migov.ActiveMigrations",
            "Outgoing migrations being watched now, one row per VM", "uuid");

    static final OpenTables.Row RECORD = OpenTables.Row.named("migov.MigrationRecord", "One finished migration")
            .item("index", SimpleType.INTEGER, "1 = the most recent")
            .item("vm", SimpleType.STRING, "domain name")
            .item("uuid", SimpleType.STRING, "domain UUID")
            .item("mode", SimpleType.STRING, "governor mode while it ran: enforce, advise or off")
            .item("policy", SimpleType.STRING, "the policy that steered it: migov, hybrid(4), nova, … (the policy key)")
            .item("startEpochMillis", SimpleType.LONG, "when the job started (epoch ms)")
            .item("endEpochMillis", SimpleType.LONG, "when it ended (epoch ms)")
            .item("outcome", SimpleType.STRING, "how it ended: " + MigrationOutcome.definitions())
            .item("completed", SimpleType.BOOLEAN, "the VM arrived on the destination")
            .item("strategy", SimpleType.STRING, "PRE_COPY, POST_COPY or HYBRID (none when the mode was off)")
            .item("action", SimpleType.STRING, "none, switch_to_postcopy, raise_downtime or abort: the last action carried out")
            .item("actionIteration", SimpleType.INTEGER, "the pass it was decided at (passes; 0 = before pass 1 began, -1 when none)")
            .item("advisedAction", SimpleType.STRING, "what the controller decided, even when the mode or a pause kept it from acting")
            .item("reason", SimpleType.STRING, "why (the action's reason, or why nothing was done)")
            .item("totalTimeMs", SimpleType.LONG, "total migration time, libvirt's time_elapsed (ms; -1 unknown)")
            .item("downtimeMs", SimpleType.LONG, "downtime (ms; -1 unknown or not completed)")
            .item("downtimeLimitMs", SimpleType.LONG, "max downtime set by raise_downtime (ms; -1 when none)")
            .item("iterations", SimpleType.INTEGER, "pre-copy passes (passes)")
            .item("bytesTransferred", SimpleType.LONG, "data sent (bytes; -1 unknown)")
            .item("postcopyConfirmed", SimpleType.BOOLEAN, "post-copy really ran")
            .item("postcopyRequests", SimpleType.LONG, "post-copy page requests (count)")
            .item("error", SimpleType.STRING, "libvirt's error, a failed action, or why a VM that left mid-migration is not completed (empty when none)")
            .build();
    static final TabularType HISTORY = RECORD.table("migov.MigrationHistory", "The last finished migrations, newest first",
            "index");

    private final Governor governor;
    private final MigrationHistory history;

    MigrationsBean(Governor governor, MigrationHistory history) {
        this.governor = governor;
        this.history = history;
    }

    static CompositeData row(int index, MigrationRecord r) {
        return RECORD.data(index, r.vm(), r.uuid(), r.mode(), r.policy(), r.startEpochMillis(), r.endEpochMillis(), r.outcome().word(), r.completed(),
                r.strategy(), r.action(), r.actionIteration(), r.advisedAction(), r.reason() == null ? "" : r.reason(),
                r.totalTimeMs(), r.downtimeMs(), r.downtimeLimitMs(), r.iterations(), r.bytesTransferred(), r.postcopyConfirmed(),
                r.postcopyRequests(), r.error() == null ? "" : r.error());
    }

    @Managed(description = "Outgoing migrations being watched now: iteration (passes), dirty rate (pages/s), remaining (bytes), "
            + "verdict, planned action, … (units in the item descriptions)")
    public TabularData getActive() {
        List<CompositeData> rows = new ArrayList<>();
        for (MigrationView m : governor.activeMigrations()) {
            rows.add(VmBean.migration(m));
        }
        return OpenTables.tabular(ACTIVE, rows);
    }

    @Managed(description = "The last finished migrations (at most HistorySize), index 1 = the most recent: outcome, strategy, "
            + "action, total time (ms), downtime (ms), … (units in the item descriptions)")
    public TabularData getHistory() {
        List<CompositeData> rows = new ArrayList<>();
        int i = 1;
        for (MigrationRecord r : history.records()) {
            rows.add(row(i++, r));
        }
        return OpenTables.tabular(HISTORY, rows);
    }

    @Managed(description = "How many finished migrations History keeps (count)")
    public int getHistorySize() {
        return history.capacity();
    }

    @Managed(description = "Finished migrations recorded since the daemon started (count)")
    public long getRecorded() {
        return history.total();
    }
}
