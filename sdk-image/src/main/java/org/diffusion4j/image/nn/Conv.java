package org.diffusion4j.image.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Map;
import org.diffusion4j.core.nn.Convolutions;
import org.diffusion4j.core.random.NoiseSource;

/**
 * A 1-D or 2-D convolution with bias, parameters {@code weight} [out, in, k(, k)] and {@code bias} [out]
 * (torch.nn.Conv1d/Conv2d layout). Shapes are fixed at construction, so no shape inference is needed.
 * With {@code zeroInit} the initialisation is all zeros, as improved-diffusion's {@code zero_module}.
 */
public final class Conv extends AbstractBlock implements TorchNamed {

    private final int dims;
    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final boolean zeroInit;
    private final Parameter weight;
    private final Parameter bias;

    public Conv(int dims, int inChannels, int outChannels, int kernel, int stride, int padding, boolean zeroInit) {
        if (dims != 1 && dims != 2) {
            throw new IllegalArgumentException("dims: expected 1 or 2, got " + dims);
        }
        if (inChannels <= 0 || outChannels <= 0) {
            throw new IllegalArgumentException(
                    "channels: expected > 0, got in=" + inChannels + " out=" + outChannels);
        }
        if (kernel <= 0 || stride <= 0 || padding < 0) {
            throw new IllegalArgumentException("kernel/stride/padding: expected > 0/> 0/>= 0, got "
                    + kernel + "/" + stride + "/" + padding);
        }
        this.dims = dims;
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.zeroInit = zeroInit;
        Shape w = dims == 1 ? new Shape(outChannels, inChannels, kernel) : new Shape(outChannels, inChannels, kernel, kernel);
        this.weight = addParameter(Params.constant("weight", Parameter.Type.WEIGHT, w, 0f));
        this.bias = addParameter(Params.constant("bias", Parameter.Type.BIAS, new Shape(outChannels), 0f));
    }

    /** A 2-D 3×3 convolution with padding 1 (improved-diffusion's {@code conv_nd(2, in, out, 3, padding=1)}). */
    public static Conv conv3x3(int in, int out) {
        return new Conv(2, in, out, 3, 1, 1, false);
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    /** 1 or 2. */
    public int dims() {
        return dims;
    }

    public int kernel() {
        return kernel;
    }

    public int stride() {
        return stride;
    }

    public int padding() {
        return padding;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        return new NDList(apply(x, ps.getValue(weight, x.getDevice(), training), ps.getValue(bias, x.getDevice(), training)));
    }

    NDArray apply(NDArray x, NDArray w, NDArray b) {
        Shape s = x.getShape();
        if (s.dimension() != dims + 2 || s.get(1) != inChannels) {
            throw new IllegalArgumentException("x: expected [B, " + inChannels + (dims == 1 ? ", L]" : ", H, W]")
                    + ", got " + s);
        }
        // Convolutions, not DJL's conv2d: libtorch's CPU path reads unzeroed channel padding (see its docs)
        return dims == 1 ? Convolutions.conv1d(x, w, b, stride, padding, 1) : Convolutions.conv2d(x, w, b, stride, padding, 1);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        long[] out = s.getShape().clone();
        out[1] = outChannels;
        for (int d = 2; d < out.length; d++) {
            out[d] = (out[d] + 2L * padding - kernel) / stride + 1;
        }
        return new Shape[] {new Shape(out)};
    }

    @Override
    public void collectParameters(String prefix, Map<String, Parameter> out) {
        out.put(prefix + "weight", weight);
        out.put(prefix + "bias", bias);
    }

    @Override
    public void initializeWeights(NoiseSource noise) {
        if (zeroInit) {
            Params.fillConstant(weight, 0f);
            Params.fillConstant(bias, 0f);
            return;
        }
        // PyTorch _ConvNd.reset_parameters: kaiming_uniform(a = sqrt 5) gives bound 1/sqrt(fan_in), same for bias
        double fanIn = (double) inChannels * Math.pow(kernel, dims);
        double bound = 1.0 / Math.sqrt(fanIn);
        Params.fillUniform(weight, bound, noise);
        Params.fillUniform(bias, bound, noise);
    }
}
