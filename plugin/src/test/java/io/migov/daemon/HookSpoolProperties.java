// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon;

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
 * host sent), property-tested: any bytes in an event or domain file are read once, counted as
 * handled or rejected, and deleted; a model reaches the governor only from a migrate-begin header
 * and a whole domain XML, and then exactly as its element carried it (never from a cut one); other
 * names are left alone; the reader never throws.
 */
class HookSpoolProperties {

    private static final String UUID = HookSpoolTest.UUID;
    private static final String EVENT = "migov-hook 2 1700000000000 766d2d31 start begin\n";
    private static final String DOMAIN_FILE = HookSpoolTest.HEADER + HookSpoolTest.domainXml(UUID, HookSpoolTest.MODEL_ELEMENT);

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
    Arbitrary<byte[]> domains() {
        return mutated(DOMAIN_FILE);
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
    void drain_anyDomainFile_handedOverOnlyWhenWholeAndExactlyAsCarried(@ForAll("domains") byte[] content) throws IOException {
        offered.clear(); // one instance serves every try of a property
        Path dir = Files.createTempDirectory("migov-spool");
        try {
            Files.write(dir.resolve("1700000000000-42.domain"), content);
            HookSpool s = spool(dir);
            s.drain();
            HookSpool.Stats st = s.stats();
            assertTrue(st.events() <= 1 && st.models() + st.rejected() <= 1, st.toString());
            assertTrue(st.events() + st.rejected() >= 1, "neither read nor refused: " + st);
            assertEquals(List.of(), names(dir), "deleted");
            String text = new String(content, StandardCharsets.UTF_8);
            if (st.models() == 0) {
                assertTrue(offered.isEmpty(), "handed over without being counted: " + offered);
            } else {
                int body = 0;
                while (content[body++] != '\n') {
                    // to the end of the header line
                }
                DomainXml xml = DomainXml.parse(content, body, content.length - body); // a changed byte may still make a valid UUID
                assertEquals(Map.of(xml.uuid(), xml.modelJson().orElseThrow()), offered);
            }
            if (DOMAIN_FILE.startsWith(text) && text.length() < DOMAIN_FILE.indexOf("</domain>") + "</domain>".length()) {
                assertEquals(Map.of(), offered, "a cut domain XML was read");
            }
            if (text.equals(DOMAIN_FILE)) {
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
                        "12345678901234567890-1.ev", ".model", "spool", "..ev", "1-1.domain~", "1-1.xml", "x.domain"))
                .filter(n -> !n.equals(".") && !n.equals("..") && n.indexOf('/') < 0 && n.indexOf('\0') < 0
                        && !n.matches("\\d{1,19}-\\d{1,10}\\.(ev|domain)|[0-9a-f-]{36}\\.model|\\..*\\.tmp"));
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
