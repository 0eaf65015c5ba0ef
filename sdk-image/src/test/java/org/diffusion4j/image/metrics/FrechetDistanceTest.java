package org.diffusion4j.image.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.diffusion4j.core.random.NoiseSource;

class FrechetDistanceTest {

    @Property(tries = 20)
    void diagonalCovariancesMatchClosedForm(@ForAll @IntRange(min = 1, max = 8) int d, @ForAll long seed) {
        NoiseSource n = NoiseSource.seeded(seed);
        double[] m1 = new double[d];
        double[] m2 = new double[d];
        double[] v1 = new double[d];
        double[] v2 = new double[d];
        double want = 0;
        for (int i = 0; i < d; i++) {
            m1[i] = n.nextGaussian();
            m2[i] = n.nextGaussian();
            v1[i] = 0.1 + 3 * n.nextDouble();
            v2[i] = 0.1 + 3 * n.nextDouble();
            // for commuting (diagonal) covariances: sum (m1-m2)² + (sqrt v1 − sqrt v2)²
            want += Math.pow(m1[i] - m2[i], 2) + Math.pow(Math.sqrt(v1[i]) - Math.sqrt(v2[i]), 2);
        }
        GaussianStatistics a = new GaussianStatistics(m1, MatrixUtils.createRealDiagonalMatrix(v1), 100);
        GaussianStatistics b = new GaussianStatistics(m2, MatrixUtils.createRealDiagonalMatrix(v2), 100);
        assertEquals(want, FrechetDistance.between(a, b), 1e-9 * (1 + want));
        assertEquals(want, FrechetDistance.between(b, a), 1e-9 * (1 + want));
    }

    @Property(tries = 10)
    void rotatedCovariancesAgreeWithTheTwoDimensionalClosedForm(@ForAll long seed) {
        // For 2×2 SPD A, B: tr sqrt(AB) = sqrt(tr(AB) + 2 sqrt(det(AB))) (Cayley-Hamilton on the square root)
        NoiseSource n = NoiseSource.seeded(seed);
        RealMatrix a = spd(n);
        RealMatrix b = spd(n);
        RealMatrix ab = a.multiply(b);
        double det = ab.getEntry(0, 0) * ab.getEntry(1, 1) - ab.getEntry(0, 1) * ab.getEntry(1, 0);
        double trSqrt = Math.sqrt(ab.getTrace() + 2 * Math.sqrt(det));
        double want = a.getTrace() + b.getTrace() - 2 * trSqrt;
        double got = FrechetDistance.between(new GaussianStatistics(new double[2], a, 10),
                new GaussianStatistics(new double[2], b, 10));
        assertEquals(Math.max(0, want), got, 1e-9);
    }

    private static RealMatrix spd(NoiseSource n) {
        RealMatrix g = new Array2DRowRealMatrix(new double[][] {
            {n.nextGaussian(), n.nextGaussian()}, {n.nextGaussian(), n.nextGaussian()}});
        return g.multiply(g.transpose()).add(MatrixUtils.createRealIdentityMatrix(2).scalarMultiply(0.05));
    }

    @Property(tries = 5)
    void setWithItselfIsZero(@ForAll long seed) {
        NoiseSource n = NoiseSource.seeded(seed);
        double[][] rows = new double[50][6];
        for (double[] r : rows) {
            for (int j = 0; j < r.length; j++) {
                r[j] = n.nextGaussian() * (j + 1) + (j == 0 ? r[1] : 0);
            }
        }
        GaussianStatistics s = GaussianStatistics.of(rows);
        assertEquals(0, FrechetDistance.between(s, s), 1e-9);
    }

    @Property(tries = 1)
    void covarianceIsUnbiasedAndNegativeMatricesAreRejected() {
        GaussianStatistics s = GaussianStatistics.of(new double[][] {{1, 2}, {3, 2}, {5, 2}});
        assertEquals(4.0, s.covariance().getEntry(0, 0), 1e-12); // var of 1,3,5 with N−1
        assertEquals(0.0, s.covariance().getEntry(1, 1), 1e-12);
        GaussianStatistics bad = new GaussianStatistics(new double[2], MatrixUtils.createRealDiagonalMatrix(new double[] {1, -0.5}), 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FrechetDistance.between(bad, s));
        assertEquals(true, e.getMessage().contains("positive semi-definite"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GaussianStatistics.of(new double[][] {{1}}));
    }
}
