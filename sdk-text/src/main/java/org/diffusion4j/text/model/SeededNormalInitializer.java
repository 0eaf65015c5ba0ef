package org.diffusion4j.text.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import org.diffusion4j.core.random.NoiseSource;

/**
 * N(0, std²) initialisation drawn from a {@link NoiseSource} instead of libtorch's global generator, so a
 * seed fixes the initial weights on any device. Successive parameters get successive draws of one stream,
 * so the result depends on DJL's (fixed, positional) parameter order.
 */
final class SeededNormalInitializer implements Initializer {

    private final NoiseSource noise;
    private final float std;

    SeededNormalInitializer(NoiseSource noise, float std) {
        this.noise = noise;
        this.std = std;
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        return noise.normal(manager, shape, dataType).muli(std);
    }
}
