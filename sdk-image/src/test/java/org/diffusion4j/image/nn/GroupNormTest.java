package org.diffusion4j.image.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.diffusion4j.core.random.NoiseSource;

class GroupNormTest {

    /** Naive reference: per sample and group, mean and biased variance in double, then the affine map. */
    private static double[] naive(float[] x, int b, int c, int spatial, int groups, float[] gamma, float[] beta, double eps) {
        double[] out = new double[x.length];
        int cpg = c / groups;
        for (int n = 0; n < b; n++) {
            for (int g = 0; g < groups; g++) {
                double sum = 0;
                int count = cpg * spatial;
                for (int ch = g * cpg; ch < (g + 1) * cpg; ch++) {
                    for (int s = 0; s < spatial; s++) {
                        sum += x[(n * c + ch) * spatial + s];
                    }
                }
                double mean = sum / count;
                double var = 0;
                for (int ch = g * cpg; ch < (g + 1) * cpg; ch++) {
                    for (int s = 0; s < spatial; s++) {
                        double d = x[(n * c + ch) * spatial + s] - mean;
                        var += d * d;
                    }
                }
                var /= count;
                for (int ch = g * cpg; ch < (g + 1) * cpg; ch++) {
                    for (int s = 0; s < spatial; s++) {
                        int i = (n * c + ch) * spatial + s;
                        out[i] = (x[i] - mean) / Math.sqrt(var + eps) * gamma[ch] + beta[ch];
                    }
                }
            }
        }
        return out;
    }

    @Property(tries = 25)
    void matchesNaiveComputation(
            @ForAll @IntRange(min = 1, max = 3) int b,
            @ForAll @IntRange(min = 1, max = 4) int groups,
            @ForAll @IntRange(min = 1, max = 3) int channelsPerGroup,
            @ForAll @IntRange(min = 1, max = 5) int h,
            @ForAll @IntRange(min = 1, max = 5) int w,
            @ForAll long seed) {
        int c = groups * channelsPerGroup;
        NoiseSource noise = NoiseSource.seeded(seed);
        try (NDManager m = NDManager.newBaseManager()) {
            GroupNorm gn = new GroupNorm(groups, c, 1e-5f);
            gn.initialize(m, DataType.FLOAT32, new Shape(b, c, h, w));
            float[] gamma = new float[c];
            float[] beta = new float[c];
            for (int i = 0; i < c; i++) {
                gamma[i] = (float) (1 + 0.5 * noise.nextGaussian());
                beta[i] = (float) noise.nextGaussian();
            }
            org.diffusion4j.core.memory.NativeArrays.copyInto(gn.getParameters().get("weight").getArray(), gamma);
            org.diffusion4j.core.memory.NativeArrays.copyInto(gn.getParameters().get("bias").getArray(), beta);
            NDArray x = noise.normal(m, new Shape(b, c, h, w), DataType.FLOAT32).mul(3).add(2);
            float[] xs = x.toFloatArray();
            float[] got = gn.forward(new ParameterStore(m, false), new NDList(x), false).head().toFloatArray();
            double[] want = naive(xs, b, c, h * w, groups, gamma, beta, 1e-5);
            for (int i = 0; i < got.length; i++) {
                assertEquals(want[i], got[i], 1e-4 * (1 + Math.abs(want[i])), "element " + i);
            }
        }
    }

    @Property(tries = 5)
    void float16InputIsNormalisedInFloat32AndCastBack(@ForAll long seed) {
        try (NDManager m = NDManager.newBaseManager()) {
            NoiseSource noise = NoiseSource.seeded(seed);
            NDArray x = noise.normal(m, new Shape(2, 4, 3, 3), DataType.FLOAT32).mul(100);
            NDArray x16 = x.toType(DataType.FLOAT16, false);
            float[] xs = x16.toType(DataType.FLOAT32, false).toFloatArray();
            NDArray gamma = m.ones(new Shape(4));
            NDArray beta = m.zeros(new Shape(4));
            NDArray out = GroupNorm.apply(x16, gamma, beta, 2, 1e-5f);
            assertEquals(DataType.FLOAT16, out.getDataType());
            double[] want = naive(xs, 2, 4, 9, 2, new float[] {1, 1, 1, 1}, new float[4], 1e-5);
            float[] got = out.toType(DataType.FLOAT32, false).toFloatArray();
            for (int i = 0; i < got.length; i++) {
                assertEquals(want[i], got[i], 2e-3 * (1 + Math.abs(want[i])));
            }
        }
    }

    @Property(tries = 1)
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new GroupNorm(32, 48, 1e-5f));
        assertThrows(IllegalArgumentException.class, () -> new GroupNorm(0, 8, 1e-5f));
        assertThrows(IllegalArgumentException.class, () -> new GroupNorm(2, 8, 0f));
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> GroupNorm.apply(m.zeros(new Shape(1, 6, 2, 2)), m.ones(new Shape(8)), m.zeros(new Shape(8)), 2, 1e-5f));
            assertEquals(true, e.getMessage().contains("8 channels"), e.getMessage());
        }
    }
}
