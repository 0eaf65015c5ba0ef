package org.diffusion4j.audio.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
import org.diffusion4j.core.nn.ConvolutionLayer;
import ai.djl.ndarray.types.Shape;

/** Small tensor helpers shared by the WaveGrad blocks. */
final class Ops {

    private Ops() {
    }

    /** ConvolutionLayer(k, dilation d, padding d·(k−1)/2): length-preserving for odd k, as in lmnt's model.py. */
    static ConvolutionLayer conv(int outChannels, int kernel, int dilation) {
        return ConvolutionLayer.conv1d(outChannels, kernel, 1, dilation * (kernel - 1) / 2, dilation);
    }

    /** max(x, 0) + slope·min(x, 0), i.e. F.leaky_relu(x, slope): one fused libtorch kernel, no temporaries. */
    static NDArray leakyRelu(NDArray x, float slope) {
        return Activation.leakyRelu(x, slope);
    }

    /**
     * F.interpolate(x, size = L·f) in nearest mode on [N, C, L]: each sample repeated f times
     * (output index i reads input floor(i / f)).
     */
    static NDArray upsample(NDArray x, int factor) {
        if (factor == 1) {
            return x;
        }
        // broadcast [N, C, L, 1] → [N, C, L, f] and flatten: one contiguous copy. Measured about 5× faster
        // than NDArray.repeat (torch.repeat_interleave) on libtorch 2.7.1 CPU.
        Shape s = x.getShape();
        return x.expandDims(3).broadcast(new Shape(s.get(0), s.get(1), s.get(2), factor))
                .reshape(s.get(0), s.get(1), s.get(2) * factor);
    }

    /** a + up_f(b) for a [N, C, L·f] and b [N, C, L], without materialising up_f(b). */
    static NDArray addUpsampled(NDArray a, NDArray b, int factor) {
        if (factor == 1) {
            return a.add(b);
        }
        Shape s = b.getShape();
        return a.reshape(s.get(0), s.get(1), s.get(2), factor).add(b.expandDims(3)).reshape(a.getShape());
    }

    /**
     * F.interpolate(x, size = L / f) in nearest mode on [N, C, L] with L divisible by f: output index i
     * reads input floor(i·L/(L/f)) = i·f, i.e. samples 0, f, 2f, ...
     */
    static NDArray downsample(NDArray x, int factor) {
        return factor == 1 ? x : x.get(new NDIndex(":, :, ::" + factor));
    }
}
