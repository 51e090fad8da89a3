// SPDX-License-Identifier: Apache-2.0
package io.migov.core.storage;

import java.util.List;

/**
 * The confusion counts of a classifier on labelled samples, "interference" being the positive
 * class, predicted where the probability is ≥ 0.5.
 */
public record ClassificationMetrics(int truePositives, int falsePositives, int trueNegatives, int falseNegatives) {

    public static final double DECISION_PROBABILITY = 0.5;

    public ClassificationMetrics {
        if (truePositives < 0 || falsePositives < 0 || trueNegatives < 0 || falseNegatives < 0) {
            throw new IllegalArgumentException("counts: expected ≥ 0, got tp=" + truePositives + " fp=" + falsePositives
                    + " tn=" + trueNegatives + " fn=" + falseNegatives);
        }
    }

    public static ClassificationMetrics of(InterferenceModel model, List<LabelledSample> samples) {
        int tp = 0;
        int fp = 0;
        int tn = 0;
        int fn = 0;
        for (LabelledSample s : samples) {
            boolean predicted = model.probability(s.sample()) >= DECISION_PROBABILITY;
            if (predicted && s.interference()) {
                tp++;
            } else if (predicted) {
                fp++;
            } else if (s.interference()) {
                fn++;
            } else {
                tn++;
            }
        }
        return new ClassificationMetrics(tp, fp, tn, fn);
    }

    public int total() {
        return truePositives + falsePositives + trueNegatives + falseNegatives;
    }

    public double accuracy() {
        return ratio(truePositives + trueNegatives, total());
    }

    /** 0 when nothing was predicted positive: a classifier that never says "interference" earns no credit. */
    public double precision() {
        return ratio(truePositives, truePositives + falsePositives);
    }

    public double recall() {
        return ratio(truePositives, truePositives + falseNegatives);
    }

    public double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    private static double ratio(int numerator, int denominator) {
        return denominator == 0 ? 0 : (double) numerator / denominator;
    }
}
