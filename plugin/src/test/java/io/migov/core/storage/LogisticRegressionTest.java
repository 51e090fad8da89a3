// SPDX-License-Identifier: Apache-2.0
package io.migov.core.storage;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogisticRegressionTest {

    /** Negative log-likelihood plus penalty, computed independently of the class under test. */
    private static double referenceObjective(double[][] x, boolean[] y, double l2, double[] beta) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            double z = beta[0];
            for (int j = 0; j < x[i].length; j++) {
                z += beta[j + 1] * x[i][j];
            }
            double p = 1 / (1 + Math.exp(-z));
            sum -= y[i] ? Math.log(p) : Math.log(1 - p);
        }
        for (int j = 1; j < beta.length; j++) {
            sum += l2 / 2 * beta[j] * beta[j];
        }
        return sum;
    }

    /** Two noisy features: overlapping classes, so the unpenalised maximum exists. */
    private static Object[] noisyData(int n, long seed) {
        Random r = new Random(seed);
        double[][] x = new double[n][2];
        boolean[] y = new boolean[n];
        for (int i = 0; i < n; i++) {
            x[i][0] = r.nextGaussian();
            x[i][1] = r.nextGaussian();
            double p = 1 / (1 + Math.exp(-(0.5 + 1.5 * x[i][0] - 0.8 * x[i][1])));
            y[i] = r.nextDouble() < p;
        }
        return new Object[] {x, y};
    }

    @Test
    void fit_oneBinaryFeature_givesTheClosedFormMle() {
        // x = 0: 3 of 10 positive; x = 1: 8 of 10. The MLE reproduces both group frequencies:
        // β0 = ln(3/7), β0 + β1 = ln(8/2)
        double[][] x = new double[20][1];
        boolean[] y = new boolean[20];
        for (int i = 0; i < 20; i++) {
            x[i][0] = i < 10 ? 0 : 1;
            y[i] = i < 10 ? i < 3 : i < 18;
        }
        double[] beta = LogisticRegression.fit(x, y, 0);
        assertEquals(Math.log(3.0 / 7), beta[0], 1e-9);
        assertEquals(Math.log(8.0 / 2) - Math.log(3.0 / 7), beta[1], 1e-9);
    }

    @Test
    void fit_noisyData_isTheMinimumOfTheReferenceObjective() {
        Object[] data = noisyData(300, 5);
        double[][] x = (double[][]) data[0];
        boolean[] y = (boolean[]) data[1];
        double l2 = 0.5;
        double[] beta = LogisticRegression.fit(x, y, l2);
        double best = referenceObjective(x, y, l2, beta);
        assertEquals(best, LogisticRegression.objective(x, y, l2, beta), 1e-9);
        double h = 1e-5;
        for (int j = 0; j < beta.length; j++) {
            double[] up = beta.clone();
            double[] down = beta.clone();
            up[j] += h;
            down[j] -= h;
            double fUp = referenceObjective(x, y, l2, up);
            double fDown = referenceObjective(x, y, l2, down);
            assertEquals(0, (fUp - fDown) / (2 * h), 1e-5, "gradient component " + j);
            assertTrue(fUp > best && fDown > best, "β" + j + " is not at a minimum");
        }
        // and near the generating coefficients, 300 samples being enough to tell their signs
        assertTrue(beta[1] > 0.8 && beta[2] < -0.3, java.util.Arrays.toString(beta));
    }

    @Test
    void fit_largerPenalty_shrinksTheSlopesButNotTheIntercept() {
        Object[] data = noisyData(300, 6);
        double[][] x = (double[][]) data[0];
        boolean[] y = (boolean[]) data[1];
        double[] loose = LogisticRegression.fit(x, y, 0);
        double[] tight = LogisticRegression.fit(x, y, 1000);
        assertTrue(Math.hypot(tight[1], tight[2]) < 0.5 * Math.hypot(loose[1], loose[2]));
        // with slopes near 0 the intercept carries the base rate alone
        long positives = 0;
        for (boolean b : y) {
            positives += b ? 1 : 0;
        }
        assertEquals(Math.log((double) positives / (300 - positives)), tight[0], 0.15);
    }

    @Test
    void fit_separableDataWithPenalty_isFiniteAndClassifiesEveryRow() {
        double[][] x = {{-3}, {-2}, {-1}, {-0.5}, {0.5}, {1}, {2}, {3}};
        boolean[] y = {false, false, false, false, true, true, true, true};
        double[] beta = LogisticRegression.fit(x, y, 0.01);
        assertTrue(Double.isFinite(beta[1]) && beta[1] > 0 && beta[1] < 100, java.util.Arrays.toString(beta));
        for (int i = 0; i < x.length; i++) {
            assertEquals(y[i], LogisticRegression.linear(x[i], beta) > 0, "row " + i);
        }
    }

    @Test
    void fit_separableDataWithoutPenalty_failsInsteadOfReturningAHugeModel() {
        double[][] x = {{-2}, {-1}, {1}, {2}};
        boolean[] y = {false, false, true, true};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LogisticRegression.fit(x, y, 0));
        assertTrue(e.getMessage().startsWith("samples: "), e.getMessage());
    }

    @Test
    void fit_badArguments_nameTheField() {
        assertEquals("l2: expected a finite value ≥ 0, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> LogisticRegression.fit(new double[][] {{1}}, new boolean[] {true}, -1)).getMessage());
        assertEquals("x[1][0]: expected a finite number, got NaN",
                assertThrows(IllegalArgumentException.class,
                        () -> LogisticRegression.fit(new double[][] {{1}, {Double.NaN}}, new boolean[] {true, false}, 1)).getMessage());
    }

    @Test
    void solve_smallSystem_matchesTheHandSolution() {
        // 2a + b = 5, a + 3b = 10 → a = 1, b = 3
        double[] s = LogisticRegression.solve(new double[][] {{2, 1}, {1, 3}}, new double[] {5, 10});
        assertEquals(1, s[0], 1e-12);
        assertEquals(3, s[1], 1e-12);
    }
}
