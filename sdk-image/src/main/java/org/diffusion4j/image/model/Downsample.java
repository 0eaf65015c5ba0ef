package org.diffusion4j.image.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import org.diffusion4j.image.nn.Conv;

/** unet.py's {@code Downsample} with {@code conv_resample}: a 3×3 convolution of stride 2, padding 1. */
final class Downsample extends EmbeddedLayer {

    private final int channels;
    private final Conv op;

    Downsample(int channels) {
        this.channels = channels;
        this.op = child("op", new Conv(2, channels, channels, 3, 2, 1, false));
    }

    @Override
    int outChannels() {
        return channels;
    }

    @Override
    long outputSize(long inSize) {
        return (inSize + 1) / 2;
    }

    @Override
    NDArray apply(ParameterStore ps, NDArray x, NDArray emb, boolean training) {
        return op.forward(ps, new NDList(x), training).head();
    }

    @Override
    String script(UNet2DScript s, String prefix, String h) {
        return s.conv(op, prefix + "op.", h);
    }
}
