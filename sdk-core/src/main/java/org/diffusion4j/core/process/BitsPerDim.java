package org.diffusion4j.core.process;

import ai.djl.ndarray.NDArray;

/**
 * The negative ELBO of Ho et al. (2020) eq. 5 in bits per dimension, per sample.
 *
 * <ul>
 *   <li>{@code total} [B]: prior + Σ_t vb[:, t] (bits/dim);
 *   <li>{@code prior} [B]: L_T = KL(q(x_T | x0) ‖ N(0, I));
 *   <li>{@code vb} [B, T]: L_{t} = KL(q(x_{t−1} | x_t, x0) ‖ p_θ(x_{t−1} | x_t)) for t ≥ 1 and the discretised
 *       decoder NLL L_0 = −log p_θ(x0 | x1) at t = 0;
 *   <li>{@code x0Mse} [B, T]: mean squared error of the predicted x0;
 *   <li>{@code mse} [B, T]: mean squared error of the implied ε.
 * </ul>
 *
 * <p>Column order follows improved-diffusion's {@code calc_bpd_loop} (loop order): <b>column j holds
 * t = T − 1 − j</b>, so column 0 is the noisiest step and column T − 1 is the decoder term at t = 0.
 */
public record BitsPerDim(NDArray total, NDArray prior, NDArray vb, NDArray x0Mse, NDArray mse) {
}
