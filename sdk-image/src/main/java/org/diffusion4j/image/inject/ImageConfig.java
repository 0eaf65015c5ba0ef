package org.diffusion4j.image.inject;

import java.nio.file.Path;
import java.util.Objects;
import org.diffusion4j.core.sampling.SamplerKind;
import org.diffusion4j.core.sampling.TimestepSpacing;

/**
 * What {@link ImageModule} builds: which trained model, whether to run its U-Net compiled, and how to sample.
 *
 * @param modelDir a training run's folder ({@code model.properties} + {@code ema.safetensors}), or null for the
 *                 MNIST model shipped in sdk-image's resources
 * @param compiled run the U-Net as one TorchScript module ({@code CompiledUNet}: the same images, 1.2–1.6× faster)
 *                 rather than op by op
 * @param sampler  the sampler every pipeline but interpolation uses
 * @param steps    sampling steps, or 0 for the sampler's usual count ({@link SamplerKind#defaultSteps}); interpolation
 *                 runs DDIM (η = 0) with this count, or DDIM's usual 50 when it is 0
 * @param spacing  how the steps are picked among the model's T timesteps
 */
public record ImageConfig(Path modelDir, boolean compiled, SamplerKind sampler, int steps, TimestepSpacing spacing) {

    public ImageConfig {
        Objects.requireNonNull(sampler, "sampler");
        Objects.requireNonNull(spacing, "spacing");
        if (steps < 0) {
            throw new IllegalArgumentException("steps: expected >= 1, or 0 for the sampler's default, got " + steps);
        }
    }

    /** The shipped MNIST model, compiled, DPM-Solver++ 2M with its usual 20 steps, trailing spacing (the CLI's). */
    public static ImageConfig shipped() {
        return new ImageConfig(null, true, SamplerKind.DPMPP_2M, 0, TimestepSpacing.TRAILING);
    }

    /** As {@link #shipped()}, for the model trained in {@code modelDir}. */
    public static ImageConfig of(Path modelDir) {
        return shipped().withModelDir(Objects.requireNonNull(modelDir, "modelDir"));
    }

    /** Steps of the configured sampler for a T-step model: {@link #steps()}, or the sampler's usual count. */
    public int samplerSteps(int numTimesteps) {
        return resolve(sampler, numTimesteps);
    }

    /** Steps of interpolation's DDIM for a T-step model. */
    public int interpolationSteps(int numTimesteps) {
        return resolve(SamplerKind.DDIM, numTimesteps);
    }

    private int resolve(SamplerKind kind, int numTimesteps) {
        if (steps == 0) {
            return kind.defaultSteps(numTimesteps);
        }
        if (steps > numTimesteps) {
            throw new IllegalArgumentException("steps: expected at most the model's T = " + numTimesteps + ", got " + steps);
        }
        return steps;
    }

    public ImageConfig withModelDir(Path value) {
        return new ImageConfig(value, compiled, sampler, steps, spacing);
    }

    public ImageConfig withCompiled(boolean value) {
        return new ImageConfig(modelDir, value, sampler, steps, spacing);
    }

    public ImageConfig withSampler(SamplerKind value) {
        return new ImageConfig(modelDir, compiled, value, steps, spacing);
    }

    public ImageConfig withSteps(int value) {
        return new ImageConfig(modelDir, compiled, sampler, value, spacing);
    }

    public ImageConfig withSpacing(TimestepSpacing value) {
        return new ImageConfig(modelDir, compiled, sampler, steps, value);
    }
}
