package org.diffusion4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A 1-D or 2-D convolution block with parameters {@code weight} [O, C, k(, k)] and {@code bias} [O] (torch.nn
 * layout and names), computed by {@link Convolutions}: use it instead of DJL's {@code Conv1d}/{@code Conv2d}, whose
 * CPU results are wrong for channel counts that are not multiples of 16 (see {@link Convolutions}). Input channels
 * are inferred at {@code initialize}, as in DJL's blocks; parameters take DJL's default initialisers for weights
 * and biases unless one is set on the block.
 */
public final class ConvolutionLayer extends AbstractBlock {

    private final int dims;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int dilation;
    private final Parameter weight;
    private final Parameter bias;

    private ConvolutionLayer(int dims, int outChannels, int kernel, int stride, int padding, int dilation) {
        if (outChannels < 1 || kernel < 1 || stride < 1 || padding < 0 || dilation < 1) {
            throw new IllegalArgumentException("outChannels/kernel/stride/padding/dilation: expected >= 1/>= 1/>= 1/"
                    + ">= 0/>= 1, got " + outChannels + "/" + kernel + "/" + stride + "/" + padding + "/" + dilation);
        }
        this.dims = dims;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
        this.bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).build());
    }

    /** torch.nn.Conv1d(C, outChannels, kernel, stride, padding, dilation) with bias; C from the input. */
    public static ConvolutionLayer conv1d(int outChannels, int kernel, int stride, int padding, int dilation) {
        return new ConvolutionLayer(1, outChannels, kernel, stride, padding, dilation);
    }

    /** torch.nn.Conv2d(C, outChannels, kernel, stride, padding, dilation) with square kernel and bias. */
    public static ConvolutionLayer conv2d(int outChannels, int kernel, int stride, int padding, int dilation) {
        return new ConvolutionLayer(2, outChannels, kernel, stride, padding, dilation);
    }

    public int outChannels() {
        return outChannels;
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        if (x.dimension() != dims + 2) {
            throw new IllegalArgumentException("input: expected " + (dims == 1 ? "[B, C, L]" : "[B, C, H, W]")
                    + ", got shape " + x);
        }
        long in = x.get(1);
        weight.setShape(dims == 1 ? new Shape(outChannels, in, kernel) : new Shape(outChannels, in, kernel, kernel));
        bias.setShape(new Shape(outChannels));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = ps.getValue(bias, x.getDevice(), training);
        return new NDList(dims == 1 ? Convolutions.conv1d(x, w, b, stride, padding, dilation)
                : Convolutions.conv2d(x, w, b, stride, padding, dilation));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long[] out = inputShapes[0].getShape().clone();
        out[1] = outChannels;
        for (int d = 2; d < out.length; d++) {
            out[d] = (out[d] + 2L * padding - (long) dilation * (kernel - 1) - 1) / stride + 1;
        }
        return new Shape[] {new Shape(out)};
    }
}
