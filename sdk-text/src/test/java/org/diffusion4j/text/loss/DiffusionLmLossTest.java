package org.diffusion4j.text.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class DiffusionLmLossTest {

    @Test
    void x0IsEmbeddingPlusSigmaZeroNoise() {
        try (NDManager m = NDManager.newBaseManager()) {
            // alpha_bar_0 = 0.75 ⇒ σ0 = 0.5; x0 = [1, 2] + 0.5·[2, −2] = [2, 1]
            NDArray x0 = DiffusionLmLoss.sampleX0(m.create(new float[] {1, 2}, new Shape(1, 1, 2)), 0.75,
                    m.create(new float[] {2, -2}, new Shape(1, 1, 2)));
            assertArrayEquals(new float[] {2, 1}, x0.toFloatArray(), 1e-6f);
            assertEquals(Math.sqrt(1 - 0.985359), DiffusionLmLoss.sigma0(0.985359), 1e-12); // ≈ 0.121, sqrt schedule
            assertThrows(IllegalArgumentException.class, () -> DiffusionLmLoss.sampleX0(m.zeros(new Shape(1, 2)), 0.5, m.zeros(new Shape(2))));
            assertThrows(IllegalArgumentException.class, () -> DiffusionLmLoss.sigma0(0));
        }
    }

    @Test
    void roundingNllIsMeanCrossEntropyOverPositions() {
        try (NDManager m = NDManager.newBaseManager()) {
            // position 0: logits [0, 0], w = 0 ⇒ −log(1/2); position 1: logits [ln 3, 0], w = 0 ⇒ −log(3/4)
            NDArray logits = m.create(new float[] {0, 0, (float) Math.log(3), 0}, new Shape(1, 2, 2));
            NDArray nll = DiffusionLmLoss.roundingNll(logits, m.create(new long[] {0, 0}, new Shape(1, 2)));
            assertEquals((Math.log(2) + Math.log(4.0 / 3)) / 2, nll.getFloat(0), 1e-6);
            NDArray other = DiffusionLmLoss.roundingNll(logits, m.create(new long[] {1, 1}, new Shape(1, 2)));
            assertEquals((Math.log(2) + Math.log(4.0)) / 2, other.getFloat(0), 1e-6);
            assertThrows(IllegalArgumentException.class, () -> DiffusionLmLoss.roundingNll(logits, m.create(new long[] {0})));
        }
    }

    @Test
    void priorTermScalesByAlphaBarT() {
        try (NDManager m = NDManager.newBaseManager()) {
            // √0.04 = 0.2: (0.2·3)² + (0.2·4)² = 1, mean over 2 elements = 0.5
            NDArray prior = DiffusionLmLoss.priorTerm(m.create(new float[] {3, 4}, new Shape(1, 1, 2)), 0.04);
            assertEquals(0.5, prior.getFloat(0), 1e-6);
        }
    }

    @Test
    void mseUsesTheCleanEmbeddingAtTimestepZero() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray pred = m.create(new float[] {1, 1, 1, 1}, new Shape(2, 1, 2));
            NDArray x0 = m.create(new float[] {2, 2, 3, 3}, new Shape(2, 1, 2));
            NDArray mean = m.create(new float[] {1, 3, 0, 0}, new Shape(2, 1, 2));
            NDArray mse = DiffusionLmLoss.x0Mse(pred, x0, mean, m.create(new long[] {0, 7}));
            // example 0 (t = 0): ((1−1)² + (1−3)²)/2 = 2; example 1: ((1−3)² + (1−3)²)/2 = 4
            assertArrayEquals(new float[] {2, 4}, mse.toFloatArray(), 1e-6f);
            DiffusionLmLoss.Terms terms = DiffusionLmLoss.terms(pred, x0, mean, m.create(new long[] {0, 7}),
                    m.zeros(new Shape(2, 1, 2)), m.create(new long[] {0, 1}, new Shape(2, 1)), 0.25);
            // nll = ln 2 each; prior = 0.25·(x0²) mean: ex0 0.25·4 = 1, ex1 0.25·9 = 2.25
            float ln2 = (float) Math.log(2);
            assertArrayEquals(new float[] {2 + ln2 + 1, 4 + ln2 + 2.25f}, terms.total().toFloatArray(), 1e-5f);
        }
    }
}
