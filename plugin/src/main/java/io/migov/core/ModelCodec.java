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

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Compact, versioned JSON for a {@link MarkovModel}'s learned state:
 * <pre>{"format":"migov-markov","version":2,"states":81,"previous":72,"samples":1200,
 *  "rows":[[72, 72,950, 63,12], [63, 72,11]],
 *  "dwell":3,"dwellRows":[[72,1, 72,40], [72,2, 72,38, 63,2]]}</pre>
 * Each row is {@code [from, to, count, to, count, ...]}, only rows with counts; each dwell row
 * {@code [state, dwell, to, count, ...]}: what followed {@code state} once it had lasted
 * {@code dwell} samples, and {@code dwell} is how long {@code previous} has lasted. Without the
 * dwell rows a restarted daemon, or the destination of a migration, would predict with the plain
 * chain until it had seen each phase end again. Version 1 documents (no dwell rows) still decode:
 * their dwell rows start empty. The prior is configuration of the host, not part of the model, so
 * it is not written.
 *
 * <p>The dwell rows are bounded: a model whose dwell rows take more than
 * {@link #MAX_DWELL_CHARACTERS} is written without them (its first-order counts, which carry the
 * strategy, and how long the current state has lasted always travel; the dwell rows are relearned),
 * so the document stays inside the hook's 2 MiB hand-over.
 *
 * <p>Decoding validates the whole document before building anything: malformed, foreign or
 * wrong-version input raises an {@link IllegalArgumentException} naming the field, never a
 * half-loaded model. Dwell rows must agree with the rows: what followed a state at every dwell
 * cannot add up to more than the transitions stored from it.
 */
public final class ModelCodec {

    public static final String FORMAT = "migov-markov";
    public static final int VERSION = 2;
    /** The oldest version {@link #decode} reads: 1 has no dwell rows. */
    static final int OLDEST_VERSION = 1;
    /** Above this many characters of dwell rows, the dwell rows are left out of the document. */
    public static final int MAX_DWELL_CHARACTERS = 1024 * 1024;
    /** Strict: a key twice or anything after the object is malformed, not "the last one wins". */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ModelCodec() {
    }

    public static String encode(MarkovModel model) {
        return encode(model, MAX_DWELL_CHARACTERS);
    }

    static String encode(MarkovModel model, int maxDwellCharacters) {
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
        ArrayNode dwellRows = JSON.createArrayNode();
        for (int state = 0; state < model.stateCount(); state++) {
            for (int dwell : model.dwellsWithRows(state)) {
                int[] cols = model.dwellRowColumns(state, dwell);
                long[] counts = model.dwellRowCounts(state, dwell);
                ArrayNode row = dwellRows.addArray();
                row.add(state);
                row.add(dwell);
                for (int k = 0; k < cols.length; k++) {
                    row.add(cols[k]);
                    row.add(counts[k]);
                }
            }
        }
        root.put("dwell", model.dwell());
        root.set("dwellRows", dwellRows);
        String json = serialised(root);
        // a document within the limit has dwell rows within it: only a longer one is measured again
        if (json.length() > maxDwellCharacters && serialised(dwellRows).length() > maxDwellCharacters) {
            root.set("dwellRows", JSON.createArrayNode());
            json = serialised(root);
        }
        return json;
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
        if (version == null || !version.isInt() || version.asInt() < OLDEST_VERSION || version.asInt() > VERSION) {
            throw new IllegalArgumentException("model.version: expected " + OLDEST_VERSION + ".." + VERSION + ", got " + version);
        }
        boolean withDwell = version.asInt() >= 2;
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
            targets(row, 1, where, states, columns[from], counts[from]);
            for (int k = 0; k < entries; k++) {
                if (counts[from][k] > samples - transitions) {
                    // more transitions than samples; checked as they add up, so that the sum cannot overflow
                    throw new IllegalArgumentException("model.samples: expected at least the transitions stored (the counts up to "
                            + where + "[" + (2 + 2 * k) + "] add up to more), got " + samples);
                }
                transitions += counts[from][k];
            }
        }
        DwellRows dwellRows = withDwell ? dwellRows(root, states, previous, columns, counts) : DwellRows.NONE;
        MarkovModel model = new MarkovModel(prior, priorWeight);
        for (int from = 0; from < states; from++) {
            if (columns[from] != null) {
                model.restore(previous, samples, from, columns[from], counts[from]);
            }
        }
        model.restore(previous, samples, 0, new int[0], new long[0]);
        for (int r = 0; r < dwellRows.states.length; r++) {
            model.restoreDwellRow(dwellRows.states[r], dwellRows.dwells[r], dwellRows.columns[r], dwellRows.counts[r]);
        }
        model.restoreDwell(dwellRows.dwell);
        return model;
    }

    /** Decoded and validated dwell rows, parallel arrays in document order. */
    private record DwellRows(int dwell, int[] states, int[] dwells, int[][] columns, long[][] counts) {
        static final DwellRows NONE = new DwellRows(0, new int[0], new int[0], new int[0][], new long[0][]);
    }

    private static DwellRows dwellRows(JsonNode root, int states, int previous, int[][] columns, long[][] counts) {
        int dwell = intField(root, "dwell", 0, MarkovModel.DWELL_CAP_SAMPLES);
        if (dwell > 0 && previous < 0) {
            throw new IllegalArgumentException("model.dwell: expected 0 when there is no previous state, got " + dwell);
        }
        JsonNode rowsNode = root.get("dwellRows");
        if (rowsNode == null || !rowsNode.isArray()) {
            throw new IllegalArgumentException("model.dwellRows: expected an array, got "
                    + (rowsNode == null ? "nothing" : abbreviated(rowsNode)));
        }
        int n = rowsNode.size();
        int[] rowStates = new int[n];
        int[] rowDwells = new int[n];
        int[][] rowColumns = new int[n][];
        long[][] rowCounts = new long[n][];
        Set<Long> seenRows = new HashSet<>();
        // per (state, to): what the dwell rows have used of the ordinary count
        Map<Long, Long> used = new HashMap<>();
        for (int r = 0; r < n; r++) {
            JsonNode row = rowsNode.get(r);
            String where = "model.dwellRows[" + r + "]";
            if (!row.isArray() || row.size() < 4 || row.size() % 2 != 0) {
                throw new IllegalArgumentException(where + ": expected [state, dwell, to, count, ...], got " + abbreviated(row));
            }
            int state = element(row, 0, where, 0, states - 1);
            JsonNode dwellNode = row.get(1);
            if (!dwellNode.isInt() || dwellNode.asInt() < 1 || dwellNode.asInt() > MarkovModel.DWELL_CAP_SAMPLES) {
                throw new IllegalArgumentException(where + "[1]: expected a dwell in [1, " + MarkovModel.DWELL_CAP_SAMPLES
                        + "] samples, got " + dwellNode);
            }
            int d = dwellNode.asInt();
            if (!seenRows.add((long) state * (MarkovModel.DWELL_CAP_SAMPLES + 1) + d)) {
                throw new IllegalArgumentException(where + ": state " + state + " at dwell " + d + " appears twice");
            }
            int entries = (row.size() - 2) / 2;
            rowStates[r] = state;
            rowDwells[r] = d;
            rowColumns[r] = new int[entries];
            rowCounts[r] = new long[entries];
            targets(row, 2, where, states, rowColumns[r], rowCounts[r]);
            for (int k = 0; k < entries; k++) {
                int to = rowColumns[r][k];
                long count = rowCounts[r][k];
                long available = ordinaryCount(columns[state], counts[state], to);
                long key = (long) state * states + to;
                long before = used.getOrDefault(key, 0L);
                if (count > available - before) {
                    // every dwell-row transition is also an ordinary one: checked as they add up, so the sum cannot overflow
                    throw new IllegalArgumentException(where + "[" + (3 + 2 * k) + "]: expected at most the " + available
                            + " transition(s) stored from " + state + " to " + to + " over all dwells, got " + count + " (after "
                            + before + " at other dwells)");
                }
                used.put(key, before + count);
            }
        }
        return new DwellRows(dwell, rowStates, rowDwells, rowColumns, rowCounts);
    }

    /**
     * Reads the {@code (to, count)} pairs of a row from element {@code first} on into {@code columns}
     * and {@code counts}: each target a state, none twice, each count ≥ 1.
     */
    private static void targets(JsonNode row, int first, String where, int states, int[] columns, long[] counts) {
        boolean[] seen = new boolean[states];
        for (int k = 0; k < columns.length; k++) {
            int to = element(row, first + 2 * k, where, 0, states - 1);
            if (seen[to]) {
                throw new IllegalArgumentException(where + ": target state " + to + " appears twice");
            }
            seen[to] = true;
            JsonNode c = row.get(first + 1 + 2 * k);
            if (!c.canConvertToLong() || !c.isIntegralNumber() || c.asLong() < 1) {
                throw new IllegalArgumentException(where + "[" + (first + 1 + 2 * k) + "]: expected a count ≥ 1, got " + c);
            }
            columns[k] = to;
            counts[k] = c.asLong();
        }
    }

    private static long ordinaryCount(int[] columns, long[] counts, int to) {
        if (columns != null) {
            for (int k = 0; k < columns.length; k++) {
                if (columns[k] == to) {
                    return counts[k];
                }
            }
        }
        return 0;
    }

    private static String serialised(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("model: cannot serialise", e);
        }
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
