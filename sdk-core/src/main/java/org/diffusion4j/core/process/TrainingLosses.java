package org.diffusion4j.core.process;

import ai.djl.ndarray.NDArray;

/**
 * Per-sample training loss [B] and its terms: {@code mse} (L_simple, null for the KL objectives) and
 * {@code vb} (the variational-bound term in bits, null where unused). {@code modelOutput} is the raw network
 * output, kept so domain objectives (e.g. Diffusion-LM's rounding term) can add to the loss.
 */
public record TrainingLosses(NDArray loss, NDArray mse, NDArray vb, NDArray modelOutput) {
}
