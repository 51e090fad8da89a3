// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Compact, versioned JSON for a {@link MarkovModel}'s learned state:
 * <pre>{"format":"migov-markov","version":1,"states":81,"previous":72,"samples":1200,
 *  "rows":[[72, 72,950, 63,12], [63, 72,11]]}</pre>
 * Each row is {@code [from, to, count, to, count, ...]}, only rows with counts. The prior is
 * configuration of the host, not part of the model, so it is not written.
 *
 * <p>Decoding validates the whole document before building anything: malformed, foreign or
 * wrong-version input raises an {@link IllegalArgumentException} naming the field, never a
 * half-loaded model.
 */
public final class ModelCodec {

    public static final String FORMAT = "migov-markov";
    public static final int VERSION = 1;
    /** Strict: a key twice or anything after the object is malformed, not "the last one wins". */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ModelCodec() {
    }

    public static String encode(MarkovModel model) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("states", model.stateCount());
        root.put("previous", model.previousState());
        root.put("samples", model.samples());
        ArrayNode rows = root.putArray("rows");
        for (int from = 0; from < model.stateCount(); from++) {
            int[] cols = model.rowColumns(from);
            if (cols.length == 0) {
                continue;
            }
            long[] counts = model.rowCounts(from);
            ArrayNode row = rows.addArray();
            row.add(from);
            for (int k = 0; k < cols.length; k++) {
                row.add(cols[k]);
                row.add(counts[k]);
            }
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("model: cannot serialise", e);
        }
    }

    /** Decodes a model that will use {@code prior} (whose state count the document must match). */
    public static MarkovModel decode(String json, PriorMatrix prior, double priorWeight) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("model: not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("model: expected a JSON object, got "
                    + (root == null || root.isMissingNode() ? "nothing" : abbreviated(root)));
        }
        String format = root.path("format").asText(null);
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("model.format: expected '" + FORMAT + "', got " + root.get("format"));
        }
        JsonNode version = root.get("version");
        if (version == null || !version.isInt() || version.asInt() != VERSION) {
            throw new IllegalArgumentException("model.version: expected " + VERSION + ", got " + version);
        }
        int states = intField(root, "states", 1, Integer.MAX_VALUE);
        if (states != prior.stateCount()) {
            throw new IllegalArgumentException("model.states: expected " + prior.stateCount()
                    + " (this host's state scheme), got " + states);
        }
        int previous = intField(root, "previous", -1, states - 1);
        long samples = longField(root, "samples");
        JsonNode rowsNode = root.get("rows");
        if (rowsNode == null || !rowsNode.isArray()) {
            throw new IllegalArgumentException("model.rows: expected an array, got " + (rowsNode == null ? "nothing" : abbreviated(rowsNode)));
        }
        int[][] columns = new int[states][];
        long[][] counts = new long[states][];
        long transitions = 0;
        for (int r = 0; r < rowsNode.size(); r++) {
            JsonNode row = rowsNode.get(r);
            String where = "model.rows[" + r + "]";
            if (!row.isArray() || row.size() < 3 || row.size() % 2 == 0) {
                throw new IllegalArgumentException(where + ": expected [from, to, count, ...], got " + abbreviated(row));
            }
            int from = element(row, 0, where, 0, states - 1);
            if (columns[from] != null) {
                throw new IllegalArgumentException(where + ": state " + from + " appears twice");
            }
            int entries = (row.size() - 1) / 2;
            columns[from] = new int[entries];
            counts[from] = new long[entries];
            boolean[] seen = new boolean[states];
            for (int k = 0; k < entries; k++) {
                int to = element(row, 1 + 2 * k, where, 0, states - 1);
                if (seen[to]) {
                    throw new IllegalArgumentException(where + ": target state " + to + " appears twice");
                }
                seen[to] = true;
                JsonNode c = row.get(2 + 2 * k);
                if (!c.canConvertToLong() || !c.isIntegralNumber() || c.asLong() < 1) {
                    throw new IllegalArgumentException(where + "[" + (2 + 2 * k) + "]: expected a count ≥ 1, got " + c);
                }
                columns[from][k] = to;
                counts[from][k] = c.asLong();
                if (c.asLong() > samples - transitions) {
                    // more transitions than samples; checked as they add up, so that the sum cannot overflow
                    throw new IllegalArgumentException("model.samples: expected at least the transitions stored (the counts up to "
                            + where + "[" + (2 + 2 * k) + "] add up to more), got " + samples);
                }
                transitions += c.asLong();
            }
        }
        MarkovModel model = new MarkovModel(prior, priorWeight);
        for (int from = 0; from < states; from++) {
            if (columns[from] != null) {
                model.restore(previous, samples, from, columns[from], counts[from]);
            }
        }
        model.restore(previous, samples, 0, new int[0], new long[0]);
        return model;
    }

    /** A value for a message: at most 200 characters of its JSON. */
    private static String abbreviated(JsonNode n) {
        String s = n.toString();
        return s.length() <= 200 ? s : s.substring(0, 200) + "… (" + s.length() + " characters)";
    }

    private static int intField(JsonNode root, String name, int min, int max) {
        JsonNode n = root.get(name);
        if (n == null || !n.isInt() || n.asInt() < min || n.asInt() > max) {
            throw new IllegalArgumentException("model." + name + ": expected an integer in [" + min + ", " + max + "], got " + n);
        }
        return n.asInt();
    }

    private static long longField(JsonNode root, String name) {
        JsonNode n = root.get(name);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
            throw new IllegalArgumentException("model." + name + ": expected an integer ≥ 0, got " + n);
        }
        return n.asLong();
    }

    private static int element(JsonNode row, int index, String where, int min, int max) {
        JsonNode n = row.get(index);
        if (!n.isInt() || n.asInt() < min || n.asInt() > max) {
            throw new IllegalArgumentException(where + "[" + index + "]: expected a state in [" + min + ", " + max + "], got " + n);
        }
        return n.asInt();
    }
}
