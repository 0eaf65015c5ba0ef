package org.diffusion4j.image.model;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

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

    @Override
    NDArray apply(ParameterStore ps, NDArray h, NDArray emb, boolean training) {
        NDArray out = h;
        for (EmbeddedLayer l : layers) {
            out = l.apply(ps, out, emb, training);
        }
        return out;
    }
}
