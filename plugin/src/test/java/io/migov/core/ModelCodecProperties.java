// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.migov.testing.BadJson;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model JSON (checkpoints, domain metadata, the hook's hand-over, importModel), property-tested:
 * any model round-trips; any mutation of a valid document either decodes to a consistent model or
 * fails with one {@link IllegalArgumentException} naming the field ({@code model.<field>},
 * {@code model.rows[r][i]}) and showing the value; never another exception, never a half-loaded or
 * inconsistent model.
 */
class ModelCodecProperties {

    private static final int STATES = 81;
    private static final PriorMatrix UNIFORM = PriorMatrix.uniform(STATES);
    private static final Pattern FIELD = Pattern.compile("model(\\.(format|version|states|previous|samples|rows|dwell|dwellRows)(\\[\\d+])*)?: .+");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Provide
    Arbitrary<MarkovModel> models() {
        return Arbitraries.integers().between(0, STATES - 1).list().ofMaxSize(300).map(trace -> {
            MarkovModel m = new MarkovModel(STATES);
            for (int s : trace) {
                m.observe(s);
            }
            return m;
        });
    }

    @Property(tries = 200)
    void encodeDecode_anyModel_roundTrips(@ForAll("models") MarkovModel model) {
        String json = ModelCodec.encode(model);
        MarkovModel back = ModelCodec.decode(json, UNIFORM, 0);
        assertEquals(json, ModelCodec.encode(back));
        assertEquals(model.samples(), back.samples());
        assertEquals(model.previousState(), back.previousState());
        assertEquals(model.dwell(), back.dwell());
        assertEquals(model.storedDwellTransitions(), back.storedDwellTransitions());
    }

    /** A valid document, mutated: a field set to anything, removed, twice, an unknown one, the text cut or garbled. */
    @Provide
    Arbitrary<BadJson.Mutation> mutatedModels() {
        return models().flatMap(model -> {
            Map<String, String> fields = fields(ModelCodec.encode(model));
            Arbitrary<BadJson.Mutation> documentLevel = BadJson.mutations(fields, Arbitraries.of("extra", "Format", ""));
            Arbitrary<BadJson.Mutation> inRows = rowMutations(fields, "rows");
            Arbitrary<BadJson.Mutation> inDwellRows = rowMutations(fields, "dwellRows");
            return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, documentLevel), net.jqwik.api.Tuple.of(1, inRows),
                    net.jqwik.api.Tuple.of(1, inDwellRows));
        });
    }

    /** One element of one row of {@code key} (or the row itself) replaced by any value. */
    private static Arbitrary<BadJson.Mutation> rowMutations(Map<String, String> fields, String key) {
        JsonNode rows = BadJson.node(fields.get(key));
        if (rows.isEmpty()) {
            return BadJson.values().map(v -> new BadJson.Mutation("set", key, "[" + v + "]",
                    BadJson.render(fields, key, "[" + v + "]", false)));
        }
        return Combinators.combine(Arbitraries.integers().between(0, rows.size() - 1), Arbitraries.integers().between(-1, 6),
                BadJson.values()).as((r, i, v) -> {
            List<String> rowTexts = new java.util.ArrayList<>();
            for (int k = 0; k < rows.size(); k++) {
                JsonNode row = rows.get(k);
                if (k != r) {
                    rowTexts.add(row.toString());
                } else if (i < 0 || i >= row.size()) {
                    String text = row.toString();
                    rowTexts.add(i < 0 ? v : text.substring(0, text.length() - 1) + ", " + v + "]");
                } else {
                    List<String> cells = new java.util.ArrayList<>();
                    row.forEach(c -> cells.add(c.toString()));
                    cells.set(i, v);
                    rowTexts.add("[" + String.join(",", cells) + "]");
                }
            }
            String rowsText = "[" + String.join(",", rowTexts) + "]";
            return new BadJson.Mutation("row", key, v, BadJson.render(fields, key, rowsText, false));
        });
    }

    @Property(tries = 500)
    void decode_mutatedModel_consistentModelOrErrorNamingTheField(@ForAll("mutatedModels") BadJson.Mutation m) {
        MarkovModel model;
        try {
            model = ModelCodec.decode(m.text(), UNIFORM, 1.0);
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            assertTrue(FIELD.matcher(message).matches(), "does not name a field: " + message + " for " + m);
            if (m.kind().equals("set") && !m.key().equals("rows") && !m.key().equals("dwellRows")
                    && message.startsWith("model." + m.key() + ":")) {
                assertTrue(BadJson.shows(message, m.value()), "does not show the value: " + message + " for " + m);
            }
            if (m.kind().equals("duplicate")) {
                assertTrue(message.contains("Duplicate field '" + m.key() + "'"), message + " for " + m);
            }
            return;
        } catch (RuntimeException e) {
            throw new AssertionError("not an IllegalArgumentException for " + m + ": " + e, e);
        }
        assertConsistent(model);
    }

    @Property(tries = 200)
    void decode_anyText_modelOrIllegalArgument(@ForAll("texts") String text) {
        try {
            assertConsistent(ModelCodec.decode(text, UNIFORM, 0));
        } catch (IllegalArgumentException e) {
            assertTrue(FIELD.matcher(e.getMessage()).matches(), e.getMessage());
        }
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(100), BadJson.values());
    }

    @Example
    void decode_countsWhoseSumOverflowsALong_rejectedNamingSamples() {
        String json = "{\"format\":\"migov-markov\",\"version\":1,\"states\":81,\"previous\":-1,\"samples\":9223372036854775807,"
                + "\"rows\":[[0,0,9223372036854775807],[1,1,9223372036854775807]]}";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelCodec.decode(json, UNIFORM, 0));
        assertEquals("model.samples: expected at least the transitions stored (the counts up to model.rows[1][2] add up to more), "
                + "got 9223372036854775807", e.getMessage());
    }

    @Example
    void decode_duplicateFieldOrTrailingText_rejected() {
        String valid = "{\"format\":\"migov-markov\",\"version\":1,\"states\":81,\"previous\":-1,\"samples\":0,\"rows\":[]}";
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelCodec.decode(valid.replace("\"samples\":0",
                "\"samples\":0,\"samples\":5"), UNIFORM, 0)).getMessage().startsWith("model: not valid JSON: Duplicate field 'samples'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelCodec.decode(valid + " {}", UNIFORM, 0))
                .getMessage().startsWith("model: not valid JSON: Trailing token"));
    }

    /** What a decoded model must be whatever it came from: counts within samples, probability rows. */
    private static void assertConsistent(MarkovModel model) {
        assertEquals(STATES, model.stateCount());
        assertTrue(model.transitions() >= 0 && model.transitions() <= model.samples(), model.transitions() + " > " + model.samples());
        assertTrue(model.previousState() >= -1 && model.previousState() < STATES);
        assertTrue(model.dwell() >= 0 && model.dwell() <= MarkovModel.DWELL_CAP_SAMPLES && (model.previousState() >= 0 || model.dwell() == 0),
                "dwell " + model.dwell() + " with previous " + model.previousState());
        for (int from = 0; from < STATES; from++) {
            for (int to = 0; to < STATES; to++) {
                long atDwells = 0;
                for (int d = 1; d <= MarkovModel.DWELL_CAP_SAMPLES; d++) {
                    atDwells += model.dwellCount(from, d, to);
                }
                assertTrue(atDwells <= model.count(from, to), from + " → " + to + ": " + atDwells + " at dwells > " + model.count(from, to));
            }
        }
        for (int from = 0; from < STATES; from++) {
            double sum = 0;
            for (double p : model.transitionRow(from)) {
                assertTrue(p >= 0 && p <= 1, "row " + from + ": " + p);
                sum += p;
            }
            assertEquals(1.0, sum, 1e-9, "row " + from);
        }
    }

    private static Map<String, String> fields(String json) {
        try {
            Map<String, String> m = new LinkedHashMap<>();
            JSON.readTree(json).fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().toString()));
            return m;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
