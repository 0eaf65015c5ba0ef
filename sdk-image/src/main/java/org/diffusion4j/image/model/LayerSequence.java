package org.diffusion4j.image.model;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.diffusion4j.core.memory.NativeArrays;

/** unet.py's {@code TimestepEmbedSequential}: layers applied in order, each given the embedding. */
final class LayerSequence extends EmbeddedLayer {

    private final List<EmbeddedLayer> layers = new ArrayList<>();

    LayerSequence(List<EmbeddedLayer> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("layers: expected at least one layer, got none");
        }
        for (int i = 0; i < layers.size(); i++) {
            this.layers.add(child(Integer.toString(i), layers.get(i)));
        }
    }

    @Override
    int outChannels() {
        return layers.get(layers.size() - 1).outChannels();
    }

    @Override
    long outputSize(long inSize) {
        long s = inSize;
        for (EmbeddedLayer l : layers) {
            s = l.outputSize(s);
        }
        return s;
    }

    /**
     * Each layer runs in its own scope ({@link NativeArrays#freeingIntermediates}): its intermediates are freed when
     * it returns, and the output of a layer is freed once the next one has read it, so a forward holds one layer's
     * activations at a time besides the U-Net's skip connections. {@code h} itself is left to the caller.
     */
    @Override
    NDArray apply(ParameterStore ps, NDArray h, NDArray emb, boolean training) {
        NDArray out = h;
        for (EmbeddedLayer l : layers) {
            out = NativeArrays.freeingIntermediates(out, out != h, in -> l.apply(ps, in, emb, training), emb);
        }
        return out;
    }

    @Override
    String script(UNet2DScript s, String prefix, String h) {
        String out = h;
        for (int i = 0; i < layers.size(); i++) {
            out = layers.get(i).script(s, prefix + i + ".", out);
        }
        return out;
    }
}
