// SPDX-License-Identifier: Apache-2.0
package io.migov.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.migov.testbed.Lab;
import io.migov.testbed.LabExtension;
import io.migov.testbed.MigrationOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The write-intensity signal on real migrations (issue 10): daemons with {@code stateSpace write}
 * measure each guest's dirty rate with libvirt's dirty-rate calculation, so a guest that holds much
 * memory but has stopped writing is left to pre-copy, and one that starts writing during the
 * migration is switched once its passes show it.
 */
@ExtendWith(LabExtension.class)
class SignalIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BANDWIDTH_MIB = 100;

    private final Lab lab;
    private final LabRig rig;

    SignalIT(Lab lab) {
        this.lab = lab;
        this.rig = new LabRig(lab);
    }

    @BeforeEach
    void begin(TestInfo info) {
        rig.begin(info);
    }

    @AfterEach
    void cleanUp() {
        rig.end();
    }

    /** stateSpace write, a calculation every 3 s, as a share of the lab's 100 MiB/s. */
    private static ObjectNode writeSignal() {
        ObjectNode c = JSON.createObjectNode();
        c.put("stateSpace", "write");
        c.put("dirtyRateIntervalSeconds", 3);
        c.put("migrationBandwidthBytesPerSecond", BANDWIDTH_MIB * 1024L * 1024L);
        return c;
    }

    @Test
    void guestHoldingMemoryThatStoppedWriting_isLeftToPreCopyWithoutPageFaults() throws Exception {
        // writes 300 of its 512 MiB flat out for 8 s, then holds them without writing
        rig.vm("sig-quiet", "phased --phase fill:dur=8,rate=200000,mib=300 --phase hold:dur=3600,cpu=2,mib=300");
        MigovDaemon a = rig.daemon(Lab.HOST_A, "enforce", writeSignal());
        rig.daemon(Lab.HOST_B, "enforce", writeSignal());
        LabRig.profile(a, "sig-quiet", 15); // past the fill, and a calculation or more after it
        MigrationOutcome m = lab.migrate("sig-quiet", Lab.HOST_A, Lab.HOST_B, "postcopy-permitted", BANDWIDTH_MIB, 90);
        assertTrue(m.completed(), m.fields().toString());
        JsonNode r = a.awaitRecord("sig-quiet", Duration.ofSeconds(30));
        assertTrue(r.path("model").path("write_percent").asDouble() < 25, "quiet when the migration began: " + r.path("model"));
        assertTrue(r.path("model").path("dirty_rate_bytes_per_second").asLong() >= 0, "measured: " + r.path("model"));
        assertEquals("HYBRID", r.path("strategy").asText(), r.toPrettyString());
        assertEquals("none", r.path("action").asText(), r.toPrettyString());
        assertEquals(0, r.path("postcopy_requests").asLong(), r.toPrettyString());
    }

    @Test
    void guestThatStartsWritingDuringTheMigration_isSwitchedWithinOnePassOfTheStall() throws Exception {
        // holds 256 MiB quietly for 22 s after it is ready, then writes them flat out
        rig.vm("sig-late", "phased --phase idle:dur=22,cpu=2,mib=256 --phase writer:dur=3600,rate=200000,mib=256");
        long readyNanos = System.nanoTime();
        MigovDaemon a = rig.daemon(Lab.HOST_A, "enforce", writeSignal());
        rig.daemon(Lab.HOST_B, "enforce", writeSignal());
        LabRig.profile(a, "sig-late", 8);
        // start the migration ~20 s after ready: the writer starts 1–2 s into pass 1
        long waitMillis = 20_000 - (System.nanoTime() - readyNanos) / 1_000_000;
        assertTrue(waitMillis > 0, "the daemons took too long to start: the writer would start before the migration");
        Thread.sleep(waitMillis);
        MigrationOutcome m = lab.migrate("sig-late", Lab.HOST_A, Lab.HOST_B, "postcopy-permitted", BANDWIDTH_MIB, 90);
        assertTrue(m.completed(), m.fields().toString());
        JsonNode r = a.awaitRecord("sig-late", Duration.ofSeconds(30));
        assertEquals("HYBRID", r.path("strategy").asText(), "quiet at the start: " + r.toPrettyString());
        assertEquals("switch_to_postcopy", r.path("action").asText(), r.toPrettyString());
        int writing = -1;
        for (JsonNode p : r.path("passes")) {
            if (p.path("dirty_rate_pages_per_second").asDouble(0) > 5_000) { // > 20 MiB/s: the writer is visible
                writing = p.path("iteration").asInt();
                break;
            }
        }
        assertTrue(writing >= 2, "a pass that shows the writer: " + r.path("passes"));
        int at = r.path("action_iteration").asInt();
        assertTrue(at >= writing && at <= writing + 1, "switched at pass " + at + ", the writer showed at pass " + writing + ": "
                + r.path("reason").asText());
        assertTrue(r.path("reason").asText().contains("convergence point at pass " + at), r.path("reason").asText());
    }
}
