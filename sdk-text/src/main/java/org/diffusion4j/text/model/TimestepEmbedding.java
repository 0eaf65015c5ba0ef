package org.diffusion4j.text.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Sinusoidal timestep features as in improved-diffusion's {@code timestep_embedding}. */
public final class TimestepEmbedding {

    private TimestepEmbedding() {
    }

    /**
     * [cos(t·f_k), sin(t·f_k)] with f_k = exp(−ln(10000)·k/half), k = 0..half−1 (Vaswani et al. 2017, in
     * the cos-first order of the Diffusion-LM code).
     *
     * @param t   float timesteps [B] on the network's scale
     * @param dim even feature width
     * @return [B, dim]
     */
    public static NDArray sinusoidal(NDArray t, int dim) {
        int half = dim / 2;
        NDArray k = t.getManager().arange(0, half, 1, DataType.FLOAT32);
        NDArray freqs = k.mul(-Math.log(10000.0) / half).exp();
        NDArray args = t.toType(DataType.FLOAT32, false).expandDims(1).mul(freqs.expandDims(0));
        return args.cos().concat(args.sin(), 1);
    }
}
