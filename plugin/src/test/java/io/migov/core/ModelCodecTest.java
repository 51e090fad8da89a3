// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelCodecTest {

    private final PriorMatrix uniform81 = PriorMatrix.uniform(81);

    @Test
    void encodeThenDecode_preservesCountsPreviousStateAndSamples() {
        MarkovModel model = new MarkovModel(81);
        int[] trace = {0, 72, 72, 63, 72, 0, 0, 80};
        for (int s : trace) {
            model.observe(s);
        }
        MarkovModel back = ModelCodec.decode(ModelCodec.encode(model), uniform81, 0);
        for (int i = 0; i < 81; i++) {
            assertArrayEquals(model.countRow(i), back.countRow(i), "row " + i);
        }
        assertEquals(80, back.previousState());
        assertEquals(8, back.samples());
        back.observe(80);
        assertEquals(1, back.count(80, 80)); // the chain continues where it stopped
    }

    @Test
    void encode_isCompactAndVersioned() {
        MarkovModel model = new MarkovModel(81);
        model.observe(72);
        model.observe(72);
        String json = ModelCodec.encode(model);
        assertEquals("{\"format\":\"migov-markov\",\"version\":1,\"states\":81,\"previous\":72,\"samples\":2,\"rows\":[[72,72,1]]}", json);
    }

    @Test
    void decode_emptyModel_roundTrips() {
        MarkovModel back = ModelCodec.decode(ModelCodec.encode(new MarkovModel(81)), uniform81, 0);
        assertEquals(-1, back.previousState());
        assertEquals(0, back.transitions());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "{nope|model: not valid JSON",
            "[]|model: expected a JSON object",
            "{\"format\":\"other\",\"version\":1}|model.format:",
            "{\"format\":\"migov-markov\",\"version\":2,\"states\":81,\"previous\":-1,\"samples\":0,\"rows\":[]}|model.version:",
            "{\"format\":\"migov-markov\",\"version\":1,\"states\":4,\"previous\":-1,\"samples\":0,\"rows\":[]}|model.states: expected 81",
            "{\"format\":\"migov-markov\",\"version\":1,\"states\":81,\"previous\":81,\"samples\":0,\"rows\":[]}|model.previous:",
            "{\"format\":\"migov-markov\",\"version\":1,\"states\":81,\"previous\":-1,\"samples\":-3,\"rows\":[]}|model.samples:",
            "{\"format\":\"migov-markov\",\"version\":1,\"states\":81,\"previous\":-1,\"samples\":9,\"rows\":{}}|model.rows: expected an array",
            "{\"format\":\"migov-markov\",\"version\":1,\"states\":81,\"previous\":-1,\"samples\":9,\"rows\":[[1,2]]}|model.rows[0]: expected [from, to, count",
            "{\"format\":\"migov-markov\",\"version\":1,\"states\":81,\"previous\":-1,\"samples\":9,\"rows\":[[1,99,1]]}|model.rows[0][1]:",
            "{\"format\":\"migov-markov\",\"version\":1,\"states\":81,\"previous\":-1,\"samples\":9,\"rows\":[[1,2,0]]}|model.rows[0][2]: expected a count",
            "{\"format\":\"migov-markov\",\"version\":1,\"states\":81,\"previous\":-1,\"samples\":9,\"rows\":[[1,2,1,2,1]]}|target state 2 appears twice",
            "{\"format\":\"migov-markov\",\"version\":1,\"states\":81,\"previous\":-1,\"samples\":9,\"rows\":[[1,2,1],[1,3,1]]}|state 1 appears twice",
            "{\"format\":\"migov-markov\",\"version\":1,\"states\":81,\"previous\":-1,\"samples\":1,\"rows\":[[1,2,5]]}|model.samples: expected at least the transitions stored"})
    void decode_badInput_isRejectedWithTheFieldNamed(String json, String expectedMessageStart) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelCodec.decode(json, uniform81, 0));
        assertTrue(e.getMessage().contains(expectedMessageStart), e.getMessage());
    }
}
