package org.diffusion4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import org.diffusion4j.core.model.BlockDenoiser;
import org.diffusion4j.core.random.NoiseSource;
import org.junit.jupiter.api.Test;

class MlpDenoiserBlockTest {

    @Test
    void sinusoidalEmbeddingMatchesTheFormula() {
        try (NDManager m = NDManager.newBaseManager()) {
            long[] ts = {0, 1, 17, 999};
            int dim = 7;
            float[] got = TimestepEmbedding.sinusoidal(m.create(ts), dim).toFloatArray();
            int half = dim / 2;
            for (int b = 0; b < ts.length; b++) {
                for (int i = 0; i < half; i++) {
                    double f = Math.pow(10_000.0, -(double) i / half);
                    assertEquals(Math.cos(ts[b] * f), got[b * dim + i], 1e-4);
                    assertEquals(Math.sin(ts[b] * f), got[b * dim + half + i], 1e-4);
                }
                assertEquals(0f, got[b * dim + dim - 1], "odd dim pads with a zero column");
            }
        }
    }

    @Test
    void seededInitialisationIsReproducibleAndBounded() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[][] runs = new float[2][];
            for (int r = 0; r < 2; r++) {
                MlpDenoiserBlock block = MlpDenoiserBlock.builder().width(16).build();
                block.setInitializer(new SeededInitializer(NoiseSource.seeded(4)), Parameter.Type.WEIGHT);
                block.initialize(m, DataType.FLOAT32, new Shape(3, 2), new Shape(3));
                NDArray w = block.getParameters().valueAt(0).getArray();
                runs[r] = w.toFloatArray();
                double a = Math.sqrt(6.0 / (16 + 2 + 32));
                for (float f : runs[r]) {
                    assertTrue(Math.abs(f) <= a, "|w| <= Glorot bound " + a);
                }
            }
            assertArrayEquals(runs[0], runs[1]);
        }
    }

    @Test
    void conditionalForwardShapesAndBadInput() {
        try (NDManager m = NDManager.newBaseManager()) {
            MlpDenoiserBlock block = MlpDenoiserBlock.builder().dataDim(3).width(8).depth(2).numClasses(4).build();
            block.initialize(m, DataType.FLOAT32, new Shape(5, 3), new Shape(5), new Shape(5));
            BlockDenoiser d = new BlockDenoiser(block, new ParameterStore(m, false), false);
            NDArray x = m.zeros(new Shape(5, 3));
            NDArray t = m.create(new long[] {0, 1, 2, 3, 4});
            NDArray label = m.create(new long[] {0, 1, 2, 3, 4}); // 4 = the null class
            assertEquals(new Shape(5, 3), d.predict(x, t, new ai.djl.ndarray.NDList(label)).getShape());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> d.predict(m.zeros(new Shape(5, 2)), t, new ai.djl.ndarray.NDList(label)));
            assertTrue(e.getMessage().startsWith("x:"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> d.predict(x, t));
            assertTrue(e.getMessage().startsWith("inputs:"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> MlpDenoiserBlock.builder().depth(0).build());
        }
    }
}
