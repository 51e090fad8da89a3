// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/**
 * The transition rows a model uses before (or, with a prior weight, alongside) its own
 * observations: uniform 1/N, or a workload-specific matrix. Immutable and shared by every model
 * that uses it, so its N×N size is paid once, not per VM. Zero entries are not stored.
 */
public final class PriorMatrix {

    /** Tolerance for a prior row's sum, as promised in the README. */
    public static final double ROW_SUM_TOLERANCE = 1e-9;
    public static final String FORMAT = "migov-prior";
    public static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int stateCount;
    /**
     * The state scheme the matrix was learned in ({@link Discretiser#toString()}), null when the file
     * does not say: two schemes can have the same state count (usage and write both have 81), so the
     * count alone cannot tell a prior learned for one from the other.
     */
    private final String scheme;
    /** null for the uniform prior. */
    private final int[][] columns;
    private final double[][] probabilities;

    private PriorMatrix(int stateCount, String scheme, int[][] columns, double[][] probabilities) {
        this.stateCount = stateCount;
        this.scheme = scheme;
        this.columns = columns;
        this.probabilities = probabilities;
    }

    public static PriorMatrix uniform(int stateCount) {
        if (stateCount < 1) {
            throw new IllegalArgumentException("states: expected at least 1, got " + stateCount);
        }
        return new PriorMatrix(stateCount, null, null, null);
    }

    /** Validates a dense matrix: N×N, finite, non-negative, each row summing to 1 ± 1e-9. */
    public static PriorMatrix of(double[][] matrix) {
        int n = matrix.length;
        if (n < 1) {
            throw new IllegalArgumentException("matrix: expected at least one row");
        }
        int[][] cols = new int[n][];
        double[][] probs = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] row = matrix[i];
            if (row == null || row.length != n) {
                throw new IllegalArgumentException("matrix[" + i + "]: expected " + n + " entries (an N×N matrix), got "
                        + (row == null ? "null" : row.length));
            }
            double sum = 0;
            int nonZero = 0;
            for (int j = 0; j < n; j++) {
                double p = row[j];
                if (!Double.isFinite(p) || p < 0) {
                    throw new IllegalArgumentException("matrix[" + i + "][" + j + "]: expected a non-negative probability, got " + p);
                }
                sum += p;
                if (p > 0) {
                    nonZero++;
                }
            }
            if (Math.abs(sum - 1.0) > ROW_SUM_TOLERANCE) {
                throw new IllegalArgumentException("matrix[" + i + "]: row must sum to 1 ± " + ROW_SUM_TOLERANCE + ", sums to " + sum);
            }
            cols[i] = new int[nonZero];
            probs[i] = new double[nonZero];
            int k = 0;
            for (int j = 0; j < n; j++) {
                if (row[j] > 0) {
                    cols[i][k] = j;
                    probs[i][k++] = row[j];
                }
            }
        }
        return new PriorMatrix(n, null, cols, probs);
    }

    /** This matrix, labelled with the state scheme it was learned in. */
    public PriorMatrix withScheme(String scheme) {
        if (scheme == null || scheme.isBlank()) {
            throw new IllegalArgumentException("scheme: expected a state scheme description, got " + (scheme == null ? "null" : "'" + scheme + "'"));
        }
        return new PriorMatrix(stateCount, scheme, columns, probabilities);
    }

    /**
     * Whether this prior may serve a model in {@code discretiser}'s scheme: the same state count and,
     * when the file declares the scheme it was learned in, that scheme.
     */
    public boolean fits(Discretiser discretiser) {
        return stateCount == discretiser.stateCount() && (scheme == null || scheme.equals(discretiser.toString()));
    }

    /** The state scheme the file declares ({@link Discretiser#toString()}), if it declares one. */
    public Optional<String> scheme() {
        return Optional.ofNullable(scheme);
    }

    /**
     * Reads {@code {"format":"migov-prior","version":1,"scheme":"cpu[25,50] …","matrix":[[...],...]}}
     * ({@code scheme} optional); a bare array of rows is accepted too, so a matrix exported from a
     * notebook loads as it is.
     */
    public static PriorMatrix fromJson(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("prior: not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null) {
            throw new IllegalArgumentException("prior: empty document");
        }
        JsonNode matrixNode = root;
        String scheme = null;
        if (root.isObject()) {
            JsonNode format = root.get("format");
            if (format != null && !(format.isTextual() && FORMAT.equals(format.asText()))) {
                throw new IllegalArgumentException("prior.format: expected '" + FORMAT + "', got " + format);
            }
            JsonNode version = root.get("version");
            if (version == null || !version.isInt() || version.asInt() != FORMAT_VERSION) {
                throw new IllegalArgumentException("prior.version: expected " + FORMAT_VERSION + ", got " + version);
            }
            matrixNode = root.get("matrix");
            if (matrixNode == null) {
                throw new IllegalArgumentException("prior.matrix: missing");
            }
            JsonNode schemeNode = root.get("scheme");
            if (schemeNode != null && !schemeNode.isNull()) {
                if (!schemeNode.isTextual() || schemeNode.asText().isBlank()) {
                    throw new IllegalArgumentException("prior.scheme: expected a state scheme such as \"cpu[25,50] write[25,50] net_in[25,50] net_out[25,50] (81 states)\", got " + schemeNode);
                }
                scheme = schemeNode.asText();
            }
        }
        if (!matrixNode.isArray()) {
            throw new IllegalArgumentException("prior.matrix: expected an array of rows, got " + matrixNode.getNodeType());
        }
        double[][] matrix = new double[matrixNode.size()][];
        for (int i = 0; i < matrix.length; i++) {
            JsonNode row = matrixNode.get(i);
            if (!row.isArray()) {
                throw new IllegalArgumentException("matrix[" + i + "]: expected an array, got " + row.getNodeType());
            }
            matrix[i] = new double[row.size()];
            for (int j = 0; j < row.size(); j++) {
                JsonNode cell = row.get(j);
                if (!cell.isNumber()) {
                    throw new IllegalArgumentException("matrix[" + i + "][" + j + "]: expected a number, got " + cell);
                }
                matrix[i][j] = cell.asDouble();
            }
        }
        PriorMatrix prior = of(matrix);
        return scheme == null ? prior : prior.withScheme(scheme);
    }

    public int stateCount() {
        return stateCount;
    }

    public boolean isUniform() {
        return columns == null;
    }

    public double probability(int from, int to) {
        if (columns == null) {
            return 1.0 / stateCount;
        }
        int[] c = columns[from];
        for (int k = 0; k < c.length; k++) {
            if (c[k] == to) {
                return probabilities[from][k];
            }
        }
        return 0.0;
    }

    /** Adds {@code mass · prior[from]} into {@code out}; the uniform case is handled by the caller. */
    void addRow(int from, double mass, double[] out) {
        int[] c = columns[from];
        double[] p = probabilities[from];
        for (int k = 0; k < c.length; k++) {
            out[c[k]] += mass * p[k];
        }
    }
}
