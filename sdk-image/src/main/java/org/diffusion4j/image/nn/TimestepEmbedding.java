package org.diffusion4j.image.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Sinusoidal timestep embedding as improved-diffusion's {@code nn.timestep_embedding}: for
 * {@code half = dim / 2}, frequencies {@code f_i = exp(-ln(maxPeriod) * i / half)}, i = 0..half-1, and
 * the embedding is {@code [cos(t f_0) .. cos(t f_{half-1}), sin(t f_0) .. sin(t f_{half-1})]} (cosines
 * first), with one zero column appended when {@code dim} is odd.
 */
public final class TimestepEmbedding {

    /** improved-diffusion's default {@code max_period}. */
    public static final double DEFAULT_MAX_PERIOD = 10_000.0;

    private TimestepEmbedding() {}

    /** [B] timesteps (any numeric type) to a float32 [B, dim] embedding in {@code t}'s manager. */
    public static NDArray sinusoidal(NDArray t, int dim, double maxPeriod) {
        if (dim <= 0) {
            throw new IllegalArgumentException("dim: expected > 0, got " + dim);
        }
        if (!(maxPeriod > 0)) {
            throw new IllegalArgumentException("maxPeriod: expected > 0, got " + maxPeriod);
        }
        if (t.getShape().dimension() != 1) {
            throw new IllegalArgumentException("t: expected shape [B], got " + t.getShape());
        }
        int half = dim / 2;
        long b = t.getShape().get(0);
        NDArray tf = t.toType(DataType.FLOAT32, false).reshape(b, 1);
        NDArray emb;
        if (half == 0) {
            emb = t.getManager().zeros(new Shape(b, 0));
        } else {
            float[] freqs = new float[half];
            for (int i = 0; i < half; i++) {
                // torch computes arange(half)/half and exp in float32; the double form differs by <= 1 ulp
                freqs[i] = (float) Math.exp(-Math.log(maxPeriod) * i / half);
            }
            NDArray args = tf.mul(t.getManager().create(freqs, new Shape(1, half)));
            emb = NDArrays.concat(new ai.djl.ndarray.NDList(args.cos(), args.sin()), 1);
        }
        if (dim % 2 == 1) {
            emb = NDArrays.concat(new ai.djl.ndarray.NDList(emb, t.getManager().zeros(new Shape(b, 1))), 1);
        }
        return emb;
    }

    public static NDArray sinusoidal(NDArray t, int dim) {
        return sinusoidal(t, dim, DEFAULT_MAX_PERIOD);
    }
}
