// SPDX-License-Identifier: Apache-2.0
package io.migov.core.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Versioned JSON for an {@link InterferenceModel}:
 * <pre>{"format":"migov-interference","version":1,
 *  "features":["iops^2","ln(iops)","io_ticks_s^2","ln(throughput_mib_per_s)","util_pct^2"],
 *  "intercept":-0.296,"coefficients":[...5],"means":[...5],"scales":[...5]}</pre>
 * The feature names are written and checked so that a model fitted on other features or units is
 * refused rather than silently misread. Decoding validates everything before building the model;
 * errors name the field.
 */
public final class InterferenceModelCodec {

    public static final String FORMAT = "migov-interference";
    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private InterferenceModelCodec() {
    }

    public static String encode(InterferenceModel model) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        ArrayNode features = root.putArray("features");
        InterferenceFeatures.NAMES.forEach(features::add);
        root.put("intercept", model.intercept());
        array(root, "coefficients", model.coefficients());
        array(root, "means", model.means());
        array(root, "scales", model.scales());
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("model: cannot serialise", e);
        }
    }

    public static InterferenceModel decode(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("model: not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("model: expected a JSON object");
        }
        if (!FORMAT.equals(root.path("format").asText(null)) || !root.get("format").isTextual()) {
            throw new IllegalArgumentException("model.format: expected '" + FORMAT + "', got " + root.get("format"));
        }
        JsonNode version = root.get("version");
        if (version == null || !version.isInt() || version.asInt() != VERSION) {
            throw new IllegalArgumentException("model.version: expected " + VERSION + ", got " + version);
        }
        checkFeatures(root.get("features"));
        double intercept = number(root.get("intercept"), "model.intercept");
        double[] coefficients = numbers(root, "coefficients");
        double[] means = numbers(root, "means");
        double[] scales = numbers(root, "scales");
        for (int j = 0; j < scales.length; j++) {
            if (!(scales[j] > 0)) {
                throw new IllegalArgumentException("model.scales[" + j + "]: expected a number > 0, got " + root.get("scales").get(j));
            }
        }
        return new InterferenceModel(intercept, coefficients, means, scales);
    }

    private static void checkFeatures(JsonNode features) {
        if (features == null || !features.isArray() || features.size() != InterferenceFeatures.COUNT) {
            throw new IllegalArgumentException("model.features: expected " + JSON.valueToTree(InterferenceFeatures.NAMES) + ", got " + features);
        }
        for (int j = 0; j < InterferenceFeatures.COUNT; j++) {
            if (!InterferenceFeatures.NAMES.get(j).equals(features.get(j).asText(null)) || !features.get(j).isTextual()) {
                throw new IllegalArgumentException("model.features[" + j + "]: expected '" + InterferenceFeatures.NAMES.get(j)
                        + "', got " + features.get(j));
            }
        }
    }

    private static double[] numbers(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || !node.isArray() || node.size() != InterferenceFeatures.COUNT) {
            throw new IllegalArgumentException("model." + field + ": expected an array of " + InterferenceFeatures.COUNT
                    + " numbers, got " + node);
        }
        double[] values = new double[node.size()];
        for (int j = 0; j < values.length; j++) {
            values[j] = number(node.get(j), "model." + field + "[" + j + "]");
        }
        return values;
    }

    private static double number(JsonNode node, String where) {
        if (node == null || !node.isNumber() || !Double.isFinite(node.asDouble())) {
            throw new IllegalArgumentException(where + ": expected a finite number, got " + node);
        }
        return node.asDouble();
    }

    private static void array(ObjectNode root, String field, double[] values) {
        ArrayNode a = root.putArray(field);
        for (double v : values) {
            a.add(v);
        }
    }
}
