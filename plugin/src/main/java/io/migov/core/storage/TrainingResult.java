// SPDX-License-Identifier: Apache-2.0
package io.migov.core.storage;

import java.util.List;

/**
 * What {@link InterferenceTrainer#train} produced.
 *
 * @param model   fitted on the 75 % training part (not on the hold-out, so {@code holdOut} is honest)
 * @param samples all samples given, training and hold-out
 * @param holdOut the model on the 25 % it never saw
 * @param researchHoldOut {@link InterferenceModel#RESEARCH_DEFAULT} on the same 25 %: whether
 *                the shipped default holds on this host's data
 * @param foldF1s F1 of each cross-validation fold on the training part; {@link #cvF1()} is their mean
 */
public record TrainingResult(InterferenceModel model, int samples, ClassificationMetrics holdOut,
                             ClassificationMetrics researchHoldOut, List<Double> foldF1s) {

    public TrainingResult {
        foldF1s = List.copyOf(foldF1s);
    }

    public double cvF1() {
        return foldF1s.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }
}
