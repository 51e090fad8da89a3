// SPDX-License-Identifier: Apache-2.0
package io.migov.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DaemonCommandTest {

    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void daemon_unknownKeyInConfig_exits2WithTheOneLineMessage() throws Exception {
        Path config = Files.writeString(dir.resolve("migov.json"), "{\"mode\": \"advise\", \"tickMillis\": 500}");
        CliRun r = run("daemon", "--config", config.toString());
        assertEquals(2, r.exit());
        assertEquals("migov: config: tickMillis: unknown key, got 500", r.err().strip());
    }

    @Test
    void daemon_badModeOverride_exits2NamingTheOption() {
        CliRun r = run("daemon", "--state-dir", dir.toString(), "--mode", "aggressive");
        assertEquals(2, r.exit());
        assertEquals("migov: config: --mode: expected one of enforce, advise, off, got 'aggressive'", r.err().strip());
    }

    @Test
    void daemon_badValueInConfig_exits2EvenWhenOverridesAreValid() throws Exception {
        Path config = Files.writeString(dir.resolve("migov.json"), "{\"lookAhead\": 0}");
        CliRun r = run("daemon", "--config", config.toString(), "--mode", "off");
        assertEquals(2, r.exit());
        assertEquals("migov: config: lookAhead: expected 1..1000, got 0", r.err().strip());
    }

    @Test
    void daemon_stateDirThatCannotBeCreated_exits2NamingIt() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        CliRun r = run("daemon", "--connect", "qemu+tcp://127.0.0.1/system", "--state-dir", file.resolve("state").toString(), "--mode", "advise");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().startsWith("migov: config: stateDir: cannot create or write the directory"), r.err());
        assertTrue(r.err().strip().endsWith("got " + file.resolve("state")), r.err());
    }

    @Test
    void daemon_help_listsTheOptions() {
        CliRun r = run("daemon", "--help");
        assertEquals(0, r.exit());
        for (String option : new String[] {"--config", "--connect", "--state-dir", "--mode"}) {
            assertTrue(r.out().contains(option), option + " missing from:\n" + r.out());
        }
    }
}
