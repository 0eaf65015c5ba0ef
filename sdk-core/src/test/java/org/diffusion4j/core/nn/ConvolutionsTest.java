package org.diffusion4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.diffusion4j.core.random.NoiseSource;

class ConvolutionsTest {

    @Property(tries = 12)
    void theShiftedFormulationEqualsTheNativeConvolution(@ForAll @IntRange(min = 1, max = 2) int stride,
                                                          @ForAll @IntRange(min = 0, max = 1) int padding,
                                                          @ForAll @IntRange(min = 1, max = 1000) int seed) {
        try (NDManager m = NDManager.newBaseManager()) {
            NoiseSource n = NoiseSource.seeded(seed);
            NDArray x = n.normal(m, new Shape(2, 3, 7, 6), DataType.FLOAT64);
            NDArray w = n.normal(m, new Shape(4, 3, 3, 3), DataType.FLOAT64);
            NDArray b = n.normal(m, new Shape(4), DataType.FLOAT64);
            NDArray reference = Conv2d.conv2d(x, w, b, new Shape(stride, stride), new Shape(padding, padding),
                    new Shape(1, 1), 1).head();
            w.setRequiresGradient(true); // grad mode on: the shifted path runs
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray shifted = Convolutions.conv2d(x, w, b, stride, padding);
                assertEquals(reference.getShape(), shifted.getShape());
                assertTrue(reference.sub(shifted).abs().max().getDouble() < 1e-12);
                gc.backward(shifted.sum());
            }
        }
    }

    @Property(tries = 4)
    void inputGradientsMatchFiniteDifferences(@ForAll @IntRange(min = 1, max = 1000) int seed) {
        // L(x) = Σ g ⊙ conv(x): dL/dx at a few entries against central differences in float64.
        try (NDManager m = NDManager.newBaseManager()) {
            NoiseSource n = NoiseSource.seeded(seed);
            NDArray x = n.normal(m, new Shape(1, 2, 5, 5), DataType.FLOAT64);
            NDArray w = n.normal(m, new Shape(3, 2, 3, 3), DataType.FLOAT64);
            NDArray g = n.normal(m, new Shape(1, 3, 5, 5), DataType.FLOAT64);
            x.setRequiresGradient(true);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                gc.backward(Convolutions.conv2d(x, w, null, 1, 1).mul(g).sum());
            }
            double[] analytic = x.getGradient().toDoubleArray();
            double[] base = x.toDoubleArray();
            double h = 1e-6;
            for (int idx : new int[] {0, 7, 12, 24, 31, 49}) {
                double[] plus = base.clone();
                double[] minus = base.clone();
                plus[idx] += h;
                minus[idx] -= h;
                double lp = loss(m, plus, w, g);
                double lm = loss(m, minus, w, g);
                assertEquals((lp - lm) / (2 * h), analytic[idx], 1e-6, "dL/dx[" + idx + "]");
            }
        }
    }

    private static double loss(NDManager m, double[] x, NDArray w, NDArray g) {
        NDArray xs = m.create(x, new Shape(1, 2, 5, 5));
        return Conv2d.conv2d(xs, w, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1).head().mul(g).sum()
                .getDouble();
    }
}
