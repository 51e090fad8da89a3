// SPDX-License-Identifier: Apache-2.0
package io.migov.core.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InterferenceModelTest {

    private static final double MIB = 1024.0 * 1024.0;

    /** The research formula written out by hand in the units docs/storage/interference-model.md settles. */
    private static double reference(double iops, double ioTicksMillisPerSecond, double mibPerSecond, double utilPercent) {
        double z = -0.296
                - 2.27e-5 * iops * iops
                - 0.780 * Math.log(Math.max(iops, 1))
                + 2.10e-2 * Math.pow(ioTicksMillisPerSecond / 1000, 2)
                + 0.55 * Math.log(Math.max(mibPerSecond, 1.0 / 1024))
                + 6.87e-4 * utilPercent * utilPercent;
        return 1 / (1 + Math.exp(-z));
    }

    private static double research(double iops, double ioTicksMillisPerSecond, double mibPerSecond, double utilPercent) {
        return InterferenceModel.RESEARCH_DEFAULT.probability(new HostIoSample(iops, ioTicksMillisPerSecond, mibPerSecond * MIB, utilPercent));
    }

    @Test
    void probability_researchDefault_matchesTheHandWrittenFormula() {
        double[][] cases = {{0, 0, 0, 0}, {5, 20, 0.1, 2}, {150, 1000, 30, 100}, {400, 1000, 150, 100}, {0.4, 3, 0.0001, 0.3},
                {1000, 1000, 50, 100}, {73, 612, 12.5, 61.2}};
        for (double[] c : cases) {
            assertEquals(reference(c[0], c[1], c[2], c[3]), research(c[0], c[1], c[2], c[3]), 1e-12, java.util.Arrays.toString(c));
        }
    }

    @Test
    void probability_researchDefault_publishedNumbersInTheTable() {
        // the plausibility table of docs/storage/interference-model.md, to 3 decimals
        assertEquals(0.016, research(0, 0, 0, 0), 5e-4);
        assertEquals(0.056, research(5, 20, 0.1, 2), 5e-4);
        assertEquals(0.096, research(50, 200, 5, 20), 5e-4);
        assertEquals(0.245, research(100, 500, 10, 50), 5e-4);
        assertEquals(0.827, research(150, 800, 30, 80), 5e-4);
        assertEquals(0.983, research(150, 1000, 30, 100), 5e-4);
        assertEquals(0.807, research(200, 1000, 0.8, 100), 5e-4);
        assertEquals(0.740, research(400, 1000, 150, 100), 5e-4);
        assertTrue(research(1000, 1000, 50, 100) < 1e-6);
    }

    @Test
    void probability_idleHost_isBelowTheOffThreshold() {
        assertTrue(research(0, 0, 0, 0) <= HysteresisSettings.DEFAULTS.offProbability());
    }

    @Test
    void probability_standardisedModel_centresAndScalesEachFeature() {
        double[] coefficients = {0.1, -0.2, 0.3, 0.4, -0.5};
        double[] means = {100, 2, 0.25, -1, 2500};
        double[] scales = {50, 1.5, 0.2, 3, 1000};
        InterferenceModel model = new InterferenceModel(0.7, coefficients, means, scales);
        HostIoSample s = new HostIoSample(20, 300, 4 * MIB, 30);
        double[] x = {400, Math.log(20), 0.09, Math.log(4), 900};
        double z = 0.7;
        for (int j = 0; j < 5; j++) {
            z += coefficients[j] * (x[j] - means[j]) / scales[j];
        }
        assertEquals(1 / (1 + Math.exp(-z)), model.probability(s), 1e-12);
    }

    @Test
    void sigmoid_extremeLogits_stayFiniteAndOrdered() {
        assertEquals(1.0, InterferenceModel.sigmoid(800), 0);
        assertEquals(0.0, InterferenceModel.sigmoid(-800), 1e-300);
        assertEquals(0.5, InterferenceModel.sigmoid(0), 0);
    }

    @Test
    void constructor_badVectors_nameTheField() {
        double[] five = new double[5];
        double[] ones = {1, 1, 1, 1, 1};
        assertEquals("coefficients: expected 5 values, got 4",
                assertThrows(IllegalArgumentException.class, () -> new InterferenceModel(0, new double[4], five, ones)).getMessage());
        assertEquals("means[2]: expected a finite number, got NaN",
                assertThrows(IllegalArgumentException.class, () -> new InterferenceModel(0, five, new double[] {0, 0, Double.NaN, 0, 0}, ones)).getMessage());
        assertEquals("scales[4]: expected > 0, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> new InterferenceModel(0, five, five, new double[] {1, 1, 1, 1, 0})).getMessage());
        assertEquals("intercept: expected a finite number, got Infinity",
                assertThrows(IllegalArgumentException.class, () -> new InterferenceModel(Double.POSITIVE_INFINITY, five, five, ones)).getMessage());
    }

    // --- codec --------------------------------------------------------------------------------------

    @Test
    void codec_roundTrip_givesAnEqualModel() {
        InterferenceModel model = new InterferenceModel(-1.25, new double[] {1e-7, -0.3, 2.5, 0.125, -4},
                new double[] {123.5, 2, 0.1, -3, 4000}, new double[] {7, 0.5, 0.01, 2, 3000});
        assertEquals(model, InterferenceModelCodec.decode(InterferenceModelCodec.encode(model)));
        assertEquals(InterferenceModel.RESEARCH_DEFAULT,
                InterferenceModelCodec.decode(InterferenceModelCodec.encode(InterferenceModel.RESEARCH_DEFAULT)));
    }

    @Test
    void codec_encode_writesFormatVersionAndFeatureNames() throws Exception {
        JsonNode root = new ObjectMapper().readTree(InterferenceModelCodec.encode(InterferenceModel.RESEARCH_DEFAULT));
        assertEquals("migov-interference", root.get("format").asText());
        assertEquals(1, root.get("version").asInt());
        assertEquals(InterferenceFeatures.NAMES, List.of(root.get("features").get(0).asText(), root.get("features").get(1).asText(),
                root.get("features").get(2).asText(), root.get("features").get(3).asText(), root.get("features").get(4).asText()));
        assertEquals(-0.296, root.get("intercept").asDouble(), 0);
        assertEquals(-0.78, root.get("coefficients").get(1).asDouble(), 0);
    }

    private static String defaultJsonWith(String from, String to) {
        String json = InterferenceModelCodec.encode(InterferenceModel.RESEARCH_DEFAULT);
        assertTrue(json.contains(from), json);
        return json.replace(from, to);
    }

    private static String decodeError(String json) {
        return assertThrows(IllegalArgumentException.class, () -> InterferenceModelCodec.decode(json)).getMessage();
    }

    @Test
    void codec_badDocuments_nameTheField() {
        assertEquals("model.format: expected 'migov-interference', got \"migov-markov\"",
                decodeError(defaultJsonWith("migov-interference", "migov-markov")));
        assertEquals("model.version: expected 1, got 2", decodeError(defaultJsonWith("\"version\":1", "\"version\":2")));
        assertEquals("model.features[3]: expected 'ln(throughput_mib_per_s)', got \"ln(throughput_bytes_per_s)\"",
                decodeError(defaultJsonWith("throughput_mib_per_s", "throughput_bytes_per_s")));
        assertEquals("model.coefficients[1]: expected a finite number, got \"x\"",
                decodeError(defaultJsonWith("-0.78", "\"x\"")));
        assertEquals("model.intercept: expected a finite number, got null", decodeError(defaultJsonWith("\"intercept\":-0.296,", "")));
        assertEquals("model.scales: expected an array of 5 numbers, got [1.0]",
                decodeError(defaultJsonWith("\"scales\":[1.0,1.0,1.0,1.0,1.0]", "\"scales\":[1.0]")));
        assertEquals("model.scales[4]: expected a number > 0, got -1.0",
                decodeError(defaultJsonWith("\"scales\":[1.0,1.0,1.0,1.0,1.0]", "\"scales\":[1.0,1.0,1.0,1.0,-1.0]")));
        assertTrue(decodeError("{\"format\":").startsWith("model: not valid JSON"));
        assertEquals("model: expected a JSON object", decodeError("[1]"));
    }
}
