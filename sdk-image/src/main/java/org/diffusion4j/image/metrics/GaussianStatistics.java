package org.diffusion4j.image.metrics;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;

/** Mean and covariance of feature rows, in double: FID's Gaussian fit (unbiased covariance, as np.cov). */
public record GaussianStatistics(double[] mean, RealMatrix covariance, int count) {

    public GaussianStatistics {
        mean = mean.clone();
        if (covariance.getRowDimension() != mean.length || covariance.getColumnDimension() != mean.length) {
            throw new IllegalArgumentException("covariance: expected " + mean.length + "×" + mean.length + ", got "
                    + covariance.getRowDimension() + "×" + covariance.getColumnDimension());
        }
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    /** Fits rows [N][D] (N ≥ 2). */
    public static GaussianStatistics of(double[][] rows) {
        int n = rows.length;
        if (n < 2) {
            throw new IllegalArgumentException("rows: expected at least 2 feature vectors, got " + n);
        }
        int d = rows[0].length;
        double[] mu = new double[d];
        for (double[] r : rows) {
            if (r.length != d) {
                throw new IllegalArgumentException("rows: expected all of length " + d + ", got " + r.length);
            }
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(r[j])) {
                    throw new IllegalArgumentException("rows: expected finite features, got " + r[j]);
                }
                mu[j] += r[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mu[j] /= n;
        }
        double[][] cov = new double[d][d];
        double[] c = new double[d];
        for (double[] r : rows) {
            for (int j = 0; j < d; j++) {
                c[j] = r[j] - mu[j];
            }
            for (int i = 0; i < d; i++) {
                double ci = c[i];
                double[] row = cov[i];
                for (int j = i; j < d; j++) {
                    row[j] += ci * c[j];
                }
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                cov[i][j] /= (n - 1);
                cov[j][i] = cov[i][j];
            }
        }
        return new GaussianStatistics(mu, new Array2DRowRealMatrix(cov, false), n);
    }
}
