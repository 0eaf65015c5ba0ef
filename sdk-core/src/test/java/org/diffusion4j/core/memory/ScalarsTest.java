package org.diffusion4j.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.function.UnaryOperator;
import org.diffusion4j.core.nn.Activations;
import org.junit.jupiter.api.Test;

class ScalarsTest {

    private static final float[] X = {0.5f, -1.5f, 2f, 0.25f};


    /** d/dx Σ f(x), with a garbage collection between the forward and the backward pass. */
    private static float[] gradient(UnaryOperator<NDArray> f) throws InterruptedException {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = NativeArrays.copyOf(m, X, new ai.djl.ndarray.types.Shape(4));
            x.setRequiresGradient(true);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray y = f.apply(x).sum();
                FreedMemory.collectAndOverwrite(m);
                gc.backward(y);
            }
            return x.getGradient().toFloatArray();
        }
    }

    private static void assertGradient(double[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, Math.abs(expected[i])), what + " at " + i);
        }
    }

    @Test
    void gradientsOfScalarOpsSurviveAGarbageCollectionBeforeBackward() throws InterruptedException {
        double[] mul = new double[4];
        double[] div = new double[4];
        double[] pow = new double[4];
        double[] max = new double[4];
        double[] silu = new double[4];
        for (int i = 0; i < 4; i++) {
            double x = X[i];
            mul[i] = 0.7;
            div[i] = 1 / 0.7;
            pow[i] = 3 * x * x;
            max[i] = x > 0.3 ? 1 : 0;
            double s = 1 / (1 + Math.exp(-x));
            silu[i] = s + x * s * (1 - s); // d/dx x·σ(x)
        }
        assertGradient(mul, gradient(x -> Scalars.mul(x, 0.7)), "mul");
        assertGradient(div, gradient(x -> Scalars.div(x, 0.7)), "div");
        assertGradient(pow, gradient(x -> Scalars.pow(x, 3)), "pow");
        assertGradient(max, gradient(x -> Scalars.maximum(x, 0.3)), "maximum");
        assertGradient(silu, gradient(Activations::silu), "silu");
    }

    @Test
    void scalarsTakeTheArraysDtypeAndPrecision() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray d = m.create(new double[] {1.0});
            assertEquals(DataType.FLOAT64, Scalars.mul(d, Math.PI).getDataType());
            assertEquals(Math.PI, Scalars.mul(d, Math.PI).getDouble(0), 0.0);
            assertEquals(1 / Math.log(2), Scalars.div(d, Math.log(2)).getDouble(0), 1e-16);
            NDArray h = m.create(new float[] {2f}).toType(DataType.FLOAT16, false);
            assertEquals(DataType.FLOAT16, Scalars.mul(h, 0.5).getDataType());
        }
    }
}
