package org.diffusion4j.image.nn;

import ai.djl.nn.Parameter;
import java.util.Map;
import org.diffusion4j.core.random.NoiseSource;

/**
 * A block whose parameters carry PyTorch {@code state_dict} names and a PyTorch-default initialisation.
 *
 * <p>DJL's own parameter ids are positional ({@code 01Conv_weight}); weight interchange with
 * improved-diffusion checkpoints needs the names PyTorch would give the same module tree, so every
 * block of this package reports them itself.
 */
public interface TorchNamed {

    /**
     * Adds this block's parameters under {@code prefix} (which is empty or ends with a dot), in
     * PyTorch's registration order.
     */
    void collectParameters(String prefix, Map<String, Parameter> out);

    /**
     * Overwrites the (already allocated) parameters with a seeded initialisation that follows PyTorch's
     * defaults (so a Java-initialised model is statistically a PyTorch-initialised one), drawing every
     * value from {@code noise} in registration order.
     */
    void initializeWeights(NoiseSource noise);
}
