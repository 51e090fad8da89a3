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
        assertEquals("{\"format\":\"migov-markov\",\"version\":2,\"states\":81,\"previous\":72,\"samples\":2,\"rows\":[[72,72,1]],"
                + "\"dwell\":2,\"dwellRows\":[[72,1,72,1]]}", json);
    }

    @Test
    void encodeThenDecode_keepsTheDwellRowsAndTheRunInProgress_soBothModelsLearnTheSame() {
        MarkovModel model = new MarkovModel(81);
        int[] phases = {0, 0, 0, 72, 72, 0, 0, 0, 72, 72, 0, 0};
        for (int s : phases) {
            model.observe(s);
        }
        MarkovModel back = ModelCodec.decode(ModelCodec.encode(model), uniform81, 0);
        assertEquals(2, back.dwell());
        assertEquals(2, back.dwellCount(0, 3, 72)); // after 3 s of state 0 came 72, twice
        assertEquals(3, back.dwellCount(0, 1, 0));
        for (int s : new int[] {0, 72, 72, 0}) {
            model.observe(s);
            back.observe(s);
        }
        assertEquals(3, back.dwellCount(0, 3, 72)); // the run in progress went on: it was at dwell 2, not a new run
        assertEquals(ModelCodec.encode(model), ModelCodec.encode(back));
    }

    @Test
    void decode_version1Document_decodesWithEmptyDwellRows() {
        MarkovModel back = ModelCodec.decode("{\"format\":\"migov-markov\",\"version\":1,\"states\":81,\"previous\":72,"
                + "\"samples\":3,\"rows\":[[72,72,2]]}", uniform81, 0);
        assertEquals(2, back.count(72, 72));
        assertEquals(0, back.storedDwellTransitions());
        assertEquals(0, back.dwell());
        back.observe(72);
        back.observe(72);
        assertEquals(4, back.count(72, 72));
        assertEquals(0, back.dwell()); // the run's start is unknown: nothing to count its end at
        back.observe(5);
        back.observe(5);
        assertEquals(1, back.storedDwellTransitions()); // the new run's first step only
        assertEquals(1, back.dwellCount(5, 1, 5));
        assertEquals(2, back.dwell());
    }

    @Test
    void encode_dwellRowsOverTheLimit_leftOutButCountsAndRunLengthKept() {
        MarkovModel model = new MarkovModel(81);
        for (int s : new int[] {5, 5, 5, 7, 7, 5}) {
            model.observe(s);
        }
        String full = ModelCodec.encode(model, Integer.MAX_VALUE);
        String limited = ModelCodec.encode(model, 10);
        assertTrue(full.contains("\"dwellRows\":[[5,1,5,1]"), full);
        assertTrue(limited.endsWith("\"dwell\":1,\"dwellRows\":[]}"), limited);
        MarkovModel back = ModelCodec.decode(limited, uniform81, 0);
        assertEquals(2, back.count(5, 5));
        assertEquals(1, back.count(7, 5));
        assertEquals(0, back.storedDwellTransitions());
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
            "{\"format\":\"migov-markov\",\"version\":3,\"states\":81,\"previous\":-1,\"samples\":0,\"rows\":[]}|model.version: expected 1..2",
            "{\"format\":\"migov-markov\",\"version\":2,\"states\":81,\"previous\":-1,\"samples\":0,\"rows\":[]}|model.dwell:",
            "{\"format\":\"migov-markov\",\"version\":2,\"states\":81,\"previous\":-1,\"samples\":0,\"rows\":[],\"dwell\":3,\"dwellRows\":[]}|model.dwell: expected 0 when there is no previous state",
            "{\"format\":\"migov-markov\",\"version\":2,\"states\":81,\"previous\":1,\"samples\":0,\"rows\":[],\"dwell\":121,\"dwellRows\":[]}|model.dwell: expected an integer in [0, 120]",
            "{\"format\":\"migov-markov\",\"version\":2,\"states\":81,\"previous\":1,\"samples\":0,\"rows\":[],\"dwell\":1}|model.dwellRows: expected an array",
            "{\"format\":\"migov-markov\",\"version\":2,\"states\":81,\"previous\":1,\"samples\":9,\"rows\":[[1,2,3]],\"dwell\":1,\"dwellRows\":[[1,1,2]]}|model.dwellRows[0]: expected [state, dwell, to, count",
            "{\"format\":\"migov-markov\",\"version\":2,\"states\":81,\"previous\":1,\"samples\":9,\"rows\":[[1,2,3]],\"dwell\":1,\"dwellRows\":[[1,0,2,1]]}|model.dwellRows[0][1]: expected a dwell in [1, 120] samples",
            "{\"format\":\"migov-markov\",\"version\":2,\"states\":81,\"previous\":1,\"samples\":9,\"rows\":[[1,2,3]],\"dwell\":1,\"dwellRows\":[[1,1,2,1],[1,1,2,1]]}|model.dwellRows[1]: state 1 at dwell 1 appears twice",
            "{\"format\":\"migov-markov\",\"version\":2,\"states\":81,\"previous\":1,\"samples\":9,\"rows\":[[1,2,3]],\"dwell\":1,\"dwellRows\":[[1,1,2,1,2,1]]}|model.dwellRows[0]: target state 2 appears twice",
            "{\"format\":\"migov-markov\",\"version\":2,\"states\":81,\"previous\":1,\"samples\":9,\"rows\":[[1,2,3]],\"dwell\":1,\"dwellRows\":[[1,1,2,0]]}|model.dwellRows[0][3]: expected a count ≥ 1",
            "{\"format\":\"migov-markov\",\"version\":2,\"states\":81,\"previous\":1,\"samples\":9,\"rows\":[[1,2,3]],\"dwell\":1,\"dwellRows\":[[1,1,2,2],[1,2,2,2]]}|model.dwellRows[1][3]: expected at most the 3 transition(s) stored from 1 to 2 over all dwells, got 2 (after 2 at other dwells)",
            "{\"format\":\"migov-markov\",\"version\":2,\"states\":81,\"previous\":1,\"samples\":9,\"rows\":[[1,2,3]],\"dwell\":1,\"dwellRows\":[[1,1,5,1]]}|model.dwellRows[0][3]: expected at most the 0 transition(s) stored from 1 to 5",
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
