package io.migov.deb;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The libvirt hook ({@code hooks/migov}) as libvirt runs it: every operation, the model hand-over
 * at migrate begin, and fuzzing — hostile domain names, garbage stdin, bad arguments, a full or
 * missing spool. Always: exit 0, nothing on stdout (libvirt would take it as replacement XML at
 * migrate begin), nothing executed, within 100 ms; failures leave one log line.
 */
class HookScriptTest {

    static final long LIMIT_MILLIS = 100;

    @TempDir
    Path tmp;

    HookRig rig;
    Path victim;

    @BeforeEach
    void rig() throws IOException {
        rig = HookRig.fromSource(tmp.resolve("rig"));
        // what an injected `rm -rf x` / `touch pwned` would hit: the hook's working directory
        victim = Files.writeString(rig.dir.resolve("x"), "still here\n");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** exit 0, nothing printed, no injection, in time. */
    private void assertQuiet(Cmd.Result r) throws IOException {
        assertEquals(0, r.exit(), r.toString());
        assertEquals(0, r.stdout().length, "the hook must print nothing: " + r);
        assertEquals(0, r.stderr().length, "the hook must print nothing: " + r);
        assertTrue(Files.exists(victim), "injected command removed " + victim);
        try (var s = Files.list(rig.dir)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("hooks", "spool", "x"), names, "the hook created files outside its spool");
        }
        assertTrue(Files.notExists(Path.of("/tmp/pwned")), "/tmp/pwned created");
    }

    @Test
    void everyLibvirtOperation_exitsZeroQuietlyWithinTheLimit_andHandsOneLineEach() throws Exception {
        byte[] xml = utf8(HookRig.domainXml("vm1", HookRig.UUID, null));
        List<String> slow = new ArrayList<>();
        for (List<String> op : HookRig.LIBVIRT_OPERATIONS) {
            long[] ms = new long[5];
            for (int i = 0; i < ms.length; i++) {
                Cmd.Result r = rig.run(xml, "vm1", op.get(0), op.get(1), "-");
                assertQuiet(r);
                ms[i] = r.millis();
            }
            Arrays.sort(ms);
            if (ms[ms.length / 2] >= LIMIT_MILLIS) {
                slow.add(op + " median " + ms[ms.length / 2] + " ms " + Arrays.toString(ms));
            }
        }
        assertEquals(List.of(), slow, "hook slower than " + LIMIT_MILLIS + " ms");
        List<HookRig.Event> events = rig.events();
        assertEquals(5 * HookRig.LIBVIRT_OPERATIONS.size(), events.size());
        for (HookRig.Event e : events) {
            assertEquals("vm1", e.nameText());
            assertTrue(HookRig.LIBVIRT_OPERATIONS.contains(List.of(e.op(), e.sub())), e.toString());
        }
        assertEquals(List.of(), rig.logLines());
    }

    @Test
    void migrateBegin_withAModel_handsTheElementOverAndPrintsNothing() throws Exception {
        String xml = HookRig.domainXml("vm1", HookRig.UUID.toUpperCase(), HookRig.MODEL_ELEMENT);
        assertQuiet(rig.run(utf8(xml), "vm1", "migrate", "begin", "-"));
        List<Path> models = rig.models();
        assertEquals(List.of(rig.spool.resolve(HookRig.UUID + ".model")), models);
        List<String> lines = Files.readAllLines(models.get(0));
        assertTrue(lines.get(0).matches("migov-hook 1 model \\d+ " + HookRig.UUID), lines.get(0));
        assertEquals(HookRig.MODEL_ELEMENT, lines.get(1));
        assertEquals(2, lines.size());
        assertEquals(List.of(), rig.logLines());
        // a second hand-over for the same VM replaces the first
        assertQuiet(rig.run(utf8(xml), "vm1", "migrate", "begin", "-"));
        assertEquals(1, rig.models().size());
    }

    @Test
    void migrateBegin_modelOverSeveralLines_isHandedOverWhole() throws Exception {
        String element = HookRig.MODEL_ELEMENT.replace("{\"format\"", "\n  {\"format\"").replace("</migov:model>", "\n</migov:model>");
        assertQuiet(rig.run(utf8(HookRig.domainXml("vm1", HookRig.UUID, element)), "vm1", "migrate", "begin", "-"));
        String text = Files.readString(rig.models().get(0));
        assertTrue(text.endsWith(element + "\n"), text);
    }

    @Test
    void migrateBegin_vmWithoutAModel_handsNothingAndLogsNothing() throws Exception {
        assertQuiet(rig.run(utf8(HookRig.domainXml("vm1", HookRig.UUID, "<nova:instance xmlns:nova='x'/>")), "vm1", "migrate", "begin", "-"));
        assertEquals(List.of(), rig.models());
        assertEquals(List.of(), rig.logLines());
        assertEquals(1, rig.events().size());
    }

    @Test
    void hostileDomainNames_travelHexEncoded_injectNothing_andAreLogged() throws Exception {
        String pwned = rig.dir.resolve("pwned").toString();
        List<String> names = List.of(
                "$(touch " + pwned + ")", "`touch " + pwned + "`", ";rm -rf x", "x; rm -rf x", "&& rm -rf x", "| rm -rf x",
                "\"; touch " + pwned + "; \"", "'; touch " + pwned + "; '", "$((1/0))", "${PATH}", "$HOME", "*", "../../../etc/passwd",
                "-rf", "--", "-e", "%s%n%x", "\\x41\\n", "a\nmigov-hook 1 event 0 41 start begin", "tab\there", "name with spaces",
                "ünïcödé-名前", "<uuid>00000000-0000-0000-0000-000000000000</uuid>", "a".repeat(300));
        for (String name : names) {
            rig.clearSpool();
            Cmd.Result r = rig.run(utf8(HookRig.domainXml("x", HookRig.UUID, null)), name, "start", "begin", "-");
            assertQuiet(r);
            List<HookRig.Event> ev = rig.events();
            assertEquals(1, ev.size(), name);
            assertArrayEquals(utf8(name), ev.get(0).name(), "name must arrive byte for byte: " + name);
            assertEquals("start", ev.get(0).op());
            if (!name.matches("[A-Za-z0-9 ._+:@,=-]*")) {
                assertEquals(1, rig.logLines().size(), name + ": " + rig.logLines());
                assertTrue(rig.logLines().get(0).contains("unusual characters (hex " + HexFormat.of().formatHex(utf8(name)).substring(0, Math.min(128, 2 * utf8(name).length))),
                        rig.logLines().toString());
            } else {
                assertEquals(List.of(), rig.logLines(), name);
            }
        }
        assertFalse(Files.exists(Path.of(pwned)));
    }

    @Test
    void namesThatAreNotUtf8_orTooLong_arriveAsBytes() throws Exception {
        assertQuiet(rig.runRawName("\\377\\376\\001\\033[31m\\n$(id)", "stopped", "end", null));
        assertArrayEquals(new byte[] {(byte) 0xff, (byte) 0xfe, 1, 0x1b, '[', '3', '1', 'm', '\n', '$', '(', 'i', 'd', ')'}, rig.events().get(0).name());
        rig.clearSpool();
        String longName = "n".repeat(5000);
        assertQuiet(rig.run(null, longName, "stopped", "end", "-"));
        assertEquals("n".repeat(1024), rig.events().get(0).nameText(), "truncated to 1024 bytes");
        assertTrue(rig.logLines().stream().anyMatch(l -> l.contains("longer than 1024 bytes")), rig.logLines().toString());
    }

    @Test
    void garbageOnStdin_atMigrateBegin_isHandledAndLogged() throws Exception {
        String pwned = rig.dir.resolve("pwned").toString();
        byte[] random = new byte[1 << 20];
        new Random(6).nextBytes(random);
        String injectedUuid = "<domain><uuid>$(touch " + pwned + ")</uuid>" + HookRig.MODEL_ELEMENT + "</domain>";
        List<byte[]> inputs = List.of(
                random,
                new byte[0],
                utf8("not xml at all\n"),
                utf8(injectedUuid),
                utf8(HookRig.MODEL_ELEMENT + "\n<uuid>" + HookRig.UUID + "</uuid>"),    // uuid after the model: no uuid for it
                utf8(HookRig.domainXml("x", "0c3e2f4a-1111-2222-3333", HookRig.MODEL_ELEMENT)),
                utf8(HookRig.domainXml("x", HookRig.UUID, "<migov:model xmlns:migov=\"https://migov.io/xmlns/model/1\" version=\"1\">{\"a\":1}")),
                utf8(HookRig.domainXml("x", HookRig.UUID, "<migov:model version=\"1\">" + "{}".repeat(1_100_000) + "</migov:model>")));
        for (byte[] in : inputs) {
            rig.clearSpool();
            Cmd.Result r = rig.run(in, "vm1", "migrate", "begin", "-");
            assertQuiet(r);
            assertEquals(List.of(), rig.models(), new String(in, 0, Math.min(in.length, 200), StandardCharsets.UTF_8));
            assertEquals(1, rig.events().size());
            assertEquals(1, rig.logLines().size(), "one log line per failure: " + rig.logLines());
        }
        // far more than the hook reads: it stops reading, exits 0 at once, and the writer gets EPIPE
        rig.clearSpool();
        Cmd.Result r = rig.run(new byte[64 << 20], "vm1", "migrate", "begin", "-");
        assertQuiet(r);
        assertTrue(r.millis() < 5 * LIMIT_MILLIS, "64 MiB on stdin took " + r.millis() + " ms");
        assertFalse(Files.exists(Path.of(pwned)));
    }

    @Test
    void badArguments_areLoggedAndPassedOnAsInvalid() throws Exception {
        assertQuiet(rig.run(null, "vm1", "MIGRATE", "$(id)", "-"));
        assertQuiet(rig.run(null, "vm1", "x".repeat(33), "", "-"));
        assertQuiet(rig.run(null));
        List<HookRig.Event> ev = rig.events();
        assertEquals(3, ev.size());
        for (HookRig.Event e : ev) {
            assertEquals("invalid", e.op());
            assertEquals("invalid", e.sub());
        }
        assertEquals("", ev.get(2).nameText());
        assertEquals(6, rig.logLines().size(), rig.logLines().toString());
    }

    @Test
    void spoolMissing_dropsQuietly() throws Exception {
        Files.delete(rig.spool);
        assertQuiet2(rig.run(utf8(HookRig.domainXml("x", HookRig.UUID, HookRig.MODEL_ELEMENT)), "vm1", "migrate", "begin", "-"));
        assertFalse(Files.exists(rig.spool));
    }

    private void assertQuiet2(Cmd.Result r) {
        assertEquals(0, r.exit(), r.toString());
        assertEquals(0, r.stdout().length, r.toString());
        assertTrue(r.millis() < 10 * LIMIT_MILLIS, r.toString());
    }

    @Test
    void spoolFull_dropsRatherThanWaits_andLogs() throws Exception {
        for (int i = 0; i < 1024; i++) {
            Files.writeString(rig.spool.resolve("1-" + i + ".ev"), "x\n");
        }
        for (int i = 0; i < 64; i++) {
            Files.writeString(rig.spool.resolve(String.format("0c3e2f4a-1111-2222-3333-%012d.model", i)), "x\n");
        }
        Cmd.Result r = rig.run(utf8(HookRig.domainXml("x", HookRig.UUID, HookRig.MODEL_ELEMENT)), "vm1", "migrate", "begin", "-");
        assertQuiet(r);
        assertTrue(r.millis() < LIMIT_MILLIS * 2, r.toString());
        assertEquals(1024 + 64 + 1, rig.spoolFiles().size(), "nothing added but the log");
        List<String> log = rig.logLines();
        assertEquals(2, log.size(), log.toString());
        assertTrue(log.get(0).contains("spool holds 64 models"), log.toString());
        assertTrue(log.get(1).contains("spool holds 1024 events"), log.toString());
    }

    @Test
    void ownLog_isBounded() throws Exception {
        Files.writeString(rig.spool.resolve("hook.log"), "x".repeat(70_000) + "\n");
        assertQuiet(rig.run(null, "bad;name", "start", "begin", "-"));
        assertEquals(70_001, Files.size(rig.spool.resolve("hook.log.1")));
        assertEquals(1, rig.logLines().size());
    }

    @Test
    void settingsFile_isParsedNotExecuted() throws Exception {
        String pwned = rig.dir.resolve("pwned").toString();
        Path other = Files.createDirectories(tmp.resolve("other spool"));
        rig.conf("# comment\n\nsyslog=no\n$(touch " + pwned + ")\nspool_dir=relative/path\nspool_dir=" + other + "\n");
        assertQuiet(rig.run(null, "vm1", "start", "begin", "-"));
        try (var s = Files.list(other)) {
            List<String> files = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(2, files.size(), files.toString());
            assertTrue(files.get(0).endsWith(".ev"), files.toString());
            assertEquals("hook.log", files.get(1));
        }
        assertTrue(Files.readString(other.resolve("hook.log")).contains("ignoring unknown lines"));
        assertFalse(Files.exists(Path.of(pwned)));
    }

    @Test
    void neverCallsLibvirt_neverEvals() throws Exception {
        String text = Files.readString(rig.hook);
        String code = text.lines().filter(l -> !l.strip().startsWith("#")).reduce("", (a, b) -> a + b + "\n");
        for (String forbidden : List.of("virsh", "eval ", "source ", ". \"$conf\"", "libvirt-", "nc ", "socat", "sleep")) {
            assertFalse(code.contains(forbidden), "the hook's code contains " + forbidden);
        }
        assertTrue(text.startsWith("#!/bin/sh\n"));
    }
}
