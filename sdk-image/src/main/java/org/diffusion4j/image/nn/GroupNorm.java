package org.diffusion4j.image.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Map;
import org.diffusion4j.core.memory.NativeArrays;
import org.diffusion4j.core.random.NoiseSource;

/**
 * Group normalisation (Wu and He 2018) over [B, C, ...]: the channels are split into {@code groups} groups,
 * each group of each sample is normalised to zero mean and unit (biased) variance, then a per-channel
 * affine map {@code weight * x + bias} is applied. Matches improved-diffusion's {@code GroupNorm32}:
 * computed in float32 whatever the input type, and cast back (nn.py, {@code normalization}).
 *
 * <p>DJL has no GroupNorm. It is computed as a layer norm over the reshaped [B, G, C/G * spatial] tensor
 * (one fused libtorch kernel), followed by the per-channel affine.
 */
public final class GroupNorm extends AbstractBlock implements TorchNamed {

    /** improved-diffusion's {@code normalization(channels)} uses 32 groups. */
    public static final int DEFAULT_GROUPS = 32;
    /** torch.nn.GroupNorm's default epsilon. */
    public static final float DEFAULT_EPS = 1e-5f;

    private final int groups;
    private final int channels;
    private final float eps;
    private final Parameter weight;
    private final Parameter bias;

    public GroupNorm(int groups, int channels, float eps) {
        if (groups <= 0) {
            throw new IllegalArgumentException("groups: expected > 0, got " + groups);
        }
        if (channels <= 0 || channels % groups != 0) {
            throw new IllegalArgumentException(
                    "channels: expected a positive multiple of groups=" + groups + ", got " + channels);
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("eps: expected > 0, got " + eps);
        }
        this.groups = groups;
        this.channels = channels;
        this.eps = eps;
        this.weight = addParameter(Params.constant("weight", Parameter.Type.GAMMA, new Shape(channels), 1f));
        this.bias = addParameter(Params.constant("bias", Parameter.Type.BETA, new Shape(channels), 0f));
    }

    /** improved-diffusion's {@code normalization(channels)}: 32 groups, eps 1e-5. */
    public static GroupNorm of(int channels) {
        return new GroupNorm(DEFAULT_GROUPS, channels, DEFAULT_EPS);
    }

    public int groups() {
        return groups;
    }

    public int channels() {
        return channels;
    }

    public float eps() {
        return eps;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        return new NDList(apply(x, ps.getValue(weight, x.getDevice(), training), ps.getValue(bias, x.getDevice(), training), groups, eps));
    }

    /** Functional form: normalises {@code x} [B, C, ...] with per-channel {@code gamma}, {@code beta} [C]. */
    public static NDArray apply(NDArray x, NDArray gamma, NDArray beta, int groups, float eps) {
        Shape s = x.getShape();
        if (s.dimension() < 2) {
            throw new IllegalArgumentException("x: expected [B, C, ...], got shape " + s);
        }
        long b = s.get(0);
        long c = s.get(1);
        if (c != gamma.size() || c % groups != 0) {
            throw new IllegalArgumentException(
                    "x: expected " + gamma.size() + " channels (divisible by " + groups + " groups), got shape " + s);
        }
        DataType inType = x.getDataType();
        NDArray in = inType == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
        long rest = s.size() / (b * groups);
        Shape normShape = new Shape(rest);
        NDArray ones = in.getManager().ones(normShape);
        NDArray zeros = in.getManager().zeros(normShape);
        NDArray grouped = in.reshape(b, groups, rest);
        NDArray normed = grouped.getNDArrayInternal().layerNorm(grouped, normShape, ones, zeros, eps).head().reshape(s);
        long[] affine = new long[s.dimension()];
        java.util.Arrays.fill(affine, 1L);
        affine[1] = c;
        Shape affineShape = new Shape(affine);
        NDArray g = NativeArrays.viewIn(gamma, in.getManager(), affineShape).toType(DataType.FLOAT32, false);
        NDArray bt = NativeArrays.viewIn(beta, in.getManager(), affineShape).toType(DataType.FLOAT32, false);
        NDArray out = normed.mul(g).add(bt);
        return inType == DataType.FLOAT32 ? out : out.toType(inType, false);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public void collectParameters(String prefix, Map<String, Parameter> out) {
        out.put(prefix + "weight", weight);
        out.put(prefix + "bias", bias);
    }

    @Override
    public void initializeWeights(NoiseSource noise) {
        Params.fillConstant(weight, 1f);
        Params.fillConstant(bias, 0f);
    }
}
