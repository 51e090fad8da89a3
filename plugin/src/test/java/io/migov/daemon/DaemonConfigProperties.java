// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon;

import io.migov.testing.PackagedConfig;
import io.migov.testing.BadJson;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Bad configuration, property-tested: the packaged config (every key valid) mutated every way, a
 * single key set to any value, any command-line override, any bytes as a file. Always either a
 * valid config or one one-line {@link ConfigException} {@code config: <key>: <problem>, got <value>}
 * naming the key and the value; never another exception.
 */
class DaemonConfigProperties {

    private static final Path BASE = Path.of("/etc/migov");
    private static final Map<String, String> PACKAGED = PackagedConfig.entries();
    /** Keys whose errors may name another key of the group (a constraint between them). */
    private static final List<Set<String>> RELATED = List.of(
            Set.of("dirtyRateIntervalSeconds", "dirtyRateCalcSeconds"),
            Set.of("jmxRemote", "jmxBindAddress", "jmxRegistryPort", "jmxServerPort", "jmxPasswordFile", "jmxAccessFile",
                    "jmxAuthenticate", "jmxTls", "jmxKeyStore", "jmxKeyStorePasswordFile"),
            Set.of("stateSpace", "thresholds", "priorFile"),
            Set.of("policy", "kubevirtStallWindowSeconds"),
            Set.of("interferenceOnProbability", "interferenceOffProbability"),
            Set.of("storageMinBytesPerSecond", "storageMaxBytesPerSecond"));
    private static final Set<String> PATHS = Set.of("stateDir", "spoolDir", "priorFile", "jmxPasswordFile", "jmxAccessFile", "jmxKeyStore",
            "jmxKeyStorePasswordFile");


    private static DaemonConfig parse(String json) throws ConfigException {
        return DaemonConfig.parse(json, "test.json", BASE, DaemonConfig.Overrides.NONE);
    }

    @Provide
    Arbitrary<BadJson.Mutation> mutatedPackagedConfig() {
        return BadJson.mutations(PACKAGED, Arbitraries.of("tickMillis", "look_ahead", "LOOKAHEAD", "", "thresholds.cpu", "jmx", "\u0000"));
    }

    @Property(tries = 400)
    void parse_mutatedPackagedConfig_validOrOneLineErrorNamingTheKeyAndValue(@ForAll("mutatedPackagedConfig") BadJson.Mutation m) {
        String message;
        try {
            DaemonConfig c = parse(m.text());
            assertValid(c);
            return;
        } catch (ConfigException e) {
            message = e.getMessage();
        } catch (RuntimeException e) {
            throw new AssertionError("not a ConfigException for " + m + ": " + e, e);
        }
        assertOneLine(message, m);
        switch (m.kind()) {
            case "set", "duplicate", "unknown" -> assertNamesKeyAndValue(message, m);
            case "remove" -> fail("removing a key leaves its default, but got " + message + " for " + m);
            default -> {
                // the text itself is broken: a JSON error naming the source and where, or (garbage inside a key or a
                // value) the key as it now reads; one line either way (checked above)
            }
        }
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.of(DaemonConfig.keys());
    }

    @Property(tries = 400)
    void parse_oneKeyAnyValue_validOrErrorNamingTheKeyAndValue(@ForAll("keys") String key, @ForAll("values") String value) {
        BadJson.Mutation m = new BadJson.Mutation("set", key, value, "{" + BadJson.string(key) + ": " + value + "}");
        try {
            assertValid(parse(m.text()));
        } catch (ConfigException e) {
            assertOneLine(e.getMessage(), m);
            assertNamesKeyAndValue(e.getMessage(), m);
        } catch (RuntimeException e) {
            throw new AssertionError("not a ConfigException for " + m + ": " + e, e);
        }
    }

    @Provide
    Arbitrary<String> values() {
        return BadJson.values();
    }

    @Provide
    Arbitrary<String> overrideValues() {
        return BadJson.strings();
    }

    @Property(tries = 300)
    void load_anyOverride_validOrErrorNamingTheOptionAndValue(@ForAll("overrideValues") String value,
                                                             @ForAll("options") String option) {
        DaemonConfig.Overrides o = switch (option) {
            case "--connect" -> new DaemonConfig.Overrides(value, null, null);
            case "--state-dir" -> new DaemonConfig.Overrides(null, value, null);
            default -> new DaemonConfig.Overrides(null, null, value);
        };
        try {
            assertValid(DaemonConfig.load(null, o));
        } catch (ConfigException e) {
            String m = e.getMessage();
            assertTrue(m.startsWith("config: " + option + ": "), m);
            assertTrue(m.contains(", got '" + ConfigException.oneLine(value) + "'"), m);
            assertFalse(m.contains("\n"), m);
        } catch (RuntimeException e) {
            throw new AssertionError("not a ConfigException for " + option + " " + value + ": " + e, e);
        }
    }

    @Provide
    Arbitrary<String> options() {
        return Arbitraries.of("--connect", "--state-dir", "--mode");
    }

    @Property(tries = 200)
    void load_anyBytesAsTheFile_validOrConfigException(@ForAll("fileBytes") byte[] bytes) throws Exception {
        Path file = Files.createTempFile("migov-config", ".json");
        try {
            Files.write(file, bytes);
            try {
                assertValid(DaemonConfig.load(file, DaemonConfig.Overrides.NONE));
            } catch (ConfigException e) {
                assertTrue(e.getMessage().startsWith("config: "), e.getMessage());
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
            } catch (RuntimeException e) {
                throw new AssertionError("not a ConfigException: " + e, e);
            }
        } finally {
            Files.delete(file);
        }
    }

    @Provide
    Arbitrary<byte[]> fileBytes() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        byte[] valid = BadJson.render(PACKAGED, null, null, false).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Arbitrary<byte[]> flipped = Combinators.combine(Arbitraries.integers().between(0, valid.length - 1), Arbitraries.bytes())
                .as((at, b) -> {
                    byte[] copy = valid.clone();
                    copy[at] = b;
                    return copy;
                });
        return Arbitraries.oneOf(random, flipped, Arbitraries.just(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'}));
    }

    @Example
    void parse_stringValueWithALineBreak_errorStaysOneLineShowingItEscaped() {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> parse("{\"mode\": \"fast\\nmode: enforce\"}"));
        assertEquals("config: mode: expected one of enforce, advise, off, got 'fast\\nmode: enforce'", e.getMessage());
    }

    // ------------------------------------------------------------------------------------- checks

    private static void assertValid(DaemonConfig c) {
        assertTrue(c.stateDir().isAbsolute() && c.spoolDir().isAbsolute(), c.toString());
        assertEquals(c.discretiser().stateCount(), c.prior().stateCount());
        assertTrue(Double.isFinite(c.priorWeight()) && c.priorWeight() >= 0);
    }

    private static void assertOneLine(String message, BadJson.Mutation m) {
        assertTrue(message.startsWith("config: "), message);
        assertFalse(message.contains("\n") || message.contains("\r"), "not one line: " + message + " for " + m);
        assertTrue(message.contains(", got ") || message.startsWith("config: test.json: not valid JSON"), message + " for " + m);
    }

    /** The message names the mutated key (or one tied to it by a constraint) and, when it names that key, its value. */
    private static void assertNamesKeyAndValue(String message, BadJson.Mutation m) {
        String key = ConfigException.oneLine(m.key());
        if (m.kind().equals("duplicate") || (m.kind().equals("unknown") && key.isEmpty())) {
            assertTrue(message.startsWith("config: test.json: not valid JSON") && message.contains("Duplicate field")
                    || message.startsWith("config: " + key + ": "), message + " for " + m);
            return;
        }
        String named = message.substring("config: ".length(), message.indexOf(": ", "config: ".length()));
        String root = named.equals(key) ? key : named.replaceAll("[.\\[].*", "");
        boolean related = root.equals(key) || RELATED.stream().anyMatch(g -> g.contains(key) && g.contains(root));
        assertTrue(related, "names " + named + ", not " + key + ": " + message + " for " + m);
        if (!root.equals(key) || key.equals("thresholds") || !named.equals(key) || (PATHS.contains(key) && (message.contains("no such file") || message.contains("Is a directory")))) {
            return; // a value rendered from the whole scheme, one element of a list (peers[1]), or a path made absolute
        }
        com.fasterxml.jackson.databind.JsonNode n = BadJson.node(m.value());
        // control characters inside a value are escaped to keep the message on one line (jqwik found ["\u007f"])
        assertTrue(BadJson.shows(message, m.value()) || n.isTextual() && message.contains(ConfigException.oneLine(n.asText()))
                        || message.contains(ConfigException.oneLine(n.toString())),
                "does not show the value: " + message + " for " + m);
    }
}
