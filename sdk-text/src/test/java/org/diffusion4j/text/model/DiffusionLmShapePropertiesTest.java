package org.diffusion4j.text.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.diffusion4j.core.random.NoiseSource;

class DiffusionLmShapePropertiesTest {

    @Property(tries = 15)
    void forwardShapesAndParameterCountOverRandomConfigs(@ForAll @IntRange(min = 5, max = 20) int vocab,
            @ForAll @IntRange(min = 1, max = 8) int d, @ForAll @IntRange(min = 1, max = 2) int heads,
            @ForAll @IntRange(min = 1, max = 3) int headWidth, @ForAll @IntRange(min = 0, max = 2) int layers,
            @ForAll @IntRange(min = 2, max = 8) int length, @ForAll @IntRange(min = 1, max = 8) int halfTime,
            @ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 0, max = 3) int extraPositions) {
        DiffusionLmConfig c = DiffusionLmConfig.builder(vocab).embeddingDim(d).heads(heads).hiddenSize(heads * headWidth * 2)
                .layers(layers).sequenceLength(length).maxPositions(length + extraPositions)
                .timeEmbeddingDim(2 * halfTime).numTimesteps(50).build();
        try (NDManager m = NDManager.newBaseManager()) {
            DiffusionLmBlock block = DiffusionLmBlock.create(c, 1);
            block.initialize(m, DataType.FLOAT32, block.inputShapes(batch));
            assertEquals(c.parameterCount(), block.parameterCount());
            NoiseSource noise = NoiseSource.seeded(vocab);
            NDArray x = noise.normal(m, new Shape(batch, length, d), DataType.FLOAT32);
            NDArray t = m.create(noise.uniformTimesteps(batch, 50));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray y = block.forward(ps, new ai.djl.ndarray.NDList(x, t), true).head();
            assertEquals(new Shape(batch, length, d), y.getShape());
            assertEquals(new Shape(batch, length, vocab), block.logits(ps, y, false).getShape());
            assertEquals(new Shape(batch, length), RoundingOps.nearest(y, block.embeddings(ps, y.getDevice(), false)).ids().getShape());
        }
    }
}
