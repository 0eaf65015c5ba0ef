package org.diffusion4j.image.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A U-Net layer called as {@code layer(h, emb)} (unet.py's {@code TimestepBlock}); layers that ignore the
 * embedding take it anyway, so that a level is a plain sequence. DJL forward input: NDList(h, emb).
 * {@code emb} is the activated embedding SiLU(time + class embedding) [B, E]: unet.py's {@code emb_layers} all begin
 * with that SiLU, so {@link UNet2D} computes it once per forward instead of once per block.
 */
abstract class EmbeddedLayer extends Composite {

    abstract NDArray apply(ParameterStore ps, NDArray h, NDArray emb, boolean training);

    @Override
    protected final NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.size() != 2) {
            throw new IllegalArgumentException("inputs: expected NDList(h, emb), got " + inputs.size() + " arrays");
        }
        return new NDList(apply(ps, inputs.get(0), inputs.get(1), training));
    }

    /**
     * Writes this layer's forward as TorchScript lines into {@code s} ({@link UNet2DScript}): {@code prefix} is the
     * layer's PyTorch path with a trailing dot, {@code h} the variable holding its input. Returns the output variable.
     */
    abstract String script(UNet2DScript s, String prefix, String h);

    /** Output channels for an input of {@code inChannels} channels (spatial changes in {@link #outputSize}). */
    abstract int outChannels();

    /** Output side for an input side. */
    long outputSize(long inSize) {
        return inSize;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), outChannels(), outputSize(s.get(2)), outputSize(s.get(3)))};
    }

    static NDArray silu(NDArray x) {
        // SiLU(x) = x·σ(x) (Elfwing et al.); core's version is safe to differentiate (DJL's swish is not)
        return org.diffusion4j.core.nn.Activations.silu(x);
    }
}
