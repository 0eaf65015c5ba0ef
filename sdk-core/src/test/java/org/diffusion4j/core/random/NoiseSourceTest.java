package org.diffusion4j.core.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NoiseSourceTest {

    @Test
    void sameSeedGivesSameNoiseAndDifferentSeedsDiffer() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] a = NoiseSource.seeded(7).normal(manager, new Shape(4, 8), DataType.FLOAT32).toFloatArray();
            float[] b = NoiseSource.seeded(7).normal(manager, new Shape(4, 8), DataType.FLOAT32).toFloatArray();
            float[] c = NoiseSource.seeded(8).normal(manager, new Shape(4, 8), DataType.FLOAT32).toFloatArray();
            assertArrayEquals(a, b);
            assertFalse(Arrays.equals(a, c));
        }
    }

    @Test
    void drawsAreStandardNormal() {
        // 200k draws: the standard error of the mean is 1/sqrt(2e5) = 0.0022 and of the variance
        // sqrt(2/2e5) = 0.0032; 5 standard errors gives the tolerances below.
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = NoiseSource.seeded(1).normal(manager, new Shape(200_000), DataType.FLOAT32);
            double[] v = new double[200_000];
            float[] f = x.toFloatArray();
            double mean = 0;
            for (int i = 0; i < f.length; i++) {
                v[i] = f[i];
                mean += f[i];
            }
            mean /= f.length;
            double var = 0;
            for (double d : v) {
                var += (d - mean) * (d - mean);
            }
            var /= f.length;
            assertEquals(0.0, mean, 0.011);
            assertEquals(1.0, var, 0.016);
        }
    }
}
