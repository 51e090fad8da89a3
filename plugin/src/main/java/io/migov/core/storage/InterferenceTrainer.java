// SPDX-License-Identifier: Apache-2.0
package io.migov.core.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Fits an {@link InterferenceModel} as the research evaluated theirs: a stratified 25 % hold-out,
 * 5-fold cross-validation on the other 75 %, features standardised on the data each fit sees.
 *
 * <p>The penalty λ = 1 on standardised features is scikit-learn's default {@code C = 1}, the
 * "default hyperparameters" the research reports; it also keeps separable data (a lab run where
 * utilisation alone separates the labels) at finite coefficients. Splits come from a seeded
 * Fisher–Yates shuffle, so one file and one seed always give one model.
 */
public final class InterferenceTrainer {

    public static final double L2 = 1.0;
    public static final int FOLDS = 5;
    public static final double HOLD_OUT_SHARE = 0.25;
    /** Every fold's training part must hold both labels: 10 per label leave ≥ 5 per label in each. */
    public static final int MIN_PER_LABEL = 10;
    public static final long DEFAULT_SEED = 11;

    private InterferenceTrainer() {
    }

    public static TrainingResult train(List<LabelledSample> samples, long seed) {
        List<LabelledSample> positives = samples.stream().filter(LabelledSample::interference).toList();
        List<LabelledSample> negatives = samples.stream().filter(s -> !s.interference()).toList();
        if (positives.size() < MIN_PER_LABEL || negatives.size() < MIN_PER_LABEL) {
            throw new IllegalArgumentException("samples: need at least " + MIN_PER_LABEL + " of each label, got "
                    + positives.size() + " with label 1 and " + negatives.size() + " with label 0");
        }
        Random random = new Random(seed);
        List<LabelledSample> shuffledPositives = shuffled(positives, random);
        List<LabelledSample> shuffledNegatives = shuffled(negatives, random);

        List<LabelledSample> holdOut = new ArrayList<>();
        List<List<LabelledSample>> folds = new ArrayList<>();
        for (int k = 0; k < FOLDS; k++) {
            folds.add(new ArrayList<>());
        }
        split(shuffledPositives, holdOut, folds);
        split(shuffledNegatives, holdOut, folds);

        List<Double> foldF1s = new ArrayList<>();
        for (int k = 0; k < FOLDS; k++) {
            InterferenceModel model = fit(allExcept(folds, k));
            foldF1s.add(ClassificationMetrics.of(model, folds.get(k)).f1());
        }
        InterferenceModel model = fit(allExcept(folds, -1));
        return new TrainingResult(model, samples.size(), ClassificationMetrics.of(model, holdOut),
                ClassificationMetrics.of(InterferenceModel.RESEARCH_DEFAULT, holdOut), foldF1s);
    }

    /** Standardises on these samples, fits, and folds the standardisation into the model. */
    public static InterferenceModel fit(List<LabelledSample> samples) {
        int n = samples.size();
        double[][] raw = new double[n][];
        boolean[] y = new boolean[n];
        for (int i = 0; i < n; i++) {
            raw[i] = InterferenceFeatures.of(samples.get(i).sample());
            y[i] = samples.get(i).interference();
        }
        double[] means = means(raw);
        double[] scales = scales(raw, means);
        double[][] x = new double[n][InterferenceFeatures.COUNT];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < InterferenceFeatures.COUNT; j++) {
                x[i][j] = (raw[i][j] - means[j]) / scales[j];
            }
        }
        double[] beta = LogisticRegression.fit(x, y, L2);
        double[] coefficients = new double[InterferenceFeatures.COUNT];
        System.arraycopy(beta, 1, coefficients, 0, coefficients.length);
        return new InterferenceModel(beta[0], coefficients, means, scales);
    }

    /** The first quarter of each label's shuffled list is held out; the rest is dealt round the folds. */
    private static void split(List<LabelledSample> shuffled, List<LabelledSample> holdOut, List<List<LabelledSample>> folds) {
        int held = (int) Math.round(shuffled.size() * HOLD_OUT_SHARE);
        holdOut.addAll(shuffled.subList(0, held));
        for (int i = held; i < shuffled.size(); i++) {
            folds.get((i - held) % FOLDS).add(shuffled.get(i));
        }
    }

    private static List<LabelledSample> allExcept(List<List<LabelledSample>> folds, int excluded) {
        List<LabelledSample> out = new ArrayList<>();
        for (int k = 0; k < folds.size(); k++) {
            if (k != excluded) {
                out.addAll(folds.get(k));
            }
        }
        return out;
    }

    private static List<LabelledSample> shuffled(List<LabelledSample> in, Random random) {
        List<LabelledSample> out = new ArrayList<>(in);
        for (int i = out.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            LabelledSample swap = out.get(i);
            out.set(i, out.get(j));
            out.set(j, swap);
        }
        return out;
    }

    private static double[] means(double[][] raw) {
        double[] m = new double[InterferenceFeatures.COUNT];
        for (double[] row : raw) {
            for (int j = 0; j < m.length; j++) {
                m[j] += row[j] / raw.length;
            }
        }
        return m;
    }

    /** Population standard deviation; a constant feature keeps scale 1 (the penalty then zeroes its coefficient). */
    private static double[] scales(double[][] raw, double[] means) {
        double[] s = new double[InterferenceFeatures.COUNT];
        for (double[] row : raw) {
            for (int j = 0; j < s.length; j++) {
                double d = row[j] - means[j];
                s[j] += d * d / raw.length;
            }
        }
        for (int j = 0; j < s.length; j++) {
            s[j] = Math.sqrt(s[j]);
            if (!(s[j] > 1e-12 * Math.max(1, Math.abs(means[j])))) {
                s[j] = 1;
            }
        }
        return s;
    }
}
