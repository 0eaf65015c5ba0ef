package org.diffusion4j.audio.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import org.diffusion4j.core.nn.ConvolutionLayer;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.diffusion4j.core.memory.NativeArrays;

/**
 * Feature-wise linear modulation from the downsampling path (lmnt model.py FiLM):
 * h = LReLU(Conv3(x)) + PE(level); (shift, scale) = split(Conv3_{→2·out}(h)), shift first.
 *
 * <p>PE is the Transformer sinusoid of the continuous noise level (lmnt PositionalEncoding):
 * with H = C/2 and e_i = s·l·exp(−ln(10⁴)·i/H), PE = [sin e_0..e_{H−1}, cos e_0..e_{H−1}], where s is the
 * configured scale (1 in lmnt, 5000 in the paper).
 */
final class FiLM extends NamedBlock {

    private final int channels;
    private final int outChannels;
    private final float slope;
    private final double levelScale;
    private final float[] frequencies;
    private final ConvolutionLayer inputConv;
    private final ConvolutionLayer outputConv;

    FiLM(int channels, int outChannels, float slope, double levelScale) {
        this.channels = channels;
        this.outChannels = outChannels;
        this.slope = slope;
        this.levelScale = levelScale;
        int half = channels / 2;
        frequencies = new float[half];
        for (int i = 0; i < half; i++) {
            frequencies[i] = (float) (levelScale * Math.exp(-Math.log(1e4) * i / half));
        }
        inputConv = addConv("input_conv", channels, Ops.conv(channels, 3, 1));
        outputConv = addConv("output_conv", channels, Ops.conv(2 * outChannels, 3, 1));
    }

    /** PE(level) as [N, C, 1]; {@code level} is [N]. */
    NDArray encoding(NDArray level) {
        long n = level.getShape().get(0);
        // libtorch-owned copy: autograd saves freq for backward (see NativeArrays).
        NDArray freq = NativeArrays.copyOf(level.getManager(), frequencies, new Shape(1, frequencies.length))
                .toType(level.getDataType(), false);
        NDArray e = level.reshape(n, 1).mul(freq);
        return e.sin().concat(e.cos(), 1).reshape(n, channels, 1);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray level = inputs.get(1);
        NDArray h = Ops.leakyRelu(inputConv.forward(ps, new NDList(x), training).head(), slope).add(encoding(level));
        NDArray out = outputConv.forward(ps, new NDList(h), training).head();
        return out.split(2, 1);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape s = new Shape(inputs[0].get(0), outChannels, inputs[0].get(2));
        return new Shape[] {s, s};
    }

    double levelScale() {
        return levelScale;
    }
}
