package org.diffusion4j.core.process;

import ai.djl.ndarray.NDArray;

/**
 * The model's reverse step p_θ(x_{t−1} | x_t) = N(mean, variance), with the x0 it implies
 * (improved-diffusion's {@code p_mean_variance} result). Shapes as in {@link Gaussian}; {@code predX0} has x's shape.
 */
public record ModelDistribution(NDArray mean, NDArray variance, NDArray logVariance, NDArray predX0) {
}
