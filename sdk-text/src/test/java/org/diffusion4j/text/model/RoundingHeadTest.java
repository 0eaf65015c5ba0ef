package org.diffusion4j.text.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

class RoundingHeadTest {

    @org.junit.jupiter.api.Test
    void logitsAreTiedToTheEmbeddingPlusBias() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray e = m.create(new float[] {1, 0, 0, 2, -1, 1}, new Shape(3, 2));
            NDArray b = m.create(new float[] {0.5f, 0, -1});
            NDArray x = m.create(new float[] {2, 3}, new Shape(1, 1, 2));
            // x·e0 = 2, x·e1 = 6, x·e2 = 1 → + b
            assertArrayEquals(new float[] {2.5f, 6f, 0f}, RoundingOps.logits(x, e, b).toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {0, 2, 1, 0}, RoundingOps.embed(e, m.create(new long[] {1, 0}, new Shape(2, 1))).toFloatArray(), 0f);
            assertThrows(IllegalArgumentException.class, () -> RoundingOps.embed(e, m.create(new long[] {3})));
            assertThrows(IllegalArgumentException.class, () -> RoundingOps.logits(x, e, m.zeros(new Shape(2))));
        }
    }
}
