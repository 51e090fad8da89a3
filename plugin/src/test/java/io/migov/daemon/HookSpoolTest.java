// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HookSpoolTest {

    static final String UUID = "0c3e2f4a-1111-2222-3333-444455556666";
    static final String MODEL = "{\"format\":\"migov-markov\",\"version\":1,\"states\":81,\"previous\":72,\"samples\":3,\"rows\":[[72,72,2]]}";
    static final String MODEL_ELEMENT = "<migov:model xmlns:migov=\"https://migov.io/xmlns/model/1\" version=\"1\">" + MODEL + "</migov:model>";
    static final String HEADER = "migov-hook 2 1700000000000 766d31 migrate begin\n";

    @TempDir
    Path tmp;

    final Map<String, String> offered = new ConcurrentHashMap<>();
    final AtomicLong now = new AtomicLong(System.currentTimeMillis());

    private HookSpool spool(Path dir) {
        return new HookSpool(dir, (uuid, json) -> offered.put(uuid, json) == null, now::get);
    }

    private Path dir() throws IOException {
        return Files.createDirectories(tmp.resolve("spool"));
    }

    /** A domain XML as libvirt 9 hands it to the hook at migrate begin, with a model and two foreign metadata elements. */
    static byte[] libvirtXml() throws IOException {
        try (InputStream in = HookSpoolTest.class.getResourceAsStream("domain-migrate-begin.xml")) {
            return in.readAllBytes();
        }
    }

    static String libvirtXmlText() throws IOException {
        return new String(libvirtXml(), StandardCharsets.UTF_8);
    }

    /** A small domain XML; {@code metadata} goes into {@code <metadata>} (none when null). */
    static String domainXml(String uuid, String metadata) {
        return "<domain type='kvm'>\n  <name>vm1</name>\n  <uuid>" + uuid + "</uuid>\n"
                + (metadata == null ? "" : "  <metadata>\n    " + metadata + "\n  </metadata>\n") + "</domain>\n";
    }

    private static byte[] concat(String header, byte[] body) {
        byte[] h = header.getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, out, h.length, body.length);
        return out;
    }

    private static String hex(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            sb.append(String.format("%02x", b & 0xff));
        }
        return sb.toString();
    }

    /** Drains, and returns what the reader logged about the spool's files (slf4j-simple writes to stderr). */
    private static List<String> drainLogged(HookSpool s) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            s.drain();
        } finally {
            System.setErr(err);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("hook")).toList();
    }

    @Test
    void event_valid_isCountedAndDeleted() throws Exception {
        Path d = dir();
        Files.writeString(d.resolve("1700000000000-42.ev"), "migov-hook 2 1700000000000 " + hex("vm 1;$(x)\n") + " start begin\n");
        Files.writeString(d.resolve("1700000000001-43.ev"), "migov-hook 2 1700000000001 - release end\n");
        HookSpool s = spool(d);
        assertEquals(List.of(), drainLogged(s));
        assertEquals(new HookSpool.Stats(2, 0, 0, 0), s.stats());
        assertEquals(List.of(), list(d));
    }

    @Test
    void event_malformed_isRejectedWithALineNamingTheFile_andDeleted() throws Exception {
        Path d = dir();
        Files.writeString(d.resolve("1-1.ev"), "migov-hook 2 1 zz migrate begin\n");          // not hex
        Files.writeString(d.resolve("1-2.ev"), "migov-hook 2 1 61 MIGRATE begin\n");          // upper case op
        Files.writeString(d.resolve("1-3.ev"), "migov-hook 2 1 616 migrate begin\n");         // odd hex
        Files.writeString(d.resolve("1-4.ev"), "migov-hook 2 1 61 migrate begin\nextra\n");   // two lines
        Files.writeString(d.resolve("1-5.ev"), "x".repeat(HookSpool.MAX_EVENT_BYTES + 1));     // too big
        Files.writeString(d.resolve("1-6.ev"), "migov-hook 3 1 61 migrate begin\n");          // a format from the future
        HookSpool s = spool(d);
        List<String> log = drainLogged(s);
        assertEquals(new HookSpool.Stats(0, 0, 0, 6), s.stats());
        assertEquals(List.of(), list(d));
        for (int i = 1; i <= 6; i++) {
            String file = "1-" + i + ".ev";
            assertTrue(log.stream().anyMatch(l -> l.contains("hook spool: ignoring " + file + ": ")), file + ": " + log);
        }
    }

    @Test
    void domain_realLibvirtXmlWithAModel_handsTheModelOverAndIsDeleted() throws Exception {
        Path d = dir();
        Files.write(d.resolve("1700000000000-42.domain"), concat(HEADER, libvirtXml()));
        HookSpool s = spool(d);
        List<String> log = drainLogged(s);
        assertEquals(Map.of(UUID, MODEL), offered, "the upper-case <uuid> in lower case; &quot; undone");
        assertEquals(new HookSpool.Stats(1, 1, 1, 0), s.stats());
        assertEquals(List.of(), list(d));
        assertTrue(log.stream().anyMatch(l -> l.contains("hook: model for " + UUID + " handed over before the VM arrives")), log.toString());
    }

    @Test
    void domain_withoutAMigovModel_countsTheEventOnly_andLogsNothing() throws Exception {
        Path d = dir();
        String realWithout = libvirtXmlText().replaceAll("(?s)<migov:model .*</migov:model>", "");
        Files.write(d.resolve("1-1.domain"), concat(HEADER, realWithout.getBytes(StandardCharsets.UTF_8)));
        Files.writeString(d.resolve("1-2.domain"), HEADER + domainXml(UUID, null));
        Files.writeString(d.resolve("1-3.domain"), HEADER + domainXml(UUID, "<x:model xmlns:x='https://example.org/other' version='1'>{}</x:model>"));
        // the prefix says nothing: only the namespace makes an element migov's
        Files.writeString(d.resolve("1-4.domain"), HEADER + domainXml(UUID, "<migov:model xmlns:migov='https://example.org/other' version='1'>{}</migov:model>"));
        HookSpool s = spool(d);
        List<String> log = drainLogged(s);
        assertEquals(Map.of(), offered);
        assertEquals(new HookSpool.Stats(4, 0, 0, 0), s.stats());
        assertEquals(List.of(), log);
        assertEquals(List.of(), list(d));
    }

    @Test
    void domain_xmlEscapesAndCdata_areUndone() throws Exception {
        Path d = dir();
        String element = "<m:model xmlns:m='https://migov.io/xmlns/model/1' version='1'>{\"a\":\"&lt;&amp;&gt;\",<![CDATA[\"b\":\"]]>&#13;\"}</m:model>";
        Files.writeString(d.resolve("1-1.domain"), HEADER + domainXml(UUID, element));
        spool(d).drain();
        assertEquals("{\"a\":\"<&>\",\"b\":\"\r\"}", offered.get(UUID));
    }

    @Test
    void domain_invalid_isRejectedWithALineNamingTheFileAndWhy_andNothingIsOffered() throws Exception {
        Path d = dir();
        Path secret = Files.writeString(tmp.resolve("secret"), "TOP-SECRET\n");
        Map<String, String> cases = new LinkedHashMap<>(); // file content -> what the log line must say
        cases.put(HEADER + "<domain><uuid>" + UUID + "</uuid>", "not well-formed");
        cases.put(HEADER + "not xml at all\n", "not well-formed");
        cases.put(HEADER + "<vm><uuid>" + UUID + "</uuid></vm>", "expected the root element <domain>, got <vm>");
        cases.put(HEADER + domainXml(UUID, null).replace("<uuid>" + UUID + "</uuid>", ""), "uuid: no <uuid> in <domain>");
        cases.put(HEADER + domainXml("0c3e2f4a-1111-2222-3333", MODEL_ELEMENT), "uuid: expected 8-4-4-4-12 hex digits, got '0c3e2f4a-1111-2222-3333'");
        cases.put(HEADER + domainXml(UUID + "</uuid><uuid>" + UUID, MODEL_ELEMENT), "more than one <uuid>");
        cases.put(HEADER + domainXml(UUID, MODEL_ELEMENT.replace("version=\"1\"", "version=\"2\"")), "metadata.version: expected 1, got '2'");
        cases.put(HEADER + domainXml(UUID, MODEL_ELEMENT.replace("migov:model", "migov:other")),
                "metadata: expected element {https://migov.io/xmlns/model/1}model, got {https://migov.io/xmlns/model/1}other");
        cases.put(HEADER + domainXml(UUID, MODEL_ELEMENT + MODEL_ELEMENT), "metadata: 2 elements in https://migov.io/xmlns/model/1, expected one");
        cases.put(HEADER + "<migov:model version=\"1\">{}</migov:model>", "not well-formed"); // unbound prefix
        // XXE: an external entity in the model, in the uuid, a parameter entity, an external DTD, entity expansion
        cases.put(HEADER + "<!DOCTYPE domain [<!ENTITY e SYSTEM \"file://" + secret + "\">]>" + domainXml(UUID,
                MODEL_ELEMENT.replace(MODEL, "&e;")), "DOCTYPE is disallowed");
        cases.put(HEADER + "<!DOCTYPE domain [<!ENTITY e SYSTEM \"file://" + secret + "\">]>" + domainXml("&e;", MODEL_ELEMENT), "DOCTYPE is disallowed");
        cases.put(HEADER + "<!DOCTYPE domain [<!ENTITY % p SYSTEM \"file://" + secret + "\"> %p;]>" + domainXml(UUID, MODEL_ELEMENT), "DOCTYPE is disallowed");
        cases.put(HEADER + "<!DOCTYPE domain SYSTEM \"http://127.0.0.1:9/domain.dtd\">" + domainXml(UUID, MODEL_ELEMENT), "DOCTYPE is disallowed");
        cases.put(HEADER + "<!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>" + domainXml(UUID, MODEL_ELEMENT.replace(MODEL, "&c;")), "DOCTYPE is disallowed");
        cases.put(HEADER + "<domain>&undeclared;<uuid>" + UUID + "</uuid></domain>", "not well-formed");
        cases.put(HEADER, "no domain XML after the header line");
        cases.put("migov-hook 2 1 766d31 start begin\n" + domainXml(UUID, MODEL_ELEMENT), "a domain XML with 'start begin'");
        cases.put(domainXml(UUID, MODEL_ELEMENT), "no header line");
        cases.put("migov-hook 2 1 766d31 migrate begin" + domainXml(UUID, MODEL_ELEMENT), "no header line");
        int i = 0;
        for (String content : cases.keySet()) {
            Files.writeString(d.resolve("1-" + ++i + ".domain"), content);
        }
        HookSpool s = spool(d);
        List<String> log = drainLogged(s);
        assertEquals(Map.of(), offered);
        assertEquals(List.of(), list(d));
        i = 0;
        for (Map.Entry<String, String> c : cases.entrySet()) {
            String file = "1-" + ++i + ".domain";
            assertTrue(log.stream().anyMatch(l -> l.contains("hook spool: ignoring " + file + ": ") && l.contains(c.getValue())),
                    file + " (" + c.getKey().substring(0, Math.min(c.getKey().length(), 100)) + ") must be refused with '" + c.getValue()
                            + "':\n" + String.join("\n", log));
        }
        assertTrue(log.stream().noneMatch(l -> l.contains("TOP-SECRET")), "an external entity was read:\n" + String.join("\n", log));
        assertEquals(cases.size(), s.stats().rejected());
        assertEquals(0, s.stats().models());
    }

    @Test
    void domain_cutByTheHook_isRejectedNamingTheFile_butOneOfTheFullSizeIsRead() throws Exception {
        Path d = dir();
        // a libvirt XML padded (whitespace inside <domain>) to exactly the most the daemon reads ...
        String xml = libvirtXmlText();
        int pad = HookSpool.MAX_XML_BYTES - xml.getBytes(StandardCharsets.UTF_8).length;
        byte[] full = xml.replace("</domain>", " ".repeat(pad) + "</domain>").getBytes(StandardCharsets.UTF_8);
        assertEquals(HookSpool.MAX_XML_BYTES, full.length);
        Files.write(d.resolve("1-1.domain"), concat(HEADER, full));
        // ... and one byte longer, as the hook leaves a longer XML: its first MAX_XML_BYTES + 1 bytes
        byte[] longer = xml.replace("</domain>", " ".repeat(pad + 100) + "</domain>").getBytes(StandardCharsets.UTF_8);
        Files.write(d.resolve("1-2.domain"), concat(HEADER.replace("766d31", "766d32"), Arrays.copyOf(longer, HookSpool.MAX_XML_BYTES + 1)));
        HookSpool s = spool(d);
        List<String> log = drainLogged(s);
        assertEquals(Map.of(UUID, MODEL), offered);
        assertEquals(new HookSpool.Stats(2, 1, 1, 1), s.stats());
        assertTrue(log.stream().anyMatch(l -> l.contains("hook spool: ignoring 1-2.domain: domain XML cut by the hook: longer than "
                + HookSpool.MAX_XML_BYTES + " bytes")), log.toString());
        assertEquals(List.of(), list(d));
    }

    @Test
    void domain_truncatedAnywhere_isRejectedAsNotWellFormed_namingTheFile() throws Exception {
        Path d = dir();
        byte[] xml = libvirtXml();
        int[] cuts = {1, 10, 200, 700, xml.length / 2, xml.length - 20, xml.length - 2};
        for (int cut : cuts) {
            Files.write(d.resolve("2-" + cut + ".domain"), concat(HEADER, Arrays.copyOf(xml, cut)));
        }
        HookSpool s = spool(d);
        List<String> log = drainLogged(s);
        assertEquals(Map.of(), offered);
        assertEquals(new HookSpool.Stats(cuts.length, 0, 0, cuts.length), s.stats());
        for (int cut : cuts) {
            assertTrue(log.stream().anyMatch(l -> l.contains("hook spool: ignoring 2-" + cut + ".domain: domain XML: not well-formed (line ")),
                    cut + ": " + log);
        }
    }

    @Test
    void domain_fileLargerThanAnyTheHookWrites_isRejectedUnread() throws Exception {
        Path d = dir();
        Files.write(d.resolve("1-1.domain"), new byte[HookSpool.MAX_DOMAIN_FILE_BYTES + 1]);
        HookSpool s = spool(d);
        List<String> log = drainLogged(s);
        assertEquals(new HookSpool.Stats(0, 0, 0, 1), s.stats());
        assertTrue(log.stream().anyMatch(l -> l.contains("hook spool: ignoring 1-1.domain: " + (HookSpool.MAX_DOMAIN_FILE_BYTES + 1) + " bytes")), log.toString());
        assertEquals(List.of(), list(d));
    }

    /** What the previous hook (format 1) may leave in the spool across an upgrade: skipped with a line each, deleted. */
    @Test
    void oldFormatFiles_fromBeforeAnUpgrade_areSkippedWithALineNamingEach_andDeleted() throws Exception {
        Path d = dir();
        Files.writeString(d.resolve("1700000000000-42.ev"), "migov-hook 1 event 1700000000000 766d31 start begin\n");
        Files.writeString(d.resolve(UUID + ".model"), "migov-hook 1 model 1700000000000 " + UUID + "\n" + MODEL_ELEMENT + "\n");
        HookSpool s = spool(d);
        List<String> log = drainLogged(s);
        assertEquals(Map.of(), offered);
        assertEquals(new HookSpool.Stats(0, 0, 0, 2), s.stats());
        assertEquals(List.of(), list(d));
        for (String file : List.of("1700000000000-42.ev", UUID + ".model")) {
            assertTrue(log.stream().anyMatch(l -> l.contains("hook spool: skipping " + file + ": written by the hook of an earlier migov")),
                    file + ": " + log);
        }
    }

    @Test
    void model_notTaken_isCountedButNotAccepted() throws Exception {
        Path d = dir();
        Files.write(d.resolve("1-1.domain"), concat(HEADER, libvirtXml()));
        HookSpool s = new HookSpool(d, (u, j) -> false, now::get);
        s.drain();
        assertEquals(new HookSpool.Stats(1, 1, 0, 0), s.stats());
    }

    @Test
    void symlinksAndDirectories_areNeverFollowed() throws Exception {
        Path d = dir();
        Path secret = Files.writeString(tmp.resolve("secret"), "migov-hook 2 1 61 start begin\n");
        Files.createSymbolicLink(d.resolve("1-1.ev"), secret);
        Files.createDirectory(d.resolve("1-2.ev"));
        Files.createSymbolicLink(d.resolve("1-3.domain"), secret);
        HookSpool s = spool(d);
        s.drain();
        assertEquals(0, s.stats().events());
        assertEquals(3, s.stats().rejected());
        assertTrue(Files.exists(secret), "the link's target is untouched");
        assertFalse(Files.exists(d.resolve("1-1.ev"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(d.resolve("1-3.domain"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void tempFiles_areLeftUntilStale_otherFilesIgnored() throws Exception {
        Path d = dir();
        Path fresh = Files.writeString(d.resolve(".1-1.ev.tmp"), "partial");
        Path stale = Files.writeString(d.resolve(".1-2.domain.tmp"), "partial");
        Files.setLastModifiedTime(stale, FileTime.fromMillis(now.get() - HookSpool.STALE_TEMP_MILLIS - 1000));
        Path log = Files.writeString(d.resolve("hook.log"), "x\n");
        spool(d).drain();
        assertTrue(Files.exists(fresh));
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(log));
    }

    @Test
    void started_picksUpADomainXmlAsSoonAsItIsRenamedIn() throws Exception {
        Path d = dir();
        try (HookSpool s = spool(d).start()) {
            Thread.sleep(200);
            Path t = Files.write(d.resolve(".x.tmp"), concat(HEADER, libvirtXml()));
            long t0 = System.nanoTime();
            Files.move(t, d.resolve("1-1.domain"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            while (!offered.containsKey(UUID) && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5)) {
                Thread.sleep(10);
            }
            assertEquals(MODEL, offered.get(UUID));
            assertEquals(1, s.stats().modelsAccepted());
        }
    }

    // ------------------------------------------------------------ the real hook script writes what the daemon reads

    /** The hook, installed as libvirt sees it, its spool at {@code spool}; run by its #!/bin/sh as libvirt does. */
    private Path installHook(Path spool) throws IOException {
        Path hooks = Files.createDirectories(tmp.resolve("hooks/qemu.d"));
        Path hook = hooks.resolve("migov");
        Files.copy(Path.of("..", "hooks", "migov"), hook);
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(tmp.resolve("hooks/migov-hook.conf"), "spool_dir=" + spool.toAbsolutePath() + "\nsyslog=no\n");
        return hook;
    }

    private static String runHook(Path hook, byte[] stdin, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(hook.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Thread feed = new Thread(() -> {
            try (var in = p.getOutputStream()) {
                in.write(stdin);
            } catch (IOException e) {
                // the hook stops reading at its bound: a broken pipe is what libvirt sees then too
            }
        });
        feed.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        feed.join(10_000);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void realHook_migrateBegin_handsTheModelToTheDaemon() throws Exception {
        Path d = dir();
        Path hook = installHook(d);
        String name = "vm \"1\" ;$(touch " + tmp.resolve("pwned") + ")\nx";
        assertEquals("", runHook(hook, libvirtXml(), name, "migrate", "begin", "-"), "the hook prints nothing at migrate begin");
        assertFalse(Files.exists(tmp.resolve("pwned")));
        List<String> files = list(d);
        assertEquals(2, files.size(), files.toString());
        assertTrue(files.get(0).matches("\\d+-\\d+\\.domain"), files.toString());

        HookSpool s = spool(d);
        s.drain();
        assertEquals(Map.of(UUID, MODEL), offered);
        assertEquals(new HookSpool.Stats(1, 1, 1, 0), s.stats());
        assertEquals(List.of("hook.log"), list(d), "read and deleted; the hook's own log (the unusual name) stays");
        assertTrue(Files.readString(d.resolve("hook.log")).contains("domain name with unusual characters"));
    }

    @Test
    void realHook_everyOtherOperation_handsTheEventWithoutXml() throws Exception {
        Path d = dir();
        Path hook = installHook(d);
        for (String[] op : new String[][] {{"prepare", "begin"}, {"started", "begin"}, {"release", "end"}}) {
            assertEquals("", runHook(hook, libvirtXml(), "vm1", op[0], op[1], "-"));
        }
        List<String> files = list(d);
        assertEquals(3, files.size(), files.toString());
        assertTrue(files.stream().allMatch(f -> f.matches("\\d+-\\d+\\.ev")), files.toString());
        HookSpool s = spool(d);
        assertEquals(List.of(), drainLogged(s));
        assertEquals(new HookSpool.Stats(3, 0, 0, 0), s.stats());
        assertEquals(Map.of(), offered);
    }

    @Test
    void realHook_xmlLongerThanItsBound_isHandedOverCut_andTheDaemonRefusesItNamingTheFile() throws Exception {
        Path d = dir();
        Path hook = installHook(d);
        String xml = libvirtXmlText();
        byte[] huge = xml.replace("</domain>", "<!--" + "x".repeat(3 << 20) + "--></domain>").getBytes(StandardCharsets.UTF_8);
        assertEquals("", runHook(hook, huge, "vm1", "migrate", "begin", "-"));
        List<String> files = list(d);
        assertEquals(1, files.size(), files.toString());
        String file = files.get(0);
        assertTrue(file.endsWith(".domain"), file);
        byte[] written = Files.readAllBytes(d.resolve(file));
        int headerBytes = new String(written, StandardCharsets.US_ASCII).indexOf('\n') + 1;
        assertEquals(headerBytes + HookSpool.MAX_XML_BYTES + 1, written.length, "the hook copies one byte more than the daemon reads");
        assertEquals(xml.substring(0, 200), new String(written, headerBytes, 200, StandardCharsets.UTF_8), "as it came");

        HookSpool s = spool(d);
        List<String> log = drainLogged(s);
        assertEquals(Map.of(), offered);
        assertEquals(new HookSpool.Stats(1, 0, 0, 1), s.stats());
        assertTrue(log.stream().anyMatch(l -> l.contains("hook spool: ignoring " + file + ": domain XML cut by the hook")), log.toString());
        assertEquals(List.of(), list(d));
    }

    // ------------------------------------------------------------ the directory and its setting

    @Test
    void prepare_createsTheDirectory0750_andRejectsAFile() throws Exception {
        Path d = tmp.resolve("a/b/spool");
        HookSpool.prepare(d);
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(d)));
        Path f = Files.writeString(tmp.resolve("file"), "");
        String m = assertThrows(ConfigException.class, () -> HookSpool.prepare(f)).getMessage();
        assertEquals("config: spoolDir: not a directory, got " + f, m);
    }

    @Test
    void config_spoolDir_defaultsUnderTheStateDir_andCanBeSet() throws Exception {
        DaemonConfig c = DaemonConfig.defaults(DaemonConfig.Overrides.NONE);
        assertEquals(Path.of("/var/lib/migov/spool"), c.spoolDir());
        c = DaemonConfig.defaults(new DaemonConfig.Overrides(null, "/srv/m", null));
        assertEquals(Path.of("/srv/m/spool"), c.spoolDir());
        c = DaemonConfig.parse("{\"stateDir\": \"/srv/m\", \"spoolDir\": \"/run/x/../spool\"}", "t", null, DaemonConfig.Overrides.NONE);
        assertEquals(Path.of("/run/spool"), c.spoolDir());
        String m = assertThrows(ConfigException.class,
                () -> DaemonConfig.parse("{\"spoolDir\": 3}", "t", null, DaemonConfig.Overrides.NONE)).getMessage();
        assertEquals("config: spoolDir: expected a string, got 3", m);
        assertEquals(Path.of("/var/lib/migov/spool"),
                DaemonConfig.load(Path.of("..", "packaging", "migov.json"), DaemonConfig.Overrides.NONE).spoolDir());
    }

    private static List<String> list(Path d) throws IOException {
        try (var s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
