package org.diffusion4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.Objects;

/**
 * Adapts any DJL {@link Block} whose forward takes {@code NDList(xt, t, cond...)} and returns the network
 * output as the first element.
 *
 * <p>The training flag is fixed at construction: a trainer wraps the block with {@code training = true}
 * (dropout on, gradients recorded by the surrounding {@code GradientCollector}); samplers use
 * {@code training = false}.
 */
public final class BlockDenoiser implements Denoiser {

    private final Block block;
    private final ParameterStore parameterStore;
    private final boolean training;

    public BlockDenoiser(Block block, ParameterStore parameterStore, boolean training) {
        this.block = Objects.requireNonNull(block, "block");
        this.parameterStore = Objects.requireNonNull(parameterStore, "parameterStore");
        this.training = training;
    }

    /** An inference adapter over a fresh parameter store that does not copy parameters across devices. */
    public static BlockDenoiser forInference(Block block, ai.djl.ndarray.NDManager manager) {
        return new BlockDenoiser(block, new ParameterStore(manager, false), false);
    }

    public Block block() {
        return block;
    }

    @Override
    public NDArray predict(NDArray xt, NDArray t, NDList cond) {
        Objects.requireNonNull(cond, "cond (use an empty NDList)");
        NDList inputs = new NDList(xt, t);
        inputs.addAll(cond);
        NDList out = block.forward(parameterStore, inputs, training);
        if (out.isEmpty()) {
            throw new IllegalStateException("block " + block.getClass().getSimpleName() + " returned no output");
        }
        return out.head();
    }
}
