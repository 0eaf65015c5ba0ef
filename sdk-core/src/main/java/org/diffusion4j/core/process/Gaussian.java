package org.diffusion4j.core.process;

import ai.djl.ndarray.NDArray;

/**
 * A diagonal Gaussian over x of shape [B, ...]. {@code mean} has x's shape; {@code variance} and
 * {@code logVariance} are either x's shape (learned variances) or [B, 1, ..., 1] (per-sample scalars),
 * broadcastable against x.
 */
public record Gaussian(NDArray mean, NDArray variance, NDArray logVariance) {
}
