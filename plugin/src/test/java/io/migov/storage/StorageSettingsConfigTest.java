// SPDX-License-Identifier: Apache-2.0
package io.migov.storage;

import io.migov.core.storage.InterferenceModel;
import io.migov.core.storage.InterferenceModelCodec;
import io.migov.daemon.ConfigException;
import io.migov.daemon.DaemonConfig;
import io.migov.governor.StorageSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The storage keys of the config file: defaults, a trained model loaded, every bad value named by its key. */
class StorageSettingsConfigTest {

    private static DaemonConfig parse(String json) throws ConfigException {
        return DaemonConfig.parse(json, "t.json", Path.of("/etc/migov"), DaemonConfig.Overrides.NONE);
    }

    private static String error(String json) {
        return assertThrows(ConfigException.class, () -> parse(json)).getMessage();
    }

    @Test
    void parse_noStorageKeys_offWithTheResearchDefaults() throws Exception {
        DaemonConfig c = parse("{}");
        assertNull(c.storageDevice());
        assertEquals(StorageSettings.DEFAULTS, c.settings().storage());
        assertEquals(InterferenceModel.RESEARCH_DEFAULT, c.settings().storage().model());
    }

    @Test
    void parse_storageKeys_intoTheRecordsTheControllerReads(@TempDir Path dir) throws Exception {
        InterferenceModel trained = new InterferenceModel(0.1, new double[] {1, 2, 3, 4, 5}, new double[] {0, 0, 0, 0, 0},
                new double[] {1, 2, 3, 4, 5});
        Path model = dir.resolve("model.json");
        Files.writeString(model, InterferenceModelCodec.encode(trained));
        DaemonConfig c = parse("{\"storageDevice\": \"nvme0n1\", \"interferenceModel\": \"" + model + "\", \"interferenceOnSeconds\": 4,"
                + " \"interferenceOffProbability\": 0.1, \"storageMinBytesPerSecond\": 2097152, \"prefetchFactor\": 10}");
        assertEquals("nvme0n1", c.storageDevice());
        StorageSettings s = c.settings().storage();
        assertEquals(trained, s.model());
        assertEquals(model.toString(), s.interferenceModel());
        assertEquals(4, s.hysteresis().onSeconds());
        assertEquals(0.1, s.hysteresis().offProbability());
        assertEquals(2097152.0, s.pid().minBytesPerSecond());
        assertEquals(10.0, s.prefetch().prefetchFactor());
    }

    @Test
    void parse_badValues_eachNamedByItsKeyWithTheValue(@TempDir Path dir) throws Exception {
        assertEquals("config: storageDevice: expected a device name as in /proc/diskstats (letters, digits, '.', '_', '-'), "
                + "got '/dev/sda'", error("{\"storageDevice\": \"/dev/sda\"}"));
        assertEquals("config: interferenceOnSeconds: expected 1..3600, got 0", error("{\"interferenceOnSeconds\": 0}"));
        assertEquals("config: interferenceOffProbability: expected < interferenceOnProbability (0.5), got 0.6",
                error("{\"interferenceOffProbability\": 0.6}"));
        assertEquals("config: interferenceThresholdProbability: expected (0, 1), got 1.0", error("{\"interferenceThresholdProbability\": 1}"));
        assertEquals("config: storageKdBytes: expected a finite value ≥ 0, got -1.0", error("{\"storageKdBytes\": -1}"));
        assertEquals("config: storageMinBytesPerSecond: expected ≤ storageMaxBytesPerSecond (104857600), got 209715200",
                error("{\"storageMinBytesPerSecond\": 209715200}"));
        assertEquals("config: storageMaxBytesPerSecond: expected 1..1000000000000, got 0", error("{\"storageMaxBytesPerSecond\": 0}"));
        assertEquals("config: prefetchMemoryCapBytes: expected ≥ 0, got -1", error("{\"prefetchMemoryCapBytes\": -1}"));
        Path missing = dir.resolve("none.json");
        assertEquals("config: interferenceModel: expected a readable model file (no such file), got '" + missing + "'",
                error("{\"interferenceModel\": \"" + missing + "\"}"));
        Path junk = dir.resolve("junk.json");
        Files.writeString(junk, "{\"format\":\"migov-prior\"}");
        String m = error("{\"interferenceModel\": \"" + junk + "\"}");
        assertEquals(true, m.startsWith("config: interferenceModel: expected a model written by migov train ("), m);
    }
}
