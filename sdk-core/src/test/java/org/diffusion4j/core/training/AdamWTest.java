package org.diffusion4j.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.diffusion4j.core.random.NoiseSource;
import org.junit.jupiter.api.Test;

class AdamWTest {

    /** Three updates against a scalar-by-scalar reference of PyTorch's AdamW formula written in double here. */
    @Test
    void matchesAReferenceImplementation() {
        double b1 = 0.9;
        double b2 = 0.99;
        double eps = 1e-8;
        double wd = 0.1;
        double[] lrs = {0.01, 0.02, 0.005};
        double[] scales = {1.0, 0.5, 0.25};
        NoiseSource noise = NoiseSource.seeded(3);
        int n = 7;
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = noise.nextGaussian();
        }
        double[][] g = new double[3][n];
        for (double[] row : g) {
            for (int i = 0; i < n; i++) {
                row[i] = noise.nextGaussian();
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray param = manager.create(toFloat(p));
            AdamW adam = new AdamW(manager, List.of(param), b1, b2, eps, wd);
            double[] ref = p.clone();
            double[] m = new double[n];
            double[] v = new double[n];
            for (int k = 0; k < 3; k++) {
                try (NDManager step = manager.newSubManager()) {
                    step.tempAttachAll(param);
                    adam.step(step, List.of(param), List.of(step.create(toFloat(g[k]))), lrs[k], scales[k]);
                }
                int count = k + 1;
                for (int i = 0; i < n; i++) {
                    double gi = (float) g[k][i] * scales[k];
                    ref[i] *= 1 - lrs[k] * wd;
                    m[i] = b1 * m[i] + (1 - b1) * gi;
                    v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                    double mHat = m[i] / (1 - Math.pow(b1, count));
                    double denom = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(b2, count)) + eps;
                    ref[i] -= lrs[k] * mHat / denom;
                }
            }
            float[] got = param.toFloatArray();
            for (int i = 0; i < n; i++) {
                assertEquals(ref[i], got[i], 1e-5, "parameter " + i);
            }
            assertEquals(3, adam.updates());
        }
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
