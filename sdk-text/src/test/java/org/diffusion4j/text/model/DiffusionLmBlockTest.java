package org.diffusion4j.text.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.diffusion4j.core.model.BlockDenoiser;
import org.diffusion4j.core.random.NoiseSource;
import org.junit.jupiter.api.Test;

class DiffusionLmBlockTest {

    @Test
    void paperConfigurationHasTheReferenceParameterCount() {
        // Itemised from the Diffusion-LM E2E network (V = 821, d = 16, BERT-base encoder):
        long time = 128 * 512 + 512 + 512 * 768 + 768;                 // 460,032
        long up = 16 * 768 + 768 + 768 * 768 + 768;                     // 603,648
        long positions = 512 * 768;                                     // 393,216
        long norm = 2 * 768;
        long bertLayer = 4 * (768 * 768 + 768) + 2 * 768 + 768 * 3072 + 3072 + 3072 * 768 + 768 + 2 * 768; // 7,087,872
        long down = 768 * 768 + 768 + 768 * 16 + 16;                    // 602,896
        long embeddingAndBias = 821 * 16 + 821;
        long expected = time + up + positions + norm + 12 * bertLayer + down + embeddingAndBias;
        assertEquals(87_129_749L, expected);
        assertEquals(expected, DiffusionLmConfig.paper(821).parameterCount());
    }

    @Test
    void networkSeesRescaledTimesteps() {
        // t·1000/2000 at t = 2k equals t·1000/1000 at t = k: both configs must give the same x̂0.
        DiffusionLmConfig a = DiffusionLmConfig.builder(9).hiddenSize(16).layers(1).heads(2).sequenceLength(5)
                .timeEmbeddingDim(8).numTimesteps(2000).build();
        DiffusionLmConfig b = DiffusionLmConfig.builder(9).hiddenSize(16).layers(1).heads(2).sequenceLength(5)
                .timeEmbeddingDim(8).numTimesteps(1000).build();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = NoiseSource.seeded(3).normal(m, new Shape(2, 5, 16), DataType.FLOAT32);
            NDArray ya = forward(m, a, x, new long[] {1998, 600});
            NDArray yb = forward(m, b, x, new long[] {999, 300});
            assertArrayEquals(ya.toFloatArray(), yb.toFloatArray(), 1e-5f);
            NDArray yc = forward(m, b, x, new long[] {998, 300});
            assertEquals(false, yc.allClose(yb, 1e-6, 1e-6, false));
        }
    }

    private static NDArray forward(NDManager m, DiffusionLmConfig c, NDArray x, long[] t) {
        DiffusionLmBlock block = DiffusionLmBlock.create(c, 11);
        block.initialize(m, DataType.FLOAT32, block.inputShapes(2));
        return BlockDenoiser.forInference(block, m).predict(x, m.create(t));
    }

    @Test
    void sameSeedSameWeightsAndBadInputIsRejected() {
        DiffusionLmConfig c = DiffusionLmConfig.builder(7).hiddenSize(8).layers(1).heads(2).sequenceLength(4)
                .timeEmbeddingDim(4).embeddingDim(3).build();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = NoiseSource.seeded(1).normal(m, new Shape(1, 4, 3), DataType.FLOAT32);
            NDArray t = m.create(new long[] {5});
            NDArray y1 = forward(m, c, x, t);
            NDArray y2 = forward(m, c, x, t);
            assertArrayEquals(y1.toFloatArray(), y2.toFloatArray(), 0f);
            DiffusionLmBlock block = DiffusionLmBlock.create(c, 11);
            block.initialize(m, DataType.FLOAT32, block.inputShapes(1));
            ParameterStore ps = new ParameterStore(m, false);
            assertThrows(IllegalArgumentException.class,
                    () -> block.forward(ps, new NDList(m.zeros(new Shape(1, 4, 2)), t), false));
            assertThrows(IllegalArgumentException.class,
                    () -> block.forward(ps, new NDList(m.zeros(new Shape(1, 5, 3)), t), false));
            assertThrows(IllegalArgumentException.class,
                    () -> block.forward(ps, new NDList(x, m.create(new long[] {1, 2})), false));
        }
        assertThrows(IllegalArgumentException.class, () -> DiffusionLmConfig.builder(9).hiddenSize(10).heads(4).build());
    }

    private static NDArray forward(NDManager m, DiffusionLmConfig c, NDArray x, NDArray t) {
        DiffusionLmBlock block = DiffusionLmBlock.create(c, 11);
        block.initialize(m, DataType.FLOAT32, block.inputShapes(1));
        return BlockDenoiser.forInference(block, m).predict(x, t);
    }

    @Test
    void embeddingGradientsReachTheRowsThatWereLookedUp() {
        DiffusionLmConfig c = DiffusionLmConfig.builder(6).hiddenSize(8).layers(0).heads(1).sequenceLength(4)
                .timeEmbeddingDim(4).embeddingDim(2).build();
        try (NDManager m = NDManager.newBaseManager()) {
            DiffusionLmBlock block = DiffusionLmBlock.create(c, 5);
            block.initialize(m, DataType.FLOAT32, block.inputShapes(1));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray ids = m.create(new long[] {4, 4, 1}, new Shape(1, 3));
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray emb = block.embed(ps, ids, true);
                assertEquals(new Shape(1, 3, 2), emb.getShape());
                gc.backward(emb.sum());
            }
            float[] grad = block.getParameters().get("wordEmbedding").getArray().getGradient().toFloatArray();
            // d(sum)/dE[v] = number of times v was looked up, for every coordinate
            assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 0, 0, 2, 2, 0, 0}, grad, 0f);
        }
    }
}
