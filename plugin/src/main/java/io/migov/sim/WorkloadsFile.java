// SPDX-License-Identifier: Apache-2.0
package io.migov.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads workload models ({@code migov simulate --workloads FILE}): a JSON list of
 * {@code {"name", "memoryMiB", "phases": [{"fromSeconds", "dirtyPagesPerSecond", "workingSetMiB",
 * "readPagesPerSecond", "cpuPercent", "netInPercent", "netOutPercent"}, …]}}. {@code fromSeconds}
 * is required, the other phase fields default to 0. Every error is an
 * {@link IllegalArgumentException} naming the file, the field (as a JSON path) and the value.
 */
public final class WorkloadsFile {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final List<String> WORKLOAD_FIELDS = List.of("name", "memoryMiB", "phases");
    private static final List<String> PHASE_FIELDS = List.of("fromSeconds", "dirtyPagesPerSecond", "workingSetMiB", "readPagesPerSecond",
            "cpuPercent", "netInPercent", "netOutPercent");

    private WorkloadsFile() {
    }

    /** Parses {@code text}; {@code source} (the file name) prefixes every error. */
    public static List<Workload> parse(String text, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not valid JSON: " + e.getOriginalMessage().replaceAll("\\s+", " ")
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException(source + ": expected a JSON list of workloads, got " + kind(root));
        }
        if (root.isEmpty()) {
            throw new IllegalArgumentException(source + ": expected at least one workload, got an empty list");
        }
        List<Workload> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < root.size(); i++) {
            String at = source + ": workloads[" + i + "]";
            Workload w = workload(root.get(i), at);
            if (!names.add(w.name())) {
                throw new IllegalArgumentException(at + ".name: '" + w.name() + "' is given twice");
            }
            out.add(w);
        }
        return out;
    }

    private static Workload workload(JsonNode node, String at) {
        requireObject(node, at, WORKLOAD_FIELDS);
        JsonNode name = node.get("name");
        if (name == null || !name.isTextual()) {
            throw new IllegalArgumentException(at + ".name: expected a string, got " + kind(name));
        }
        double memory = number(node, "memoryMiB", at, Double.NaN);
        JsonNode phases = node.get("phases");
        if (phases == null || !phases.isArray()) {
            throw new IllegalArgumentException(at + ".phases: expected a list of phases, got " + kind(phases));
        }
        List<Phase> list = new ArrayList<>();
        for (int j = 0; j < phases.size(); j++) {
            list.add(phase(phases.get(j), at + ".phases[" + j + "]"));
        }
        try {
            return new Workload(name.asText(), memory, list);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + "." + e.getMessage(), e);
        }
    }

    private static Phase phase(JsonNode node, String at) {
        requireObject(node, at, PHASE_FIELDS);
        double from = number(node, "fromSeconds", at, Double.NaN);
        try {
            return new Phase(from, number(node, "dirtyPagesPerSecond", at, 0), number(node, "workingSetMiB", at, 0),
                    number(node, "readPagesPerSecond", at, 0), number(node, "cpuPercent", at, 0), number(node, "netInPercent", at, 0),
                    number(node, "netOutPercent", at, 0));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + "." + e.getMessage(), e);
        }
    }

    private static void requireObject(JsonNode node, String at, List<String> fields) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(at + ": expected an object, got " + kind(node));
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!fields.contains(f)) {
                throw new IllegalArgumentException(at + ": unknown field '" + f + "' (expected " + String.join(", ", fields) + ")");
            }
        }
    }

    /** A finite number; {@code fallback} when absent, or an error when the fallback is NaN (required). */
    private static double number(JsonNode node, String field, String at, double fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (Double.isNaN(fallback)) {
                throw new IllegalArgumentException(at + "." + field + ": required, missing");
            }
            return fallback;
        }
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw new IllegalArgumentException(at + "." + field + ": expected a number, got " + v);
        }
        return v.asDouble();
    }

    private static String kind(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        if (n.isObject()) {
            return "an object";
        }
        if (n.isArray()) {
            return "a list";
        }
        return n.toString();
    }
}
