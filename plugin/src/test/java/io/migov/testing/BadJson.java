// SPDX-License-Identifier: Apache-2.0
package io.migov.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Generators of bad JSON for the property tests: raw JSON values of every kind and size (wrong
 * types, out-of-range and huge numbers, values that overflow a double, odd strings) and mutations of
 * a valid document (a key set to such a value, removed, duplicated, an unknown key, the text cut
 * short or with garbage in it).
 */
public final class BadJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BadJson() {
    }

    /** A JSON string literal for {@code s} (escaped as JSON requires). */
    public static String string(String s) {
        return new TextNode(s).toString();
    }

    /** The parsed value of a raw JSON value (Jackson's defaults: 1e400 becomes Infinity). */
    public static JsonNode node(String rawJson) {
        try {
            return JSON.readTree(rawJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(rawJson, e);
        }
    }

    public static Arbitrary<String> strings() {
        return Arbitraries.oneOf(
                Arbitraries.of("", " ", "NaN", "Infinity", "-1", "5", "0x10", "true", "null", "{}", "[1]", "../..", "\u0000", "a\nb",
                        "qemu:///system", "enforce", " ADVISE ", "hybrid(0)", "hybrid(99999)", "usage+write", "é", "\uD83D\uDE00", "\uD800"),
                Arbitraries.strings().all().ofMaxLength(12),
                Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(40),
                Arbitraries.strings().withChars('a', '9', '/', '.').ofMinLength(2000).ofMaxLength(5000));
    }

    /** Raw JSON text of any scalar: integers around every edge, floats, huge and tiny numbers, strings, booleans, null. */
    public static Arbitrary<String> scalars() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(-3, 3).map(String::valueOf),
                Arbitraries.of("0", "-0", "1", "-1", "2147483647", "2147483648", "-2147483648", "-2147483649", "9223372036854775807",
                        "9223372036854775808", "-9223372036854775809", "123456789012345678901234567890", "1000", "1001", "86400", "86401",
                        "65535", "65536", "512", "4096", "1023"),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.of("0.5", "-1.5", "1.0", "5.0", "100.0", "99.99", "1e400", "-1e400", "1e-400", "1E3", "0.0000001", "1.7976931348623157E308",
                        "4.9E-324"),
                Arbitraries.doubles().map(String::valueOf).filter(s -> !s.contains("N") && !s.contains("I")),
                strings().map(BadJson::string),
                Arbitraries.of("true", "false", "null"));
    }

    /** Raw JSON text of any value, scalars and (shallow) containers. */
    public static Arbitrary<String> values() {
        Arbitrary<String> scalars = scalars();
        Arbitrary<String> arrays = scalars.list().ofMaxSize(4).map(l -> "[" + String.join(", ", l) + "]");
        Arbitrary<String> objects = Combinators.combine(Arbitraries.of("a", "cpu", "mem", "write", "net_in", "net_out", "disk", ""),
                        Arbitraries.oneOf(scalars, arrays))
                .as((k, v) -> "{" + string(k) + ": " + v + "}");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, scalars),
                net.jqwik.api.Tuple.of(2, arrays),
                net.jqwik.api.Tuple.of(1, objects),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("[[1, 2], [3]]", "[[]]", "[null]", "{\"a\": {\"b\": [1]}}", "[" + "[".repeat(40)
                        + "]".repeat(40) + "]")));
    }

    /** What was done to a valid document: {@code key} is the key it touched, null when it touched the text as a whole. */
    public record Mutation(String kind, String key, String value, String text) {
        @Override
        public String toString() {
            return kind + (key == null ? "" : " " + key) + (value == null ? "" : " = " + abbreviate(value)) + " → " + abbreviate(text);
        }

        private static String abbreviate(String s) {
            return s.length() <= 300 ? s : s.substring(0, 300) + "…(" + s.length() + " chars)";
        }
    }

    /** One mutation of the object {@code entries} (key → raw JSON value, in order), as the document text. */
    public static Arbitrary<Mutation> mutations(Map<String, String> entries, Arbitrary<String> unknownKeys) {
        List<String> keys = List.copyOf(entries.keySet());
        Arbitrary<String> key = Arbitraries.of(keys);
        String valid = render(entries, null, null, false);
        Arbitrary<Mutation> set = Combinators.combine(key, values()).as((k, v) -> new Mutation("set", k, v, render(entries, k, v, false)));
        Arbitrary<Mutation> remove = key.map(k -> new Mutation("remove", k, null, render(entries, k, null, false)));
        Arbitrary<Mutation> duplicate = Combinators.combine(key, values())
                .as((k, v) -> new Mutation("duplicate", k, v, render(entries, k, v, true)));
        Arbitrary<Mutation> unknown = Combinators.combine(unknownKeys, values()).as((k, v) -> {
            Map<String, String> more = new java.util.LinkedHashMap<>(entries);
            more.put(k, v);
            return new Mutation("unknown", k, v, render(more, null, null, false));
        });
        Arbitrary<Mutation> truncate = Arbitraries.integers().between(0, valid.length() - 1)
                .map(n -> new Mutation("truncate", null, null, valid.substring(0, n)));
        Arbitrary<Mutation> garbage = Combinators.combine(Arbitraries.integers().between(0, valid.length()),
                        Arbitraries.strings().all().ofMinLength(1).ofMaxLength(8))
                .as((at, g) -> new Mutation("garbage", null, g, valid.substring(0, at) + g + valid.substring(at)));
        Arbitrary<Mutation> noise = Arbitraries.strings().all().ofMaxLength(200).map(g -> new Mutation("noise", null, null, g));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, set), net.jqwik.api.Tuple.of(1, remove),
                net.jqwik.api.Tuple.of(1, duplicate), net.jqwik.api.Tuple.of(1, unknown), net.jqwik.api.Tuple.of(1, truncate),
                net.jqwik.api.Tuple.of(1, garbage), net.jqwik.api.Tuple.of(1, noise));
    }

    /**
     * The object with {@code key} set to {@code value} (removed when value is null); with
     * {@code duplicate} the key keeps its value and appears a second time with {@code value}.
     */
    public static String render(Map<String, String> entries, String key, String value, boolean duplicate) {
        List<String> parts = new ArrayList<>();
        boolean seen = false;
        for (Map.Entry<String, String> e : entries.entrySet()) {
            if (e.getKey().equals(key) && !duplicate) {
                seen = true;
                if (value != null) {
                    parts.add(string(key) + ": " + value);
                }
            } else {
                parts.add(string(e.getKey()) + ": " + e.getValue());
            }
        }
        if (key != null && (duplicate || !seen) && value != null) {
            parts.add(string(key) + ": " + value);
        }
        return "{" + String.join(",\n ", parts) + "}";
    }

    /**
     * Whether {@code message} shows the value {@code rawJson} in one of the ways a message renders
     * it: the JSON text, the string itself (quoted or not), the number as a Java long or double.
     */
    public static boolean shows(String message, String rawJson) {
        if (message.contains(rawJson)) {
            return true;
        }
        JsonNode n;
        try {
            n = node(rawJson);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (n.isTextual()) {
            return message.contains(n.asText());
        }
        if (n.isNumber()) {
            return message.contains(Double.toString(n.asDouble())) || (n.canConvertToLong() && message.contains(Long.toString(n.asLong())))
                    || message.contains(n.toString())
                    || (Double.isFinite(n.asDouble()) && message.contains(n.decimalValue().toPlainString()));
        }
        return message.contains(n.toString());
    }
}
