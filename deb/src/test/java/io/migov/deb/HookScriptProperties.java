// SPDX-License-Identifier: Apache-2.0
package io.migov.deb;

import io.migov.daemon.HookSpool;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The libvirt hook ({@code hooks/migov}) with any argv and any stdin, property-tested, and what it
 * leaves read by the daemon's own spool reader ({@link HookSpool}): the hook always exits 0 and
 * prints nothing, writes one file per call, only inside its spool — with the domain XML exactly as
 * it came at migrate begin, without it otherwise; the daemon takes every header line it wrote, and
 * refuses only a domain XML it cannot use (the hook does not look into the XML); an intact domain
 * XML's model reaches the daemon exactly.
 */
class HookScriptProperties {

    private Path tmp;
    private HookRig rig;
    private final Map<String, String> offered = new ConcurrentHashMap<>();

    @BeforeProperty
    void rig() throws IOException {
        tmp = Files.createTempDirectory("migov-hook");
        rig = HookRig.fromSource(tmp.resolve("rig"));
    }

    @AfterProperty
    void removeRig() throws IOException {
        try (Stream<Path> s = Files.walk(tmp)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static Arbitrary<String> arguments() {
        return Arbitraries.oneOf(
                Arbitraries.of("vm1", "migrate", "begin", "prepare", "start", "stopped", "release", "end", "-", "", " ", "$(id)", "`id`",
                        "a;b", "x y", "../../etc/passwd", "--", "-n", "%s%n", "\\", "é", "MIGRATE", "x".repeat(300), "*", "'", "\""),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(20),
                Arbitraries.strings().all().ofMaxLength(10).map(s -> s.replace('\0', 'x')));
    }

    @Provide
    Arbitrary<List<String>> argvs() {
        Arbitrary<List<String>> libvirtLike = Combinators.combine(arguments(), Arbitraries.of(HookRig.LIBVIRT_OPERATIONS))
                .as((name, op) -> List.of(name, op.get(0), op.get(1), "-"));
        return Arbitraries.oneOf(arguments().list().ofMaxSize(6), libvirtLike);
    }

    @Provide
    Arbitrary<byte[]> stdins() {
        byte[] v = VALID;
        Arbitrary<byte[]> cut = Arbitraries.integers().between(0, v.length).map(n -> java.util.Arrays.copyOf(v, n));
        Arbitrary<byte[]> flipped = Combinators.combine(Arbitraries.integers().between(0, v.length - 1), Arbitraries.bytes()).as((at, b) -> {
            byte[] c = v.clone();
            c[at] = b;
            return c;
        });
        return Arbitraries.oneOf(Arbitraries.just(v), cut, flipped, Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
                Arbitraries.just(new byte[0]));
    }

    @Property(tries = 150)
    void hook_anyArgvAnyStdin_exitsZeroQuietly_andTheDaemonAcceptsAllItWrote(@ForAll("argvs") List<String> argv,
                                                                             @ForAll("stdins") byte[] stdin) throws IOException {
        rig.clearSpool();
        offered.clear();
        Cmd.Result r = rig.run(stdin, argv.toArray(new String[0]));
        assertEquals(0, r.exit(), r.toString());
        assertEquals("", r.out(), "printed on stdout");
        assertEquals("", r.err(), "printed on stderr");
        try (Stream<Path> s = Files.list(rig.dir)) {
            assertEquals(List.of("hooks", "spool"), s.map(p -> p.getFileName().toString()).sorted().toList(), "outside its spool");
        }
        List<String> written = new ArrayList<>(rig.spoolFiles());
        written.remove("hook.log");
        assertEquals(1, written.size(), "one file per call: " + written);
        boolean migrateBegin = argv.size() >= 3 && argv.get(1).equals("migrate") && argv.get(2).equals("begin");
        HookRig.Event e = rig.events().get(0);
        if (migrateBegin) {
            assertArrayEquals(stdin, e.xml(), "the domain XML as it came");
        } else {
            assertNull(e.xml(), "a domain XML with " + argv);
        }

        HookSpool spool = new HookSpool(rig.spool, (uuid, json) -> offered.put(uuid, json) == null, System::currentTimeMillis);
        spool.drain();
        HookSpool.Stats st = spool.stats();
        assertEquals(1, st.events(), "the daemon did not take the hook's header line: " + written);
        assertTrue(st.models() + st.rejected() <= (migrateBegin ? 1 : 0), "only a domain XML may be refused: " + st);
        if (st.rejected() > 0) {
            assertTrue(offered.isEmpty(), "a refused model was handed over: " + offered);
        }
        assertTrue(offered.size() <= 1, "one domain XML, one model at most: " + offered); // a changed byte may make another valid UUID
        if (migrateBegin && java.util.Arrays.equals(stdin, VALID)) {
            assertEquals(Map.of(HookRig.UUID, MODEL_JSON), offered, "the model of an intact domain XML");
        }
        assertEquals(List.of(), rig.spoolFiles().stream().filter(n -> !n.equals("hook.log")).toList(), "the daemon deleted what it read");
    }

    private static final byte[] VALID = HookRig.domainXml("vm1", HookRig.UUID, HookRig.MODEL_ELEMENT).getBytes(StandardCharsets.UTF_8);
    private static final String MODEL_JSON = HookRig.MODEL_ELEMENT.replaceAll("^<[^>]*>|</migov:model>$", "");
}
