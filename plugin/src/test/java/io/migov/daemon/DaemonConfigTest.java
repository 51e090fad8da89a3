// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon;

import io.migov.core.ControllerSettings;
import io.migov.core.ConvergenceSettings;
import io.migov.core.Discretiser;
import io.migov.core.Resource;
import io.migov.core.StateSpace;
import io.migov.governor.GovernorSettings;
import io.migov.governor.Mode;
import io.migov.governor.WriteSampling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DaemonConfigTest {

    @TempDir
    Path dir;

    private static DaemonConfig parse(String json) throws ConfigException {
        return DaemonConfig.parse(json, "test.json", Path.of("/etc/migov"), DaemonConfig.Overrides.NONE);
    }

    private static String failure(String json) {
        return assertThrows(ConfigException.class, () -> parse(json)).getMessage();
    }

    @Test
    void defaults_noFile_everyKeyHasItsDocumentedDefault() throws Exception {
        DaemonConfig c = DaemonConfig.defaults(DaemonConfig.Overrides.NONE);
        assertEquals("qemu:///system", c.connect());
        assertEquals(Path.of("/var/lib/migov"), c.stateDir());
        GovernorSettings s = c.settings();
        assertEquals(Mode.ENFORCE, s.mode());
        assertEquals(5, s.lookAhead());
        assertEquals(new ControllerSettings(4, 0.5, 5000), s.controller());
        assertEquals(new ConvergenceSettings(4.0, 1, 1, 2, 4096), s.convergence());
        assertEquals(1_000_000_000L, s.linkCapacityBitsPerSecond());
        assertEquals(30, s.modelSyncIntervalSeconds());
        assertEquals(60, s.checkpointIntervalSeconds());
        assertEquals(GovernorSettings.DEFAULTS, s);
        assertEquals("cpu[25,50] write[25,50] net_in[25,50] net_out[25,50] (81 states)", c.discretiser().toString());
        assertNull(c.priorFile());
        assertTrue(c.prior().isUniform());
        assertEquals(81, c.prior().stateCount());
        assertEquals(0.0, c.priorWeight());
        assertEquals(new RecordRotation(10 * 1024 * 1024, 5), c.records());
    }

    @Test
    void parse_emptyObject_isTheDefaults() throws Exception {
        assertSameConfig(DaemonConfig.defaults(DaemonConfig.Overrides.NONE), parse("{}"));
    }

    @Test
    void parse_everyKey_isApplied() throws Exception {
        Files.writeString(dir.resolve("prior.json"), priorJson(4));
        String json = """
                {
                  "connect": "qemu+tcp://10.77.0.1/system",
                  "stateDir": "/srv/migov",
                  "mode": "advise",
                  "lookAhead": 7,
                  "maxIterations": 6,
                  "memoryIntensiveShare": 0.75,
                  "fallbackMaxDowntimeMillis": 2000,
                  "noiseMarginPercent": 2.5,
                  "stallWindowIterations": 2,
                  "patienceIterations": 3,
                  "completionPasses": 1,
                  "pageSizeBytes": 65536,
                  "linkCapacityBitsPerSecond": 10000000000,
                  "stateSpace": "usage",
                  "thresholds": {"cpu": [50], "mem": [50], "net_in": [], "net_out": []},
                  "priorFile": "prior.json",
                  "priorWeight": 2.5,
                  "modelSyncIntervalSeconds": 10,
                  "checkpointIntervalSeconds": 120,
                  "recordMaxBytes": 1048576,
                  "recordKeepFiles": 3,
                  "policy": "Hybrid(3)",
                  "kubevirtStallWindowSeconds": 30
                }""";
        DaemonConfig c = DaemonConfig.parse(json, "t.json", dir, DaemonConfig.Overrides.NONE);
        assertEquals("qemu+tcp://10.77.0.1/system", c.connect());
        assertEquals(Path.of("/srv/migov"), c.stateDir());
        assertEquals(new GovernorSettings(Mode.ADVISE, 7, new ControllerSettings(6, 0.75, 2000),
                new ConvergenceSettings(2.5, 2, 3, 1, 65536), 10_000_000_000L, 10, 120, "hybrid(3)", 30,
                WriteSampling.DEFAULTS), c.settings());
        assertEquals("cpu[50] mem[50] (4 states)", c.discretiser().toString());
        assertFalse(c.discretiser().models(Resource.NET_IN));
        assertEquals(dir.resolve("prior.json"), c.priorFile());
        assertFalse(c.prior().isUniform());
        assertEquals(4, c.prior().stateCount());
        assertEquals(2.5, c.priorWeight());
        assertEquals(new RecordRotation(1_048_576, 3), c.records());
    }

    @Test
    void parse_someThresholds_keepTheDefaultForTheOthers() throws Exception {
        DaemonConfig c = parse("{\"thresholds\": {\"write\": [30, 60, 90]}}");
        assertEquals("cpu[25,50] write[30,60,90] net_in[25,50] net_out[25,50] (108 states)", c.discretiser().toString());
    }

    @Test
    void parse_writeStateSpace_modelsWriteIntensityWithItsThresholds() throws Exception {
        DaemonConfig c = parse("{\"stateSpace\": \"write\", \"thresholds\": {\"write\": [40]}, \"dirtyRateIntervalSeconds\": 5, "
                + "\"dirtyRateCalcSeconds\": 2, \"migrationBandwidthBytesPerSecond\": 104857600}");
        assertEquals(StateSpace.WRITE, c.stateSpace());
        assertEquals("cpu[25,50] write[40] net_in[25,50] net_out[25,50] (54 states)", c.discretiser().toString());
        assertEquals(new WriteSampling(5, 2, 104_857_600L), c.settings().writeSampling());
    }

    @Test
    void parse_usageAndWrite_has243States() throws Exception {
        assertEquals(243, parse("{\"stateSpace\": \"usage+write\"}").discretiser().stateCount());
        assertEquals(StateSpace.WRITE, parse("{}").stateSpace(), "the default, chosen on the bench");
    }

    @Test
    void parse_peers_areKeptInOrder_noneByDefault() throws Exception {
        assertEquals(List.of(), parse("{}").peers());
        assertEquals(List.of("qemu+tcp://10.77.0.2/system", "qemu+ssh://c/system"),
                parse("{\"peers\": [\"qemu+tcp://10.77.0.2/system\", \"qemu+ssh://c/system\"]}").peers());
    }

    @Test
    void parse_badPeer_failsNamingItsIndexAndValue() {
        assertEquals("config: peers[1]: expected a libvirt URI such as qemu:///system or qemu+tcp://host/system, got 'no scheme'",
                failure("{\"peers\": [\"qemu:///system\", \"no scheme\"]}"));
        assertEquals("config: peers[0]: expected a libvirt URI such as qemu+tcp://host/system, got null",
                failure("{\"peers\": [null]}"));
        assertEquals("config: peers[1]: listed twice, got 'qemu+tcp://b/system'",
                failure("{\"peers\": [\"qemu+tcp://b/system\", \"qemu+tcp://b/system\"]}"));
        assertTrue(failure("{\"peers\": \"qemu+tcp://b/system\"}").startsWith("config: peers: expected a list of strings"),
                failure("{\"peers\": \"qemu+tcp://b/system\"}"));
        assertTrue(failure("{\"peers\": [1]}").startsWith("config: peers"), failure("{\"peers\": [1]}"));
    }

    @Test
    void parse_unknownKey_failsNamingIt() {
        assertEquals("config: tickMillis: unknown key, got 1000", failure("{\"tickMillis\": 1000}"));
    }

    @Test
    void parse_misspelledKey_suggestsTheKnownOne() {
        assertEquals("config: look_ahead: unknown key (did you mean lookAhead?), got 5", failure("{\"look_ahead\": 5}"));
    }

    @Test
    void parse_unknownThresholdResource_failsNamingIt() {
        assertEquals("config: thresholds.disk: unknown key (expected one of cpu, mem, write, net_in, net_out), got [10]",
                failure("{\"thresholds\": {\"disk\": [10]}}"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "lookAhead                 | 0        | config: lookAhead: expected 1..1000, got 0",
            "lookAhead                 | 1001     | config: lookAhead: expected 1..1000, got 1001",
            "maxIterations             | 0        | config: maxIterations: expected 1..1000, got 0",
            "memoryIntensiveShare      | 1.5      | config: memoryIntensiveShare: expected (0, 1], got 1.5",
            "fallbackMaxDowntimeMillis | 0        | config: fallbackMaxDowntimeMillis: expected 1..2000000 (QEMU's limit), got 0",
            "noiseMarginPercent        | 100      | config: noiseMarginPercent: expected [0, 100), got 100.0",
            "stallWindowIterations     | 0        | config: stallWindowIterations: expected 1..100, got 0",
            "patienceIterations        | -1       | config: patienceIterations: expected 0..100, got -1",
            "completionPasses          | 11       | config: completionPasses: expected 0..10, got 11",
            "pageSizeBytes             | 1000     | config: pageSizeBytes: expected a power of two ≥ 512, got 1000",
            "linkCapacityBitsPerSecond | 10       | config: linkCapacityBitsPerSecond: expected 1000000..1000000000000, got 10",
            "modelSyncIntervalSeconds  | 0        | config: modelSyncIntervalSeconds: expected 1..86400, got 0",
            "checkpointIntervalSeconds | 86401    | config: checkpointIntervalSeconds: expected 1..86400, got 86401",
            "recordMaxBytes            | 100      | config: recordMaxBytes: expected 4096..1099511627776, got 100",
            "recordKeepFiles           | -1       | config: recordKeepFiles: expected 0..100, got -1",
            "priorWeight               | -1       | config: priorWeight: expected a finite value ≥ 0, got -1.0",
            "mode                      | `\"fast\"`   | config: mode: expected one of enforce, advise, off, got 'fast'",
            "connect                   | `\"no uri\"` | config: connect: expected a libvirt URI such as qemu:///system or qemu+tcp://host/system, got 'no uri'",
            "connect                   | `\"system\"` | config: connect: expected a libvirt URI such as qemu:///system or qemu+tcp://host/system, got 'system'",
            "stateDir                  | `\"\"`       | config: stateDir: expected a path, got ''",
            "lookAhead                 | `\"five\"`   | config: lookAhead: expected an integer (32-bit), got 'five'",
            "lookAhead                 | `\"5\"`      | config: lookAhead: expected an integer (32-bit), got '5'",
            "lookAhead                 | 5.5      | config: lookAhead: expected an integer (32-bit), got 5.5",
            "lookAhead                 | true     | config: lookAhead: expected an integer (32-bit), got true",
            "lookAhead                 | null     | config: lookAhead: expected an integer (32-bit), got null",
            "lookAhead                 | 99999999999 | config: lookAhead: out of range, got 99999999999",
            "recordMaxBytes            | `\"10M\"`    | config: recordMaxBytes: expected an integer (64-bit), got '10M'",
            "memoryIntensiveShare      | `\"half\"`   | config: memoryIntensiveShare: expected a number, got 'half'",
            "mode                      | 5        | config: mode: expected a string, got 5",
            "policy                    | `\"hybrid(0)\"` | config: policy: expected one of migov, algorithm1, precopy, postcopy-after-precopy, hybrid(m) with m 1..1000, always-postcopy, nova, nova-force-complete, kubevirt-stall, got 'hybrid(0)'",
            "policy                    | `\"fastest\"`   | config: policy: expected one of migov, algorithm1, precopy, postcopy-after-precopy, hybrid(m) with m 1..1000, always-postcopy, nova, nova-force-complete, kubevirt-stall, got 'fastest'",
            "kubevirtStallWindowSeconds | 0       | config: kubevirtStallWindowSeconds: expected 1..3600, got 0",
            "stateSpace                | `\"dirty\"` | config: stateSpace: expected one of usage, write, usage+write, got 'dirty'",
            "dirtyRateIntervalSeconds  | -1       | config: dirtyRateIntervalSeconds: expected 0 (off) or 1..3600, got -1",
            "dirtyRateCalcSeconds      | 0        | config: dirtyRateCalcSeconds: expected 1..60, got 0",
            "migrationBandwidthBytesPerSecond | -1 | config: migrationBandwidthBytesPerSecond: expected 0 (the link capacity) or 1..1000000000000, got -1",
            "thresholds                | `{\"mem\": [30]}` | config: thresholds.mem: not part of stateSpace write (its resources: [cpu, write, net_in, net_out]), got [30.0]",
            "connect                   | `[\"qemu:///system\"]` | config: connect: expected a string, got [\"qemu:///system\"]",
            "thresholds                | 25       | config: thresholds: expected an object with cpu, mem, write, net_in, net_out, got 25",
            "thresholds                | `{\"cpu\": [50, 25]}` | config: thresholds.cpu: thresholds must be strictly ascending, got 50.0 then 25.0",
            "thresholds                | `{\"cpu\": [0]}`      | config: thresholds.cpu[0]: expected a percentage in (0, 100], got 0.0",
            "thresholds                | `{\"mem\": [25, \"x\"]}` | config: thresholds.mem[1]: expected a number, got 'x'",
            "thresholds                | `{\"mem\": [25, null]}`  | config: thresholds.mem[1]: expected a number, got null",
            "thresholds                | `{\"mem\": 50}`          | config: thresholds.mem: expected a list of ascending percentages, got 50",
            "thresholds                | `{\"cpu\": [], \"write\": [], \"net_in\": [], \"net_out\": []}` | config: thresholds: at least one resource must have thresholds, got {\"cpu\":[],\"write\":[],\"net_in\":[],\"net_out\":[]}",
    })
    void parse_badValue_namesTheKeyAndTheValue(String key, String value, String expected) {
        assertEquals(expected, failure("{\"" + key + "\": " + value + "}"));
    }

    @Test
    void parse_everyFailure_hasTheOneLineFormat() {
        Pattern format = Pattern.compile("config: [A-Za-z_.\\[\\]0-9-]+: .+, got .+");
        for (String json : new String[] {"{\"lookAhead\": 0}", "{\"x\": 1}", "{\"mode\": 1}", "{\"thresholds\": {\"cpu\": [60, 50]}}"}) {
            String m = failure(json);
            assertTrue(format.matcher(m).matches(), m);
            assertFalse(m.contains("\n"), m);
        }
    }

    @Test
    void parse_invalidJson_namesLineAndColumn() {
        String m = failure("{\n  \"lookAhead\": 5,\n  oops\n}");
        assertTrue(m.startsWith("config: test.json: not valid JSON at line 3, column "), m);
    }

    @Test
    void parse_duplicateKey_fails() {
        String m = failure("{\"mode\": \"off\", \"mode\": \"enforce\"}");
        assertTrue(m.startsWith("config: test.json: not valid JSON") && m.contains("Duplicate field 'mode'"), m);
    }

    @Test
    void parse_notAnObject_fails() {
        assertEquals("config: test.json: expected a JSON object, got array", failure("[1, 2]"));
        assertEquals("config: test.json: expected a JSON object, got an empty file", failure("  "));
    }

    @Test
    void overrides_winOverTheFile() throws Exception {
        String json = "{\"connect\": \"qemu:///session\", \"stateDir\": \"/srv/a\", \"mode\": \"off\", \"lookAhead\": 9}";
        DaemonConfig c = DaemonConfig.parse(json, "t.json", dir,
                new DaemonConfig.Overrides("qemu+tcp://10.77.0.2/system", "/srv/b", "advise"));
        assertEquals("qemu+tcp://10.77.0.2/system", c.connect());
        assertEquals(Path.of("/srv/b"), c.stateDir());
        assertEquals(Mode.ADVISE, c.settings().mode());
        assertEquals(9, c.settings().lookAhead());
    }

    @Test
    void load_noFileButOverrides_isEnough() throws Exception {
        DaemonConfig c = DaemonConfig.load(null, new DaemonConfig.Overrides("qemu+tcp://10.77.0.1/system", "/tmp/x", "advise"));
        assertEquals("qemu+tcp://10.77.0.1/system", c.connect());
        assertEquals(Path.of("/tmp/x"), c.stateDir());
        assertEquals(Mode.ADVISE, c.settings().mode());
        assertEquals(GovernorSettings.DEFAULTS.withMode(Mode.ADVISE), c.settings());
    }

    @Test
    void overrides_badValue_nameTheOption() {
        assertEquals("config: --mode: expected one of enforce, advise, off, got 'fast'", assertThrows(ConfigException.class,
                () -> DaemonConfig.load(null, new DaemonConfig.Overrides(null, null, "fast"))).getMessage());
        assertEquals("config: --connect: expected a libvirt URI such as qemu:///system or qemu+tcp://host/system, got ''",
                assertThrows(ConfigException.class, () -> DaemonConfig.load(null, new DaemonConfig.Overrides("", null, null))).getMessage());
        assertEquals("config: --state-dir: expected a path, got ' '", assertThrows(ConfigException.class,
                () -> DaemonConfig.load(null, new DaemonConfig.Overrides(null, " ", null))).getMessage());
    }

    @Test
    void overrides_relativeStateDir_isMadeAbsolute() throws Exception {
        DaemonConfig c = DaemonConfig.load(null, new DaemonConfig.Overrides(null, "state/../x", null));
        assertEquals(Path.of("x").toAbsolutePath(), c.stateDir());
    }

    @Test
    void load_fileFromDisk_isRead() throws Exception {
        Path file = dir.resolve("migov.json");
        Files.writeString(file, "{\"mode\": \"off\"}");
        assertEquals(Mode.OFF, DaemonConfig.load(file, DaemonConfig.Overrides.NONE).settings().mode());
    }

    @Test
    void load_missingFile_namesIt() {
        Path file = dir.resolve("nope.json");
        assertEquals("config: --config: no such file, got " + file, assertThrows(ConfigException.class,
                () -> DaemonConfig.load(file, DaemonConfig.Overrides.NONE)).getMessage());
    }

    @Test
    void load_relativePriorFile_isResolvedAgainstTheConfigDir() throws Exception {
        Files.createDirectories(dir.resolve("priors"));
        Files.writeString(dir.resolve("priors/p.json"), priorJson(81));
        Path file = dir.resolve("migov.json");
        Files.writeString(file, "{\"priorFile\": \"priors/p.json\", \"priorWeight\": 1}");
        DaemonConfig c = DaemonConfig.load(file, DaemonConfig.Overrides.NONE);
        assertEquals(dir.resolve("priors/p.json"), c.priorFile());
        assertFalse(c.prior().isUniform());
    }

    @Test
    void parse_priorFileNull_isUniform() throws Exception {
        assertTrue(parse("{\"priorFile\": null}").prior().isUniform());
    }

    @Test
    void parse_priorProblems_nameTheFile() throws Exception {
        Path missing = dir.resolve("missing.json");
        assertEquals("config: priorFile: no such file, got " + missing, failure("{\"priorFile\": \"" + missing + "\"}"));

        Path small = dir.resolve("small.json");
        Files.writeString(small, priorJson(4));
        assertEquals("config: priorFile: holds a 4×4 matrix, the state scheme needs 81×81, got " + small,
                failure("{\"priorFile\": \"" + small + "\"}"));

        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"format\":\"migov-prior\",\"version\":1,\"matrix\":[[0.5]]}");
        String m = failure("{\"priorFile\": \"" + bad + "\"}");
        assertTrue(m.startsWith("config: priorFile: not a prior matrix (matrix[0]: row must sum to 1") && m.endsWith(", got " + bad), m);
    }

    @Test
    void parse_priorLearnedInAnotherSchemeOfTheSameSize_isRefusedNamingBothSchemes() throws Exception {
        // usage and write both have 81 states: only the scheme the file declares tells them apart
        Path usagePrior = dir.resolve("usage-prior.json");
        Files.writeString(usagePrior, priorJson(81).replace("\"version\":1,", "\"version\":1,\"scheme\":\""
                + Discretiser.of(StateSpace.USAGE, 25, 50) + "\","));
        String m = failure("{\"stateSpace\": \"write\", \"priorFile\": \"" + usagePrior + "\"}");
        assertTrue(m.startsWith("config: priorFile: was learned in the state scheme cpu[25,50] mem[25,50]"), m);
        assertTrue(m.contains("this config's stateSpace and thresholds make cpu[25,50] write[25,50]") && m.endsWith(", got " + usagePrior), m);

        DaemonConfig usage = parse("{\"stateSpace\": \"usage\", \"priorFile\": \"" + usagePrior + "\"}");
        assertEquals(Discretiser.of(StateSpace.USAGE, 25, 50).toString(), usage.prior().scheme().orElseThrow());
    }

    @Test
    void parse_priorWithoutAScheme_loadsWhenTheSizeFits() throws Exception {
        Path bare = dir.resolve("bare.json");
        Files.writeString(bare, priorJson(81));
        assertTrue(parse("{\"stateSpace\": \"write\", \"priorFile\": \"" + bare + "\"}").prior().scheme().isEmpty());
    }

    @Test
    void packagedConfig_isTheDocumentedDefaults() throws Exception {
        Path packaged = Path.of("..", "packaging", "migov.json");
        assertSameConfig(DaemonConfig.defaults(DaemonConfig.Overrides.NONE), DaemonConfig.load(packaged, DaemonConfig.Overrides.NONE));
        // and it spells out every key, so that an operator sees them all
        String text = Files.readString(packaged);
        for (String key : DaemonConfig.keys()) {
            assertTrue(text.contains("\"" + key + "\""), key + " missing from packaging/migov.json");
        }
    }

    @Test
    void documentation_hasARowForEveryKey() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
        for (String key : DaemonConfig.keys()) {
            Matcher row = Pattern.compile("(?m)^\\| `" + Pattern.quote(key) + "` \\|.*\\| (runtime-mutable|startup-only) \\|$").matcher(doc);
            assertTrue(row.find(), key + " has no row in docs/configuration.md");
        }
    }

    /** Discretiser and PriorMatrix have identity equality: compare what they describe. */
    private static void assertSameConfig(DaemonConfig expected, DaemonConfig actual) {
        assertEquals(expected.connect(), actual.connect());
        assertEquals(expected.stateDir(), actual.stateDir());
        assertEquals(expected.settings(), actual.settings());
        assertEquals(expected.discretiser().toString(), actual.discretiser().toString());
        assertEquals(expected.priorFile(), actual.priorFile());
        assertEquals(expected.prior().isUniform(), actual.prior().isUniform());
        assertEquals(expected.prior().stateCount(), actual.prior().stateCount());
        assertEquals(expected.priorWeight(), actual.priorWeight());
        assertEquals(expected.records(), actual.records());
    }

    /** A valid n×n prior: every state goes to state 0. */
    static String priorJson(int n) {
        StringBuilder sb = new StringBuilder("{\"format\":\"migov-prior\",\"version\":1,\"matrix\":[");
        for (int i = 0; i < n; i++) {
            sb.append(i > 0 ? "," : "").append('[');
            for (int j = 0; j < n; j++) {
                sb.append(j > 0 ? "," : "").append(j == 0 ? "1" : "0");
            }
            sb.append(']');
        }
        return sb.append("]}").toString();
    }
}
