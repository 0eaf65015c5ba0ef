package org.diffusion4j.image.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import org.diffusion4j.image.nn.Conv;

/**
 * unet.py's {@code Upsample} with {@code conv_resample}: nearest-neighbour ×2 (each pixel repeated along H
 * and W, identical to {@code F.interpolate(scale_factor=2, mode="nearest")}), then a 3×3 convolution.
 */
final class Upsample extends EmbeddedLayer {

    private final int channels;
    private final Conv conv;

    Upsample(int channels) {
        this.channels = channels;
        this.conv = child("conv", Conv.conv3x3(channels, channels));
    }

    @Override
    int outChannels() {
        return channels;
    }

    @Override
    long outputSize(long inSize) {
        return 2 * inSize;
    }

    @Override
    NDArray apply(ParameterStore ps, NDArray x, NDArray emb, boolean training) {
        NDArray up = x.repeat(2, 2).repeat(3, 2);
        return conv.forward(ps, new NDList(up), training).head();
    }

    @Override
    String script(UNet2DScript s, String prefix, String h) {
        // nearest-neighbour ×2, the same values as the two repeats of apply()
        String up = s.let("torch.upsample_nearest2d(" + h + ", None, [2., 2.])");
        return s.conv(conv, prefix + "conv.", up);
    }
}
