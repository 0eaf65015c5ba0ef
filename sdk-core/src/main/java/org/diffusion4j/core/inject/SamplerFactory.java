package org.diffusion4j.core.inject;

import org.diffusion4j.core.process.GaussianDiffusion;
import org.diffusion4j.core.sampling.Sampler;
import org.diffusion4j.core.sampling.TimestepSpacing;

/** Builds a configured sampler for a process; the unit that {@link SamplingModule} registers by name. */
@FunctionalInterface
public interface SamplerFactory {

    /**
     * A sampler over {@code steps} timesteps of {@code diffusion}'s schedule, picked with {@code spacing}.
     *
     * @throws IllegalArgumentException when steps is outside [1, T]
     */
    Sampler create(GaussianDiffusion diffusion, int steps, TimestepSpacing spacing);
}
