package org.diffusion4j.image.metrics;

import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Fréchet distance between two Gaussians (Dowson and Landau 1982), the FID of Heusel et al. (2017):
 * {@code d² = |μ1 − μ2|² + tr Σ1 + tr Σ2 − 2 tr sqrt(Σ1 Σ2)}.
 *
 * <p>Σ1Σ2 is not symmetric, so its square root is taken through the similar symmetric PSD matrix
 * {@code S = sqrt(Σ1) Σ2 sqrt(Σ1)}: tr sqrt(Σ1Σ2) = tr sqrt(S) = Σ sqrt(λ_i(S)). Eigenvalues of the
 * symmetric decompositions that are negative only by round-off are clamped to 0; a significantly
 * negative one (below −{@code tolerance} × the largest) means the input is not a covariance and is rejected
 * (the analogue of pytorch-fid's check of the imaginary part of scipy's sqrtm).
 */
public final class FrechetDistance {

    /** Relative size of a negative eigenvalue tolerated as round-off. */
    public static final double DEFAULT_TOLERANCE = 1e-6;

    private FrechetDistance() {}

    public static double between(GaussianStatistics a, GaussianStatistics b) {
        return between(a, b, DEFAULT_TOLERANCE);
    }

    public static double between(GaussianStatistics a, GaussianStatistics b, double tolerance) {
        double[] m1 = a.mean();
        double[] m2 = b.mean();
        if (m1.length != m2.length) {
            throw new IllegalArgumentException("b: expected " + m1.length + " features, got " + m2.length);
        }
        double meanTerm = 0;
        for (int i = 0; i < m1.length; i++) {
            double d = m1[i] - m2[i];
            meanTerm += d * d;
        }
        RealMatrix s1 = a.covariance();
        RealMatrix s2 = b.covariance();
        RealMatrix root1 = sqrtSymmetric(s1, tolerance, "covariance a");
        RealMatrix inner = root1.multiply(s2).multiply(root1);
        double traceSqrt = 0;
        for (double l : eigenvalues(inner, tolerance, "sqrt(Σa) Σb sqrt(Σa)")) {
            traceSqrt += Math.sqrt(l);
        }
        double d2 = meanTerm + s1.getTrace() + s2.getTrace() - 2 * traceSqrt;
        // d² ≥ 0 mathematically; round-off can give -1e-12 for identical inputs
        return Math.max(0, d2);
    }

    /** Symmetric PSD square root V diag(sqrt λ) Vᵀ. */
    static RealMatrix sqrtSymmetric(RealMatrix m, double tolerance, String what) {
        RealMatrix sym = symmetrize(m);
        EigenDecomposition e = new EigenDecomposition(sym);
        double[] l = clamp(e.getRealEigenvalues(), tolerance, what);
        double[] r = new double[l.length];
        for (int i = 0; i < l.length; i++) {
            r[i] = Math.sqrt(l[i]);
        }
        RealMatrix v = e.getV();
        return v.multiply(MatrixUtils.createRealDiagonalMatrix(r)).multiply(v.transpose());
    }

    private static double[] eigenvalues(RealMatrix m, double tolerance, String what) {
        return clamp(new EigenDecomposition(symmetrize(m)).getRealEigenvalues(), tolerance, what);
    }

    private static RealMatrix symmetrize(RealMatrix m) {
        if (!m.isSquare()) {
            throw new IllegalArgumentException("matrix: expected square, got " + m.getRowDimension() + "×" + m.getColumnDimension());
        }
        return m.add(m.transpose()).scalarMultiply(0.5);
    }

    private static double[] clamp(double[] l, double tolerance, String what) {
        double max = 0;
        for (double v : l) {
            max = Math.max(max, Math.abs(v));
        }
        double[] out = new double[l.length];
        for (int i = 0; i < l.length; i++) {
            if (Double.isNaN(l[i])) {
                throw new IllegalArgumentException(what + ": expected finite eigenvalues, got NaN");
            }
            if (l[i] < -tolerance * Math.max(max, 1e-300)) {
                throw new IllegalArgumentException(what + ": expected a positive semi-definite matrix, got eigenvalue "
                        + l[i] + " (largest magnitude " + max + ")");
            }
            out[i] = Math.max(0, l[i]);
        }
        return out;
    }
}
