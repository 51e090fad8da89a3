// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

import io.migov.testing.BadJson;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Prior matrix files ({@code priorFile}, {@code --initial}, importPrior), property-tested: a mutated
 * valid document is either a valid prior (N×N, rows of probabilities summing to 1) or one
 * {@link IllegalArgumentException} naming the field ({@code prior.<field>}, {@code matrix[i][j]});
 * never another exception.
 */
class PriorMatrixProperties {

    private static final Pattern FIELD = Pattern.compile("(prior(\\.(format|version|matrix))?|matrix(\\[\\d+])+|matrix): .+");

    @Provide
    Arbitrary<BadJson.Mutation> mutatedPriors() {
        return Arbitraries.integers().between(1, 4).flatMap(n -> {
            StringBuilder m = new StringBuilder("[");
            for (int i = 0; i < n; i++) {
                m.append(i > 0 ? "," : "").append('[');
                for (int j = 0; j < n; j++) {
                    m.append(j > 0 ? "," : "").append(1.0 / n);
                }
                m.append(']');
            }
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("format", "\"migov-prior\"");
            fields.put("version", "1");
            fields.put("matrix", m.append(']').toString());
            return BadJson.mutations(fields, Arbitraries.of("extra", "rows"));
        });
    }

    @Property(tries = 400)
    void fromJson_mutatedPrior_validPriorOrErrorNamingTheField(@ForAll("mutatedPriors") BadJson.Mutation m) {
        PriorMatrix prior;
        try {
            prior = PriorMatrix.fromJson(m.text());
        } catch (IllegalArgumentException e) {
            assertTrue(FIELD.matcher(e.getMessage()).matches(), "does not name a field: " + e.getMessage() + " for " + m);
            if (m.kind().equals("set") && !m.key().equals("matrix")) {
                assertTrue(e.getMessage().startsWith("prior." + m.key() + ": ") && BadJson.shows(e.getMessage(), m.value()),
                        e.getMessage() + " for " + m);
            }
            return;
        } catch (RuntimeException e) {
            throw new AssertionError("not an IllegalArgumentException for " + m + ": " + e, e);
        }
        int n = prior.stateCount();
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < n; j++) {
                double p = prior.probability(i, j);
                assertTrue(Double.isFinite(p) && p >= 0, p + " for " + m);
                sum += p;
            }
            assertEquals(1.0, sum, PriorMatrix.ROW_SUM_TOLERANCE * 2, m.toString());
        }
    }

    @Example
    void fromJson_anotherFormatOrAFractionalVersion_rejected() {
        assertEquals("prior.format: expected 'migov-prior', got \"migov-markov\"", assertThrows(IllegalArgumentException.class,
                () -> PriorMatrix.fromJson("{\"format\":\"migov-markov\",\"version\":1,\"matrix\":[[1]]}")).getMessage());
        assertEquals("prior.version: expected 1, got 1.5", assertThrows(IllegalArgumentException.class,
                () -> PriorMatrix.fromJson("{\"format\":\"migov-prior\",\"version\":1.5,\"matrix\":[[1]]}")).getMessage());
        assertEquals(1, PriorMatrix.fromJson("{\"version\":1,\"matrix\":[[1]]}").stateCount(), "format may be left out");
    }
}
