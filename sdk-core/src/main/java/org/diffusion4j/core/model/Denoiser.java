package org.diffusion4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * The contract every diffusion network satisfies: given a noisy sample x_t and its timestep t, return the
 * network output (ε̂, x̂₀ or v̂ depending on the process' {@code Prediction}; with learned variances the
 * output carries twice the channels on axis 1).
 *
 * <p>Shapes: {@code xt} is [B, ...], {@code t} is int64 [B] holding timesteps of the schedule the model
 * was trained on, {@code cond} holds optional conditioning (class labels, mel spectrograms, ...) and may be
 * empty, never null. The returned array must live on {@code xt}'s device; the caller owns it and attaches
 * it to its own scope.
 */
@FunctionalInterface
public interface Denoiser {

    NDArray predict(NDArray xt, NDArray t, NDList cond);

    /** Convenience for unconditional models. */
    default NDArray predict(NDArray xt, NDArray t) {
        return predict(xt, t, new NDList());
    }
}
