// SPDX-License-Identifier: Apache-2.0
package io.migov.core.storage;

import java.util.Arrays;

/**
 * Logistic regression from one second of host I/O to the probability that co-located I/O suffers:
 * {@code p = 1 / (1 + e^−z)}, {@code z = intercept + Σ coefficient_j · (feature_j − mean_j) / scale_j}
 * over {@link InterferenceFeatures}. A trained model carries the standardisation of its training
 * data; the research's published model is unstandardised (means 0, scales 1). Immutable.
 */
public final class InterferenceModel {

    /**
     * The research's model: −2.27·10⁻⁵ iops², −7.80·10⁻¹ ln(iops), 2.10·10⁻² io_ticks_s²,
     * 0.55 ln(MiB/s), 6.87·10⁻⁴ util_pct², intercept −0.296. The OCR lost the exponent of the
     * ln(iops) coefficient and all units; −1 and these units are the only reading under which an
     * idle or lightly loaded host is not "interfering" (docs/storage/interference-model.md).
     */
    public static final InterferenceModel RESEARCH_DEFAULT = new InterferenceModel(-0.296,
            new double[] {-2.27e-5, -7.80e-1, 2.10e-2, 0.55, 6.87e-4},
            new double[InterferenceFeatures.COUNT], ones());

    private final double intercept;
    private final double[] coefficients;
    private final double[] means;
    private final double[] scales;

    public InterferenceModel(double intercept, double[] coefficients, double[] means, double[] scales) {
        requireFinite("intercept", intercept);
        this.intercept = intercept;
        this.coefficients = vector("coefficients", coefficients);
        this.means = vector("means", means);
        this.scales = vector("scales", scales);
        for (int j = 0; j < this.scales.length; j++) {
            if (!(this.scales[j] > 0)) {
                throw new IllegalArgumentException("scales[" + j + "]: expected > 0, got " + this.scales[j]);
            }
        }
    }

    public double probability(HostIoSample sample) {
        return sigmoid(logit(InterferenceFeatures.of(sample)));
    }

    /** z for raw (unstandardised) features. */
    public double logit(double[] features) {
        if (features.length != InterferenceFeatures.COUNT) {
            throw new IllegalArgumentException("features: expected " + InterferenceFeatures.COUNT + " values, got " + features.length);
        }
        double z = intercept;
        for (int j = 0; j < features.length; j++) {
            z += coefficients[j] * (features[j] - means[j]) / scales[j];
        }
        return z;
    }

    /** Stable for large |z|: never computes e^z for large positive z. */
    public static double sigmoid(double z) {
        if (z >= 0) {
            return 1.0 / (1.0 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1.0 + e);
    }

    public double intercept() {
        return intercept;
    }

    public double[] coefficients() {
        return coefficients.clone();
    }

    public double[] means() {
        return means.clone();
    }

    public double[] scales() {
        return scales.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InterferenceModel m && Double.compare(intercept, m.intercept) == 0
                && Arrays.equals(coefficients, m.coefficients) && Arrays.equals(means, m.means) && Arrays.equals(scales, m.scales);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * Double.hashCode(intercept) + Arrays.hashCode(coefficients)) + Arrays.hashCode(means))
                + Arrays.hashCode(scales);
    }

    @Override
    public String toString() {
        return "InterferenceModel[intercept=" + intercept + ", coefficients=" + Arrays.toString(coefficients)
                + ", means=" + Arrays.toString(means) + ", scales=" + Arrays.toString(scales) + "]";
    }

    private static double[] ones() {
        double[] ones = new double[InterferenceFeatures.COUNT];
        Arrays.fill(ones, 1.0);
        return ones;
    }

    private static double[] vector(String field, double[] values) {
        if (values == null || values.length != InterferenceFeatures.COUNT) {
            throw new IllegalArgumentException(field + ": expected " + InterferenceFeatures.COUNT + " values, got "
                    + (values == null ? "none" : values.length));
        }
        for (int j = 0; j < values.length; j++) {
            requireFinite(field + "[" + j + "]", values[j]);
        }
        return values.clone();
    }

    private static void requireFinite(String field, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(field + ": expected a finite number, got " + value);
        }
    }
}
