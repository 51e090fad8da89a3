package io.migov.daemon;

import io.migov.governor.ModelMetadata;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the libvirt hook leaves in the spool (written by a root hook, but from domain XML another
 * host sent), property-tested: any bytes in an event or model file are read once, counted as handled
 * or rejected, and deleted; a model reaches the governor only when the header, the file name and the
 * element agree, and then exactly as the element carried it; other names are left alone; the reader
 * never throws.
 */
class HookSpoolProperties {

    private static final String UUID = HookSpoolTest.UUID;
    private static final String EVENT = "migov-hook 1 event 1700000000000 766d2d31 migrate begin\n";
    private static final String MODEL_FILE = "migov-hook 1 model 1700000000000 " + UUID + "\n" + ModelMetadata.toElement(HookSpoolTest.MODEL)
            + "\n";

    private final Map<String, String> offered = new ConcurrentHashMap<>();

    private HookSpool spool(Path dir) {
        return new HookSpool(dir, (uuid, json) -> offered.put(uuid, json) == null, System::currentTimeMillis);
    }

    /** Valid content mutated: a byte changed, bytes inserted, cut short; or random bytes. */
    private static Arbitrary<byte[]> mutated(String valid) {
        byte[] v = valid.getBytes(StandardCharsets.UTF_8);
        Arbitrary<byte[]> flip = Combinators.combine(Arbitraries.integers().between(0, v.length - 1), Arbitraries.bytes()).as((at, b) -> {
            byte[] c = v.clone();
            c[at] = b;
            return c;
        });
        Arbitrary<byte[]> insert = Combinators.combine(Arbitraries.integers().between(0, v.length),
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(8)).as((at, g) -> {
            byte[] c = new byte[v.length + g.length];
            System.arraycopy(v, 0, c, 0, at);
            System.arraycopy(g, 0, c, at, g.length);
            System.arraycopy(v, at, c, at + g.length, v.length - at);
            return c;
        });
        Arbitrary<byte[]> cut = Arbitraries.integers().between(0, v.length - 1).map(n -> java.util.Arrays.copyOf(v, n));
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        return Arbitraries.oneOf(flip, insert, cut, random, Arbitraries.just(v));
    }

    @Provide
    Arbitrary<byte[]> events() {
        return mutated(EVENT);
    }

    @Provide
    Arbitrary<byte[]> models() {
        return mutated(MODEL_FILE);
    }

    @Property(tries = 300)
    void drain_anyEventFile_countedOnceAsEventOrRejectedAndDeleted(@ForAll("events") byte[] content) throws IOException {
        offered.clear(); // one instance serves every try of a property
        Path dir = Files.createTempDirectory("migov-spool");
        try {
            Files.write(dir.resolve("1700000000000-42.ev"), content);
            HookSpool s = spool(dir);
            s.drain();
            HookSpool.Stats st = s.stats();
            assertEquals(1, st.events() + st.rejected(), st.toString());
            assertEquals(0, st.models());
            assertEquals(List.of(), names(dir), "deleted");
            assertTrue(offered.isEmpty());
            if (new String(content, StandardCharsets.ISO_8859_1).equals(EVENT)) {
                assertEquals(1, st.events());
            }
        } finally {
            delete(dir);
        }
    }

    @Property(tries = 300)
    void drain_anyModelFile_handedOverOnlyWhenWholeAndExactlyAsCarried(@ForAll("models") byte[] content) throws IOException {
        offered.clear(); // one instance serves every try of a property
        Path dir = Files.createTempDirectory("migov-spool");
        try {
            Files.write(dir.resolve(UUID + ".model"), content);
            HookSpool s = spool(dir);
            s.drain();
            HookSpool.Stats st = s.stats();
            assertEquals(1, st.models() + st.rejected(), st.toString());
            assertEquals(List.of(), names(dir), "deleted");
            if (st.rejected() == 1) {
                assertTrue(offered.isEmpty(), "a rejected file handed over " + offered);
            } else {
                assertEquals(List.of(UUID), List.copyOf(offered.keySet()));
                String text = new String(content, StandardCharsets.UTF_8);
                assertEquals(ModelMetadata.fromElement(text.substring(text.indexOf('\n') + 1).strip()), offered.get(UUID));
            }
            if (new String(content, StandardCharsets.UTF_8).equals(MODEL_FILE)) {
                assertEquals(Map.of(UUID, HookSpoolTest.MODEL), offered);
            }
        } finally {
            delete(dir);
        }
    }

    @Provide
    Arbitrary<String> otherNames() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(30),
                Arbitraries.strings().all().ofMinLength(1).ofMaxLength(10),
                Arbitraries.of("1-1.ev.bak", "x.ev", "1-1.EV", "-1.ev", "1-.ev", UUID.toUpperCase() + ".model", UUID + ".model~",
                        "12345678901234567890-1.ev", ".model", "spool", "..ev"))
                .filter(n -> !n.equals(".") && !n.equals("..") && n.indexOf('/') < 0 && n.indexOf('\0') < 0
                        && !n.matches("\\d{1,19}-\\d{1,10}\\.ev|[0-9a-f-]{36}\\.model|\\..*\\.tmp"));
    }

    @Property(tries = 200)
    void drain_filesWithOtherNames_leftAloneAndNothingCounted(@ForAll("otherNames") String name, @ForAll("events") byte[] content)
            throws IOException {
        offered.clear(); // one instance serves every try of a property
        Path dir = Files.createTempDirectory("migov-spool");
        try {
            Path f;
            try {
                f = Files.write(dir.resolve(name), content);
            } catch (java.nio.file.InvalidPathException | IOException e) {
                return; // a name this file system cannot hold
            }
            HookSpool s = spool(dir);
            s.drain();
            assertEquals(new HookSpool.Stats(0, 0, 0, 0), s.stats());
            assertTrue(Files.exists(f), name + " was touched");
        } finally {
            delete(dir);
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static void delete(Path dir) throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.forEach(all::add);
        }
        java.util.Collections.reverse(all);
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }
}
