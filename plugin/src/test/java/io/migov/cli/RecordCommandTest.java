// SPDX-License-Identifier: Apache-2.0
package io.migov.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordCommandTest {

    @Test
    void record_secondsOutOfRange_exits2BeforeConnecting() {
        CliRun r = CliRun.of("record", "--connect", "qemu+tcp://127.0.0.1:1/system", "--domain", "vm1", "--seconds", "0", "--out", "x.csv");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--seconds: expected 1..86400, got 0"), r.err());
    }

    @Test
    void record_linkCapacityTooSmall_exits2() {
        CliRun r = CliRun.of("record", "--domain", "vm1", "--seconds", "5", "--out", "x.csv", "--link-capacity-bits-per-second", "10");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--link-capacity-bits-per-second"), r.err());
    }

    @Test
    void record_dirtyRateIntervalOfOneSecond_exits2() {
        CliRun r = CliRun.of("record", "--domain", "vm1", "--seconds", "5", "--out", "x.csv", "--dirty-rate-interval-seconds", "1");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--dirty-rate-interval-seconds: expected 0 (off) or 2..3600 (a calculation takes 1 s), got 1"), r.err());
    }
}
