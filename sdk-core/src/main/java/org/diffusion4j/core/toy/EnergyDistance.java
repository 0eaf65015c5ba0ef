package org.diffusion4j.core.toy;

/**
 * The energy distance between two point sets (Székely & Rizzo 2013):
 * E(X, Y) = 2·mean‖x − y‖ − mean‖x − x'‖ − mean‖y − y'‖ over all pairs, with the Euclidean norm. It is the
 * squared maximum mean discrepancy for the (conditionally negative definite) kernel −‖x − y‖, so it is ≥ 0 and
 * zero only when the two distributions coincide; its unit is that of the data. This is the V-statistic (pairs
 * i = j included), so E(X, X) = 0 exactly. Cost O((n + m)²·d); fine for a few thousand points.
 */
public final class EnergyDistance {

    private EnergyDistance() {
    }

    /**
     * E(X, Y) for row-major point sets x [n, dim] and y [m, dim].
     *
     * @throws IllegalArgumentException if dim is below 1, a set is empty, its length is not a multiple of dim,
     *                                  or it holds a non-finite value
     */
    public static double between(float[] x, float[] y, int dim) {
        if (dim < 1) {
            throw new IllegalArgumentException("dim: expected at least 1, got " + dim);
        }
        check("x", x, dim);
        check("y", y, dim);
        double xy = meanPairDistance(x, y, dim);
        double xx = meanPairDistance(x, x, dim);
        double yy = meanPairDistance(y, y, dim);
        return Math.max(0.0, 2.0 * xy - xx - yy);
    }

    private static void check(String name, float[] points, int dim) {
        if (points == null || points.length == 0) {
            throw new IllegalArgumentException(name + ": expected at least one point, got none");
        }
        if (points.length % dim != 0) {
            throw new IllegalArgumentException(name + ": expected a length that is a multiple of dim " + dim
                    + ", got " + points.length);
        }
        for (int i = 0; i < points.length; i++) {
            if (!Float.isFinite(points[i])) {
                throw new IllegalArgumentException(name + ": expected finite values, got " + points[i] + " at index " + i);
            }
        }
    }

    private static double meanPairDistance(float[] a, float[] b, int dim) {
        int n = a.length / dim;
        int m = b.length / dim;
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            double row = 0.0;
            for (int j = 0; j < m; j++) {
                double sq = 0.0;
                for (int k = 0; k < dim; k++) {
                    double d = (double) a[i * dim + k] - b[j * dim + k];
                    sq += d * d;
                }
                row += Math.sqrt(sq);
            }
            sum += row;
        }
        return sum / ((double) n * m);
    }
}
