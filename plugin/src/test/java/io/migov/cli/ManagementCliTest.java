// SPDX-License-Identifier: Apache-2.0
package io.migov.cli;

import io.migov.testing.FakeHypervisor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.migov.core.DecisionCore;
import io.migov.daemon.DaemonConfig;
import io.migov.daemon.JsonLinesRecordSink;
import io.migov.daemon.management.ConfigReloader;
import io.migov.daemon.management.ManagementPlane;
import io.migov.governor.Governor;
import io.migov.governor.GovernorSettings;
import io.migov.governor.MigrationOutcome;
import io.migov.governor.MigrationRecord;
import io.migov.governor.MigrationRecordSink;
import io.migov.governor.ModelStore;
import io.migov.port.DomainStats;
import io.migov.report.ReportTable;
import io.migov.sim.RenderedTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.management.MBeanServerFactory;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The management commands in-process against a management plane behind a real connector server. */
class ManagementCliTest {

    private static final String UUID = "6c653893-0e90-474e-a49a-0bf763b94100";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private ManagementPlane plane;
    private Governor governor;
    private AtomicReference<GovernorSettings> settings;
    private Path passwordFile;
    private String url;
    private final FakeHypervisor host = new FakeHypervisor();
    private long cpu;

    private record Run(int exit, String out, String err) {
    }

    private static Run cli(String... args) {
        CommandLine cl = MigovCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Run remote(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--jmx-url", url, "--user", "ops", "--password-file", passwordFile.toString()));
        return cli(all.toArray(new String[0]));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        Path daemonPasswords = Files.writeString(dir.resolve("jmx.password"), "ops s3cret\n");
        Files.setPosixFilePermissions(daemonPasswords, PosixFilePermissions.fromString("rw-------"));
        passwordFile = Files.writeString(dir.resolve("ops.password"), "s3cret\n");
        int registry = freePort();
        DaemonConfig config = DaemonConfig.parse("{\"connect\": \"fake:///system\", \"jmxRemote\": true, \"jmxRegistryPort\": " + registry
                + ", \"jmxServerPort\": " + freePort() + ", \"jmxPasswordFile\": \"jmx.password\"}", "test.json", dir,
                DaemonConfig.Overrides.NONE);
        settings = new AtomicReference<>(config.settings());
        plane = ManagementPlane.create(config, settings, ConfigReloader.NONE, "migov test", MBeanServerFactory.newMBeanServer());
        governor = Governor.builder().hypervisor(host).core(DecisionCore.defaults()).settings(settings::get)
                .clock(Clock.systemUTC()).recordSink(r -> { }).modelStore(new ModelStore() {
                    @Override
                    public Optional<String> load(String uuid) {
                        return Optional.empty();
                    }

                    @Override
                    public void save(String uuid, String json) {
                    }
                }).executor(Runnable::run).build();
        plane.start(governor);
        url = "127.0.0.1:" + registry;
        for (int i = 0; i < 3; i++) {
            cpu += 800_000_000L;
            host.domains.clear();
            host.put(new DomainStats(UUID, "jmx-cli", true, 1, cpu, 524288, 524288, 524288, 200_000, 200_000, 300_000, 0, 0));
            governor.tick();
            Thread.sleep(5);
        }
        plane.reconcileVms();
    }

    @AfterEach
    void tearDown() {
        plane.close();
    }

    @Test
    void status_human_showsModeAndCounters() {
        Run r = remote("status");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("mode "), r.out());
        assertTrue(r.out().contains("enforce"), r.out());
        assertTrue(r.out().matches("(?s).*vmsProfiled\\s+1\\n.*"), r.out());
    }

    @Test
    void status_json_isOneObjectWithEveryStateAttribute() throws Exception {
        Run r = remote("status", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode s = JSON.readTree(r.out());
        assertEquals("enforce", s.path("mode").asText());
        assertEquals(1, s.path("vmsProfiled").asInt());
        assertEquals(3, s.path("ticks").asInt());
        assertTrue(s.has("steeringPaused") && s.has("libvirtConnected") && s.has("errors"), s.toString());
    }

    @Test
    void vmsAndVm_listAndDetailTheVm() throws Exception {
        Run list = remote("vms");
        assertEquals(0, list.exit(), list.err());
        JsonNode vms = JSON.readTree(remote("vms", "--json").out());
        assertEquals("jmx-cli", vms.get(0).path("name").asText());
        Map<String, String> row = RenderedTable.row(list.out(), "jmx-cli");
        assertEquals(UUID, row.get("UUID"), list.out());
        assertEquals(vms.get(0).path("state").asText(), row.get("STATE"), list.out());
        assertEquals(vms.get(0).path("samples").asText(), row.get("SAMPLES"), list.out());

        Run one = remote("vm", "jmx-cli");
        assertEquals(0, one.exit(), one.err());
        assertTrue(one.out().contains("predictions (k steps of 1 s ahead)"), one.out());
        JsonNode vm = JSON.readTree(remote("vm", "jmx-cli", "--json").out());
        assertEquals(UUID, vm.path("uuid").asText());
        assertEquals(5, vm.path("predictions").size());
        assertEquals(1, vm.path("predictions").get(0).path("k").asInt());
        assertTrue(vm.path("migration").isNull());

        Run missing = remote("vm", "nope");
        assertEquals(2, missing.exit());
        assertEquals("migov: no VM named 'nope' on this daemon (migov vms lists them)", missing.err().strip());
    }

    @Test
    void getAndSet_validValueTakesEffect_rejectedValueExits2AndChangesNothing() throws Exception {
        assertEquals("5", remote("get", "lookAhead").out().strip());
        assertEquals("5", remote("get", "LOOKAHEAD").out().strip(), "case-insensitive");
        Run set = remote("set", "lookAhead", "8");
        assertEquals(0, set.exit(), set.err());
        assertEquals("lookAhead: 5 → 8", set.out().strip());
        assertEquals(8, settings.get().lookAhead());

        Run rejected = remote("set", "lookAhead", "0");
        assertEquals(2, rejected.exit());
        assertEquals("migov: rejected: lookAhead: expected 1..1000, got 0", rejected.err().strip());
        assertEquals(8, settings.get().lookAhead());

        Run notANumber = remote("set", "lookAhead", "many");
        assertEquals(2, notANumber.exit());
        assertEquals("migov: lookAhead: expected an integer (32-bit), got 'many'", notANumber.err().strip());

        Run startupOnly = remote("set", "connect", "qemu:///session");
        assertEquals(2, startupOnly.exit());
        assertTrue(startupOnly.err().contains("connect is startup-only"), startupOnly.err());

        Run unknown = remote("get", "tickMillis");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().startsWith("migov: unknown setting 'tickMillis'; known: "), unknown.err());

        JsonNode mode = JSON.readTree(remote("set", "mode", "advise", "--json").out());
        assertEquals("enforce", mode.path("old").asText());
        assertEquals("advise", mode.path("new").asText());
        JsonNode all = JSON.readTree(remote("get", "--json").out());
        assertEquals(8, all.path("lookAhead").asInt());
        assertEquals("advise", all.path("mode").asText());
        Run table = remote("get");
        assertEquals(Map.of("SETTING", "lookAhead", "VALUE", "8", "ACCESS", "runtime-mutable"), RenderedTable.row(table.out(), "lookAhead"));
        assertEquals("startup-only", RenderedTable.row(table.out(), "connect").get("ACCESS"), table.out());
    }

    @Test
    void migrationsAndResetModel_work() throws Exception {
        Run m = remote("migrations");
        assertEquals(0, m.exit(), m.err());
        assertTrue(m.out().startsWith("running now\n(none)"), m.out());
        JsonNode json = JSON.readTree(remote("migrations", "--json").out());
        assertEquals(0, json.path("active").size());
        assertEquals(50, json.path("historySize").asInt());

        Run reset = remote("reset-model", "jmx-cli");
        assertEquals(0, reset.exit(), reset.err());
        assertEquals("model of jmx-cli reset (2 samples forgotten)", reset.out().strip());
        assertEquals(2, remote("reset-model", "ghost").exit());
    }

    /** One finished migration per outcome, through the daemon's own sink decorator (what goes to migrations.jsonl). */
    private List<MigrationRecord> recordEveryOutcome() throws Exception {
        List<MigrationRecord> written = new ArrayList<>();
        MigrationRecordSink sink = plane.recording(r -> { });
        int i = 0;
        for (MigrationOutcome o : MigrationOutcome.values()) {
            i++;
            boolean completed = o == MigrationOutcome.COMPLETED;
            MigrationRecord r = new MigrationRecord("w" + i, UUID, "fake:///system", "enforce", "migov", 1_767_225_600_000L + i * 60_000L,
                    1_767_225_630_000L + i * 60_000L, o, completed, 30_000, completed ? 12 : -1, 900L << 20, 9, 72, "HYBRID", "r",
                    0.9, 0, 0, 5, "none", -1, "because", "none", -1, false, 0, null, List.of(), List.of(),
                    MigrationRecord.ModelAtStart.NONE);
            sink.write(r);
            written.add(r);
        }
        return written;
    }

    @Test
    void migrations_everyOutcome_isTheSameWordInTheRecordJmxCliAndReportTable() throws Exception {
        List<MigrationRecord> records = recordEveryOutcome();
        TabularData history = (TabularData) plane.server().getAttribute(ManagementPlane.MIGRATIONS, "History");
        String human = remote("migrations").out();
        JsonNode json = JSON.readTree(remote("migrations", "--json").out()).path("history");
        for (MigrationRecord r : records) {
            String word = r.outcome().word();
            JsonNode line = JsonLinesRecordSink.JSON.valueToTree(r);
            assertEquals(word, line.path("outcome").asText(), "record JSON");

            Object jmx = history.values().stream().map(CompositeData.class::cast).filter(c -> c.get("vm").equals(r.vm()))
                    .map(c -> c.get("outcome")).findFirst().orElseThrow();
            assertEquals(word, jmx, "JMX History");

            String row = human.lines().filter(l -> List.of(l.trim().split("[\\s|]+")).contains(r.vm())).findFirst()
                    .orElseThrow(() -> new AssertionError(r.vm() + " not listed:\n" + human));
            assertTrue(List.of(row.trim().split("[\\s|]+")).contains(word), word + " not in the CLI's row: " + row);
            JsonNode cliJson = null;
            for (JsonNode h : json) {
                if (h.path("vm").asText().equals(r.vm())) {
                    cliJson = h;
                }
            }
            assertEquals(word, cliJson == null ? null : cliJson.path("outcome").asText(), "CLI --json");

            List<String> cells = ReportTable.rows(List.of(line), ReportTable.RowFacts.NONE).get(0);
            assertEquals(word, cells.get(ReportTable.header().indexOf("outcome")), "report table");
        }
        String description = history.getTabularType().getRowType().getDescription("outcome");
        for (MigrationOutcome o : MigrationOutcome.values()) {
            assertTrue(description.contains(o.word() + " (" + o.meaning() + ")"), description);
        }
    }

    @Test
    void migrations_actionBeforeAnyPass_saysBeforePass1NotPass0() throws Exception {
        plane.recording(r -> { }).write(new MigrationRecord("early", UUID, "fake:///system", "enforce", "migov", 1_767_225_600_000L,
                1_767_225_603_604L, MigrationOutcome.COMPLETED, true, 3604, 4, 350L << 20, 2, 72, "POST_COPY", "r", 1.0, 0, 0, 5,
                "switch_to_postcopy", 0, "at detection", "switch_to_postcopy", -1, true, 8491, null, List.of(), List.of(),
                MigrationRecord.ModelAtStart.NONE));
        String row = remote("migrations").out().lines().filter(l -> l.contains("early")).findFirst().orElseThrow();
        assertTrue(row.contains("before pass 1"), row);
    }

    @Test
    void unreachable_closedPortWrongPasswordOrNotAJvm_exit3WithAMessage() throws Exception {
        Run closed = cli("status", "--jmx-url", "127.0.0.1:" + freePort(), "--user", "ops", "--password-file", passwordFile.toString());
        assertEquals(3, closed.exit());
        assertTrue(closed.err().startsWith("migov: cannot reach the daemon: cannot reach service:jmx:rmi:///jndi/rmi://127.0.0.1:"),
                closed.err());

        Path wrong = Files.writeString(dir.resolve("wrong.password"), "guess\n");
        Run refused = cli("status", "--jmx-url", url, "--user", "ops", "--password-file", wrong.toString());
        assertEquals(3, refused.exit());
        assertTrue(refused.err().contains("access refused") && refused.err().contains("Authentication failed! Invalid username or password"), refused.err());

        Run anonymous = cli("status", "--jmx-url", url);
        assertEquals(3, anonymous.exit());
        assertTrue(anonymous.err().contains("Authentication failed! Credentials required"), anonymous.err());

        Process sleep = new ProcessBuilder("sleep", "30").start();
        try {
            Run notJvm = cli("status", "--pid", Long.toString(sleep.pid()));
            assertEquals(3, notJvm.exit());
            assertTrue(notJvm.err().contains("is not a Java VM"), notJvm.err());
        } finally {
            sleep.destroy();
        }
    }

    @Test
    void badOptions_exit2() {
        assertEquals(2, cli("status", "--jmx-url", "http://x").exit());
        assertEquals(2, cli("status", "--jmx-url", url, "--user", "ops").exit());
        assertEquals(2, cli("status", "--user", "ops", "--password-file", passwordFile.toString()).exit());
        Run missingFile = cli("status", "--jmx-url", url, "--user", "ops", "--password-file", dir.resolve("none").toString());
        assertEquals("migov: --password-file: no such file: " + dir.resolve("none"), missingFile.err().strip());
    }

    @Test
    void daemonCommandLine_recognisedForJarAndMainClassLaunches() {
        assertTrue(JmxOptions.isDaemonCommandLine("/usr/share/migov/migov.jar daemon --config /etc/migov/migov.json"));
        assertTrue(JmxOptions.isDaemonCommandLine("java -Xmx256m -jar plugin/target/migov.jar daemon --config x"));
        assertTrue(JmxOptions.isDaemonCommandLine("io.migov.cli.MigovCommand daemon"));
        assertTrue(JmxOptions.isDaemonCommandLine("/usr/bin/java -cp /usr/share/migov/migov.jar io.migov.cli.MigovCommand daemon --config c"));
        assertTrue(!JmxOptions.isDaemonCommandLine("java -jar plugin/target/migov.jar status"));
        assertTrue(!JmxOptions.isDaemonCommandLine("java -jar migov.jar vm daemon"));
    }
}
