package org.diffusion4j.audio.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import org.diffusion4j.core.nn.ConvolutionLayer;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * WaveGrad downsampling block (lmnt model.py DBlock): residual = down_f(Conv1×1(x)); y = down_f(x); then
 * y = Conv3_d(LReLU(y)) for d = 1, 2, 4; output y + residual.
 *
 * <p>The 1×1 residual conv is applied after the nearest-neighbour subsampling here: a pointwise conv
 * commutes with keeping every f-th sample, so the result is identical and f times cheaper.
 */
final class DBlock extends NamedBlock {

    private final int outChannels;
    private final int factor;
    private final float slope;
    private final ConvolutionLayer residual;
    private final ConvolutionLayer[] convs = new ConvolutionLayer[3];

    DBlock(int inChannels, int hidden, int factor, float slope) {
        this.outChannels = hidden;
        this.factor = factor;
        this.slope = slope;
        residual = addConv("residual_dense", inChannels, Ops.conv(hidden, 1, 1));
        int[] dilations = {1, 2, 4};
        for (int i = 0; i < 3; i++) {
            convs[i] = addConv("conv." + i, i == 0 ? inChannels : hidden, Ops.conv(hidden, 3, dilations[i]));
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = Ops.downsample(inputs.head(), factor);
        NDArray res = residual.forward(ps, new NDList(x), training).head();
        for (ConvolutionLayer conv : convs) {
            x = conv.forward(ps, new NDList(Ops.leakyRelu(x, slope)), training).head();
        }
        return new NDList(x.add(res));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape s = inputs[0];
        return new Shape[] {new Shape(s.get(0), outChannels, s.get(2) / factor)};
    }
}
