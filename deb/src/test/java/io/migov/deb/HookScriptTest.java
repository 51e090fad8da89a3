// SPDX-License-Identifier: Apache-2.0
package io.migov.deb;

import io.migov.daemon.HookSpool;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
 * The libvirt hook ({@code hooks/migov}) as libvirt runs it: every operation, the domain XML
 * handed over at migrate begin, and fuzzing — hostile domain names, garbage and huge stdin, bad
 * arguments, a full, missing or read-only spool. Always: exit 0, nothing on stdout (libvirt would
 * take it as replacement XML at migrate begin), nothing executed, within 100 ms; failures leave one
 * log line. Whether the daemon can use what it handed over is HookSpoolTest's part.
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
    void everyLibvirtOperation_exitsZeroQuietlyWithinTheLimit_andHandsOneFileEach() throws Exception {
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
            if (e.op().equals("migrate")) {
                assertTrue(e.file().endsWith(".domain"), e.file());
                assertArrayEquals(xml, e.xml(), "the domain XML as it came");
            } else {
                assertTrue(e.file().endsWith(".ev"), e.file());
            }
        }
        assertEquals(5, rig.domains().size());
        assertEquals(List.of(), rig.logLines());
    }

    @Test
    void migrateBegin_handsTheWholeXmlOverAsItCame_inOneFileWithTheArguments_andPrintsNothing() throws Exception {
        byte[] xml = utf8(HookRig.domainXml("vm1", HookRig.UUID.toUpperCase(), HookRig.MODEL_ELEMENT));
        assertQuiet(rig.run(xml, "vm1", "migrate", "begin", "-"));
        List<String> files = rig.spoolFiles();
        assertEquals(1, files.size(), files.toString());
        assertTrue(files.get(0).matches("\\d{13}-\\d+\\.domain"), files.toString());
        String text = Files.readString(rig.spool.resolve(files.get(0)));
        assertTrue(text.matches("(?s)migov-hook 2 \\d{13} 766d31 migrate begin\n<domain .*"), text);
        assertArrayEquals(xml, rig.events().get(0).xml());
        assertEquals(List.of(), rig.logLines());
        // a second hand-over for the same VM is a second file: the daemon reads them oldest first
        assertQuiet(rig.run(xml, "vm1", "migrate", "begin", "-"));
        assertEquals(2, rig.domains().size());
    }

    @Test
    void migrateBegin_anyBytes_areCopiedExactly_theHookReadsNothingOutOfThem() throws Exception {
        byte[] random = new byte[300_000];
        new Random(7).nextBytes(random);
        List<byte[]> inputs = List.of(
                random,                                                                        // NULs, non-UTF-8, no newline at the end
                utf8(HookRig.domainXml("vm1", HookRig.UUID, "<nova:instance xmlns:nova='x'/>")), // a VM without a migov model
                utf8("<domain>\r\n<uuid>$(touch " + rig.dir.resolve("pwned") + ")</uuid>\r\n</domain>"),
                new byte[0]);
        for (byte[] in : inputs) {
            rig.clearSpool();
            assertQuiet(rig.run(in, "vm1", "migrate", "begin", "-"));
            List<HookRig.Event> ev = rig.events();
            assertEquals(1, ev.size());
            assertArrayEquals(in, ev.get(0).xml());
            assertEquals(List.of(), rig.logLines(), "the hook judges no XML: the daemon does");
        }
    }

    @Test
    void migrateBegin_xmlLongerThanTheBound_isCutOneByteOver_andTheHookStopsReading() throws Exception {
        byte[] in = new byte[HookSpool.MAX_XML_BYTES + 5000];
        Arrays.fill(in, (byte) 'x');
        assertQuiet(rig.run(in, "vm1", "migrate", "begin", "-"));
        byte[] xml = rig.events().get(0).xml();
        assertEquals(HookSpool.MAX_XML_BYTES + 1, xml.length, "one byte more than the daemon reads: the daemon sees it was cut");
        rig.clearSpool();
        // far more than the hook reads: it stops reading, exits 0 at once, and the writer gets EPIPE (the bound is
        // that of a missing spool: the hook writes the 2.25 MiB it keeps, on a machine that may be busy)
        Cmd.Result r = rig.run(new byte[64 << 20], "vm1", "migrate", "begin", "-");
        assertQuiet(r);
        assertTrue(r.millis() < 10 * LIMIT_MILLIS, "64 MiB on stdin took " + r.millis() + " ms");
        assertEquals(HookSpool.MAX_XML_BYTES + 1, rig.events().get(0).xml().length);
    }

    @Test
    void otherOperations_neverReadStdin() throws Exception {
        Cmd.Result r = rig.run(new byte[64 << 20], "vm1", "started", "begin", "-");
        assertQuiet(r);
        assertTrue(r.millis() < 5 * LIMIT_MILLIS, r.toString());
        assertEquals(null, rig.events().get(0).xml());
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

    /** Not writable for the hook's user: as libvirt's root cannot be denied here, the hook runs as nobody then. */
    @Test
    void spoolReadOnly_dropsQuietly_exitZero() throws Exception {
        Files.setPosixFilePermissions(rig.spool, PosixFilePermissions.fromString("r-xr-xr-x"));
        List<String> as = List.of();
        if (Cmd.isRoot()) {
            for (Path p = rig.spool; p != null; p = p.getParent()) { // nobody must reach the hook, its settings and the spool
                if (p.startsWith(tmp) && !p.equals(rig.spool)) {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
            Files.setPosixFilePermissions(rig.dir.resolve("hooks"), PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(rig.dir.resolve("hooks/qemu.d"), PosixFilePermissions.fromString("rwxr-xr-x"));
            as = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
        }
        byte[] xml = utf8(HookRig.domainXml("x", HookRig.UUID, HookRig.MODEL_ELEMENT));
        for (String[] op : new String[][] {{"migrate", "begin"}, {"start", "begin"}}) {
            List<String> cmd = new ArrayList<>(as);
            cmd.addAll(List.of(rig.hook.toString(), "vm1", op[0], op[1], "-"));
            Cmd.Result r = Cmd.run(java.time.Duration.ofSeconds(30), cmd, xml, rig.dir, java.util.Map.of());
            assertQuiet2(r);
            assertEquals(0, r.stderr().length, r.toString());
        }
        assertEquals(List.of(), rig.spoolFiles(), "nothing written, not even the log");
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
            Files.writeString(rig.spool.resolve("2-" + i + ".domain"), "x\n");
        }
        Cmd.Result r = rig.run(utf8(HookRig.domainXml("x", HookRig.UUID, HookRig.MODEL_ELEMENT)), "vm1", "migrate", "begin", "-");
        assertQuiet(r);
        assertTrue(r.millis() < LIMIT_MILLIS * 2, r.toString());
        assertEquals(1024 + 64 + 1, rig.spoolFiles().size(), "nothing added but the log");
        List<String> log = rig.logLines();
        assertEquals(2, log.size(), log.toString());
        assertTrue(log.get(0).contains("spool holds 64 .domain files (daemon down?); dropped: .domain of migrate begin"), log.toString());
        assertTrue(log.get(1).contains("spool holds 1024 .ev files (daemon down?); dropped: .ev of migrate begin"), log.toString());
    }

    @Test
    void spoolFullOfDomainXmls_migrateBeginStillHandsTheOperationOver_withoutItsXml() throws Exception {
        for (int i = 0; i < 64; i++) {
            Files.writeString(rig.spool.resolve("2-" + i + ".domain"), "x\n");
        }
        assertQuiet(rig.run(utf8(HookRig.domainXml("x", HookRig.UUID, HookRig.MODEL_ELEMENT)), "vm1", "migrate", "begin", "-"));
        List<String> ev = rig.spoolFiles().stream().filter(n -> n.endsWith(".ev")).toList();
        assertEquals(1, ev.size(), rig.spoolFiles().toString());
        assertEquals(64, rig.domains().size());
        assertEquals(1, rig.logLines().size(), rig.logLines().toString());
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
        // the daemon parses the domain XML; the hook only copies it
        for (String tool : List.of("awk", "sed", "grep", "xmllint", "xmlstarlet")) {
            assertFalse(java.util.regex.Pattern.compile("(?m)(^|[\\s|;&(`])" + tool + "\\b").matcher(code).find(), "the hook's code runs " + tool);
        }
        assertTrue(text.startsWith("#!/bin/sh\n"));
    }
}
