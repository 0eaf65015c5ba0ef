package org.diffusion4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.diffusion4j.core.memory.NativeArrays;

/**
 * Sinusoidal timestep embeddings (Vaswani et al. 2017 §3.5, as used by Ho et al. 2020 and improved-diffusion's
 * {@code timestep_embedding}): for frequencies f_i = maxPeriod^(−i/half), i = 0..half−1, the embedding of t is
 * [cos(t·f_0) … cos(t·f_{half−1}), sin(t·f_0) … sin(t·f_{half−1})], zero-padded by one column when dim is odd.
 */
public final class TimestepEmbedding {

    /** improved-diffusion's default period: the slowest frequency completes one cycle every 10,000 steps. */
    public static final double DEFAULT_MAX_PERIOD = 10_000.0;

    private TimestepEmbedding() {
    }

    /**
     * Embeds timesteps t ([B], any numeric dtype) into float32 [B, dim], on t's manager and device.
     *
     * @throws IllegalArgumentException if t is not 1-D or dim is below 2
     */
    public static NDArray sinusoidal(NDArray t, int dim, double maxPeriod) {
        if (t.getShape().dimension() != 1) {
            throw new IllegalArgumentException("t: expected shape [B], got " + t.getShape());
        }
        if (dim < 2) {
            throw new IllegalArgumentException("dim: expected at least 2, got " + dim);
        }
        if (!(maxPeriod > 1.0) || Double.isInfinite(maxPeriod)) {
            throw new IllegalArgumentException("maxPeriod: expected a finite value > 1, got " + maxPeriod);
        }
        int half = dim / 2;
        float[] freqs = new float[half];
        for (int i = 0; i < half; i++) {
            freqs[i] = (float) Math.exp(-Math.log(maxPeriod) * i / half);
        }
        NDArray f = NativeArrays.copyOf(t.getManager(), freqs, new Shape(1, half));
        NDArray args = t.toType(DataType.FLOAT32, false).reshape(-1, 1).mul(f);
        NDArray emb = args.cos().concat(args.sin(), 1);
        if (dim % 2 == 1) {
            emb = emb.concat(emb.getManager().zeros(new Shape(emb.getShape().get(0), 1)), 1);
        }
        return emb;
    }

    /** {@link #sinusoidal(NDArray, int, double)} with the default period of 10,000. */
    public static NDArray sinusoidal(NDArray t, int dim) {
        return sinusoidal(t, dim, DEFAULT_MAX_PERIOD);
    }
}
