// SPDX-License-Identifier: Apache-2.0
package io.migov.core.storage;

/**
 * Maximum-likelihood logistic regression with an L2 penalty, fitted by Newton's method (IRLS) with
 * a backtracking line search. Minimises
 * {@code Σ_i [ln(1 + e^{z_i}) − y_i z_i] + λ/2 · Σ_{j≥1} β_j²}, {@code z_i = β_0 + Σ_j β_j x_ij};
 * the intercept β_0 is not penalised. The objective is convex (strictly, for λ > 0), so the result
 * does not depend on a starting point or a learning rate: the same data give the same model.
 */
public final class LogisticRegression {

    private static final int MAX_ITERATIONS = 200;
    private static final double STEP_TOLERANCE = 1e-10;

    private LogisticRegression() {
    }

    /**
     * @param x  n rows of d features (no intercept column)
     * @param y  n labels
     * @param l2 λ ≥ 0; with λ = 0 separable data have no finite maximum and the fit fails
     * @return β of length d + 1, β[0] the intercept
     */
    public static double[] fit(double[][] x, boolean[] y, double l2) {
        validate(x, y, l2);
        int d = x[0].length + 1;
        double[] beta = new double[d];
        double objective = objective(x, y, l2, beta);
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            double[] step = solve(hessian(x, l2, beta), gradient(x, y, l2, beta));
            double t = 1.0;
            double[] next = minus(beta, step, t);
            double nextObjective = objective(x, y, l2, next);
            // a full Newton step can overshoot where the likelihood is flat; halve until it helps
            while (nextObjective > objective && t > 1e-12) {
                t /= 2;
                next = minus(beta, step, t);
                nextObjective = objective(x, y, l2, next);
            }
            boolean converged = maxAbs(step) * t < STEP_TOLERANCE * (1 + maxAbs(beta));
            beta = next;
            objective = Math.min(objective, nextObjective);
            if (converged) {
                return beta;
            }
        }
        throw new IllegalArgumentException("samples: the fit did not converge in " + MAX_ITERATIONS
                + " Newton steps (separable data need l2 > 0), l2 = " + l2);
    }

    /** The penalised negative log-likelihood the fit minimises. */
    public static double objective(double[][] x, boolean[] y, double l2, double[] beta) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            double z = linear(x[i], beta);
            sum += softplus(z) - (y[i] ? z : 0);
        }
        return sum + l2 / 2 * penaltySquares(beta);
    }

    static double linear(double[] row, double[] beta) {
        double z = beta[0];
        for (int j = 0; j < row.length; j++) {
            z += beta[j + 1] * row[j];
        }
        return z;
    }

    /** ln(1 + e^z) without overflow. */
    static double softplus(double z) {
        return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
    }

    private static double penaltySquares(double[] beta) {
        double s = 0;
        for (int j = 1; j < beta.length; j++) {
            s += beta[j] * beta[j];
        }
        return s;
    }

    private static double[] gradient(double[][] x, boolean[] y, double l2, double[] beta) {
        double[] g = new double[beta.length];
        for (int i = 0; i < x.length; i++) {
            double residual = InterferenceModel.sigmoid(linear(x[i], beta)) - (y[i] ? 1 : 0);
            g[0] += residual;
            for (int j = 0; j < x[i].length; j++) {
                g[j + 1] += residual * x[i][j];
            }
        }
        for (int j = 1; j < g.length; j++) {
            g[j] += l2 * beta[j];
        }
        return g;
    }

    private static double[][] hessian(double[][] x, double l2, double[] beta) {
        int d = beta.length;
        double[][] h = new double[d][d];
        double[] row = new double[d];
        row[0] = 1;
        for (double[] xi : x) {
            double p = InterferenceModel.sigmoid(linear(xi, beta));
            double w = p * (1 - p);
            System.arraycopy(xi, 0, row, 1, xi.length);
            for (int a = 0; a < d; a++) {
                for (int b = a; b < d; b++) {
                    h[a][b] += w * row[a] * row[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < a; b++) {
                h[a][b] = h[b][a];
            }
            if (a > 0) {
                h[a][a] += l2;
            }
        }
        return h;
    }

    /** Solves h·s = g by Gaussian elimination with partial pivoting. */
    static double[] solve(double[][] h, double[] g) {
        int d = g.length;
        double[][] a = new double[d][];
        double scale = 0;
        for (int r = 0; r < d; r++) {
            a[r] = new double[d + 1];
            System.arraycopy(h[r], 0, a[r], 0, d);
            a[r][d] = g[r];
            scale = Math.max(scale, Math.abs(h[r][r]));
        }
        for (int col = 0; col < d; col++) {
            int pivot = col;
            for (int r = col + 1; r < d; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            if (!(Math.abs(a[pivot][col]) > 1e-13 * Math.max(scale, Double.MIN_NORMAL))) {
                throw new IllegalArgumentException("samples: singular Hessian (collinear or constant features, or separable data); use l2 > 0");
            }
            double[] swap = a[col];
            a[col] = a[pivot];
            a[pivot] = swap;
            for (int r = col + 1; r < d; r++) {
                double factor = a[r][col] / a[col][col];
                for (int c = col; c <= d; c++) {
                    a[r][c] -= factor * a[col][c];
                }
            }
        }
        double[] s = new double[d];
        for (int r = d - 1; r >= 0; r--) {
            double v = a[r][d];
            for (int c = r + 1; c < d; c++) {
                v -= a[r][c] * s[c];
            }
            s[r] = v / a[r][r];
        }
        return s;
    }

    private static double[] minus(double[] beta, double[] step, double t) {
        double[] out = new double[beta.length];
        for (int j = 0; j < beta.length; j++) {
            out[j] = beta[j] - t * step[j];
        }
        return out;
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double e : v) {
            m = Math.max(m, Math.abs(e));
        }
        return m;
    }

    private static void validate(double[][] x, boolean[] y, double l2) {
        if (!(l2 >= 0) || l2 == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("l2: expected a finite value ≥ 0, got " + l2);
        }
        if (x.length == 0 || x.length != y.length) {
            throw new IllegalArgumentException("samples: expected as many labels as rows (≥ 1), got " + x.length + " rows and " + y.length + " labels");
        }
        int d = x[0].length;
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != d) {
                throw new IllegalArgumentException("x[" + i + "]: expected " + d + " features, got " + x[i].length);
            }
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(x[i][j])) {
                    throw new IllegalArgumentException("x[" + i + "][" + j + "]: expected a finite number, got " + x[i][j]);
                }
            }
        }
    }
}
