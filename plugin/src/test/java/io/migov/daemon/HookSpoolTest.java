package io.migov.daemon;

import io.migov.governor.ModelMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
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

    private static String hex(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            sb.append(String.format("%02x", b & 0xff));
        }
        return sb.toString();
    }

    @Test
    void event_valid_isCountedAndDeleted() throws Exception {
        Path d = dir();
        Files.writeString(d.resolve("1700000000000-42.ev"), "migov-hook 1 event 1700000000000 " + hex("vm 1;$(x)\n") + " migrate begin\n");
        Files.writeString(d.resolve("1700000000001-43.ev"), "migov-hook 1 event 1700000000001 - release end\n");
        HookSpool s = spool(d);
        s.drain();
        assertEquals(new HookSpool.Stats(2, 0, 0, 0), s.stats());
        assertEquals(List.of(), list(d));
    }

    @Test
    void event_malformed_isRejectedAndDeleted() throws Exception {
        Path d = dir();
        Files.writeString(d.resolve("1-1.ev"), "migov-hook 1 event 1 zz migrate begin\n");          // not hex
        Files.writeString(d.resolve("1-2.ev"), "migov-hook 1 event 1 61 MIGRATE begin\n");          // upper case op
        Files.writeString(d.resolve("1-3.ev"), "migov-hook 1 event 1 616 migrate begin\n");         // odd hex
        Files.writeString(d.resolve("1-4.ev"), "migov-hook 1 event 1 61 migrate begin\nextra\n");   // two lines
        Files.writeString(d.resolve("1-5.ev"), "x".repeat(HookSpool.MAX_EVENT_BYTES + 1));           // too big
        HookSpool s = spool(d);
        s.drain();
        assertEquals(new HookSpool.Stats(0, 0, 0, 5), s.stats());
        assertEquals(List.of(), list(d));
    }

    @Test
    void model_valid_isHandedOverAndDeleted() throws Exception {
        Path d = dir();
        Files.writeString(d.resolve(UUID + ".model"), "migov-hook 1 model 1700000000000 " + UUID + "\n"
                + ModelMetadata.toElement(MODEL) + "\n");
        HookSpool s = spool(d);
        s.drain();
        assertEquals(Map.of(UUID, MODEL), offered);
        assertEquals(new HookSpool.Stats(0, 1, 1, 0), s.stats());
        assertEquals(List.of(), list(d));
    }

    @Test
    void model_xmlEscapes_areUndone() throws Exception {
        Path d = dir();
        String json = "{\"a\":\"<&>\"}";
        Files.writeString(d.resolve(UUID + ".model"), "migov-hook 1 model 1 " + UUID + "\n" + ModelMetadata.toElement(json));
        spool(d).drain();
        assertEquals(json, offered.get(UUID));
    }

    @Test
    void model_invalid_isRejectedNotOffered() throws Exception {
        Path d = dir();
        String other = "0c3e2f4a-1111-2222-3333-444455550000";
        String foreign = "<x:model xmlns:x=\"https://example.org/other\" version=\"1\">{}</x:model>";
        String wrongVersion = "<migov:model xmlns:migov=\"https://migov.io/xmlns/model/1\" version=\"2\">{}</migov:model>";
        String entity = "<!DOCTYPE d [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<migov:model xmlns:migov=\"https://migov.io/xmlns/model/1\" version=\"1\">&e;</migov:model>";
        Files.writeString(d.resolve(UUID + ".model"), "migov-hook 1 model 1 " + other + "\n" + ModelMetadata.toElement(MODEL));
        Files.writeString(d.resolve("0c3e2f4a-1111-2222-3333-444455550001.model"),
                "migov-hook 1 model 1 0c3e2f4a-1111-2222-3333-444455550001\n" + foreign);
        Files.writeString(d.resolve("0c3e2f4a-1111-2222-3333-444455550002.model"),
                "migov-hook 1 model 1 0c3e2f4a-1111-2222-3333-444455550002\n" + wrongVersion);
        Files.writeString(d.resolve("0c3e2f4a-1111-2222-3333-444455550003.model"),
                "migov-hook 1 model 1 0c3e2f4a-1111-2222-3333-444455550003\n" + entity);
        Files.writeString(d.resolve("0c3e2f4a-1111-2222-3333-444455550004.model"), ModelMetadata.toElement(MODEL));
        Files.write(d.resolve("0c3e2f4a-1111-2222-3333-444455550005.model"), new byte[HookSpool.MAX_MODEL_BYTES + 1]);
        HookSpool s = spool(d);
        s.drain();
        assertEquals(Map.of(), offered);
        assertEquals(new HookSpool.Stats(0, 0, 0, 6), s.stats());
        assertEquals(List.of(), list(d));
    }

    @Test
    void model_notTaken_isCountedButNotAccepted() throws Exception {
        Path d = dir();
        Files.writeString(d.resolve(UUID + ".model"), "migov-hook 1 model 1 " + UUID + "\n" + ModelMetadata.toElement(MODEL));
        HookSpool s = new HookSpool(d, (u, j) -> false, now::get);
        s.drain();
        assertEquals(new HookSpool.Stats(0, 1, 0, 0), s.stats());
    }

    @Test
    void symlinksAndDirectories_areNeverFollowed() throws Exception {
        Path d = dir();
        Path secret = Files.writeString(tmp.resolve("secret"), "migov-hook 1 event 1 61 start begin\n");
        Files.createSymbolicLink(d.resolve("1-1.ev"), secret);
        Files.createDirectory(d.resolve("1-2.ev"));
        HookSpool s = spool(d);
        s.drain();
        assertEquals(0, s.stats().events());
        assertEquals(2, s.stats().rejected());
        assertTrue(Files.exists(secret), "the link's target is untouched");
        assertFalse(Files.exists(d.resolve("1-1.ev"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void tempFiles_areLeftUntilStale_otherFilesIgnored() throws Exception {
        Path d = dir();
        Path fresh = Files.writeString(d.resolve(".1-1.ev.tmp"), "partial");
        Path stale = Files.writeString(d.resolve(".1-2.model.tmp"), "partial");
        Files.setLastModifiedTime(stale, FileTime.fromMillis(now.get() - HookSpool.STALE_TEMP_MILLIS - 1000));
        Path log = Files.writeString(d.resolve("hook.log"), "x\n");
        spool(d).drain();
        assertTrue(Files.exists(fresh));
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(log));
    }

    @Test
    void started_picksUpAModelAsSoonAsItIsRenamedIn() throws Exception {
        Path d = dir();
        try (HookSpool s = spool(d).start()) {
            Thread.sleep(200);
            Path t = Files.writeString(d.resolve(".x.tmp"), "migov-hook 1 model 1 " + UUID + "\n" + ModelMetadata.toElement(MODEL));
            long t0 = System.nanoTime();
            Files.move(t, d.resolve(UUID + ".model"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            while (!offered.containsKey(UUID) && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5)) {
                Thread.sleep(10);
            }
            assertEquals(MODEL, offered.get(UUID));
            assertEquals(1, s.stats().modelsAccepted());
        }
    }

    /** The real hook script writes what the daemon reads: hostile name, model from the incoming XML. */
    @Test
    void realHook_migrateBegin_handsTheModelToTheDaemon() throws Exception {
        Path d = dir();
        Path hooks = Files.createDirectories(tmp.resolve("hooks/qemu.d"));
        Path hook = hooks.resolve("migov");
        Files.copy(Path.of("..", "hooks", "migov"), hook);
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(tmp.resolve("hooks/migov-hook.conf"), "spool_dir=" + d.toAbsolutePath() + "\nsyslog=no\n");
        String name = "vm \"1\" ;$(touch " + tmp.resolve("pwned") + ")\nx";
        String xml = "<domain type='kvm'>\n  <name>x</name>\n  <uuid>" + UUID.toUpperCase() + "</uuid>\n  <metadata>\n    "
                + ModelMetadata.toElement(MODEL) + "\n  </metadata>\n</domain>\n";
        Process p = new ProcessBuilder(hook.toString(), name, "migrate", "begin", "-").redirectErrorStream(true).start();
        p.getOutputStream().write(xml.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        assertEquals("", out.toString(StandardCharsets.UTF_8), "the hook prints nothing at migrate begin");
        assertFalse(Files.exists(tmp.resolve("pwned")));

        HookSpool s = spool(d);
        s.drain();
        assertEquals(Map.of(UUID, MODEL), offered);
        assertEquals(new HookSpool.Stats(1, 1, 1, 0), s.stats());
        assertEquals(List.of("hook.log"), list(d), "read and deleted; the hook's own log (the unusual name) stays");
        assertTrue(Files.readString(d.resolve("hook.log")).contains("domain name with unusual characters"));
    }

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
