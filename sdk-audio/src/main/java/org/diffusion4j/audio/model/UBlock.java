package org.diffusion4j.audio.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import org.diffusion4j.core.nn.ConvolutionLayer;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * WaveGrad upsampling block (lmnt model.py UBlock), with A(z) = shift + scale ⊙ z:
 * b1 = Conv1×1(up_f(x)); b2 = Conv3_{d1}(LReLU(A(Conv3_{d0}(up_f(LReLU(x)))))); x' = b1 + b2;
 * b3 = Conv3_{d3}(LReLU(A(Conv3_{d2}(LReLU(A(x')))))); output x' + b3.
 *
 * <p>b1 applies the 1×1 conv before the nearest upsampling: a pointwise conv commutes with repeating
 * samples, so the result is identical and f times cheaper.
 */
final class UBlock extends NamedBlock {

    private final int hidden;
    private final int factor;
    private final float slope;
    private final ConvolutionLayer block1;
    private final ConvolutionLayer block20;
    private final ConvolutionLayer block21;
    private final ConvolutionLayer block30;
    private final ConvolutionLayer block31;

    UBlock(int inChannels, int hidden, int factor, int[] dilations, float slope) {
        this.hidden = hidden;
        this.factor = factor;
        this.slope = slope;
        block1 = addConv("block1", inChannels, Ops.conv(hidden, 1, 1));
        block20 = addConv("block2.0", inChannels, Ops.conv(hidden, 3, dilations[0]));
        block21 = addConv("block2.1", hidden, Ops.conv(hidden, 3, dilations[1]));
        block30 = addConv("block3.0", hidden, Ops.conv(hidden, 3, dilations[2]));
        block31 = addConv("block3.1", hidden, Ops.conv(hidden, 3, dilations[3]));
    }

    private static NDArray run(ConvolutionLayer conv, ParameterStore ps, NDArray x, boolean training) {
        return conv.forward(ps, new NDList(x), training).head();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray shift = inputs.get(1);
        NDArray scale = inputs.get(2);
        NDArray b1 = run(block1, ps, x, training); // upsampled inside the sum below
        NDArray b2 = run(block20, ps, Ops.upsample(Ops.leakyRelu(x, slope), factor), training);
        b2 = run(block21, ps, Ops.leakyRelu(shift.add(scale.mul(b2)), slope), training);
        NDArray y = Ops.addUpsampled(b2, b1, factor);
        NDArray b3 = run(block30, ps, Ops.leakyRelu(shift.add(scale.mul(y)), slope), training);
        b3 = run(block31, ps, Ops.leakyRelu(shift.add(scale.mul(b3)), slope), training);
        return new NDList(y.add(b3));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape s = inputs[0];
        return new Shape[] {new Shape(s.get(0), hidden, s.get(2) * factor)};
    }
}
