package org.diffusion4j.image.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.Map;
import org.diffusion4j.image.nn.Conv;

/** A bare 3×3 convolution inside a layer sequence (the U-Net's first layer, {@code input_blocks.0.0}). */
final class ConvLayer extends EmbeddedLayer {

    private final Conv conv;

    ConvLayer(int in, int out) {
        this.conv = child("conv", Conv.conv3x3(in, out));
    }

    @Override
    int outChannels() {
        return conv.outChannels();
    }

    @Override
    NDArray apply(ParameterStore ps, NDArray h, NDArray emb, boolean training) {
        return conv.forward(ps, new NDList(h), training).head();
    }

    @Override
    public void collectParameters(String prefix, Map<String, Parameter> out) {
        // in PyTorch the convolution itself is the sequence element: no extra path segment
        conv.collectParameters(prefix, out);
    }

    @Override
    String script(UNet2DScript s, String prefix, String h) {
        return s.conv(conv, prefix, h); // the convolution is the sequence element itself (see collectParameters)
    }
}
