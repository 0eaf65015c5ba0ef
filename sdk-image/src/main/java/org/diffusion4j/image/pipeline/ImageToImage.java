package org.diffusion4j.image.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;
import org.diffusion4j.core.random.NoiseSource;
import org.diffusion4j.core.sampling.Sampler;
import org.diffusion4j.core.sampling.SamplingOptions;

/**
 * Image-to-image editing by SDEdit (Meng et al. 2022): the input is diffused to an intermediate level,
 * x_t = √ᾱ_t·x₀ + √(1−ᾱ_t)·ε, and denoised from there. The strength s ∈ [0, 1] picks the start: the largest of
 * the sampler's timesteps t with t + 1 ≤ s·T (T = the process' timesteps). s = 0 returns the input unchanged;
 * s = 1 starts from the first timestep, almost pure noise, and keeps little of the input. Small s keeps the
 * layout and changes details; guidance can pull the image towards a class.
 */
public final class ImageToImage {

    private final ImageModel model;
    private final Sampler sampler;

    public ImageToImage(ImageModel model, Sampler sampler) {
        this.model = Objects.requireNonNull(model, "model");
        this.sampler = Objects.requireNonNull(sampler, "sampler");
    }

    /** The timestep SDEdit starts from at {@code strength}, or −1 when no step is taken. */
    public int startTimestep(double strength) {
        if (!(strength >= 0 && strength <= 1)) {
            throw new IllegalArgumentException("strength: expected a value in [0, 1], got " + strength);
        }
        double limit = strength * sampler.diffusion().numTimesteps();
        for (int t : sampler.timesteps()) { // descending
            if (t + 1 <= limit + 1e-9) {
                return t;
            }
        }
        return -1;
    }

    /**
     * @param image [B, C, H, W] in [−1, 1], the model's size
     * @return the edited batch; a copy of {@code image} when {@code strength} selects no step
     */
    public NDArray edit(NDArray image, double strength, Guidance guidance, long seed, NDManager manager) {
        int b = model.requireImage("image", image);
        Objects.requireNonNull(guidance, "guidance");
        int t = startTimestep(strength);
        try (NDManager scope = manager.newSubManager()) {
            Guidance.Resolved r = guidance.resolve(model, b, scope);
            if (t < 0) {
                NDArray copy = image.duplicate();
                copy.attach(manager);
                return copy;
            }
            // The forward noise comes from its own stream so that the sampler's stream (same seed) stays independent.
            NDArray noise = NoiseSource.seeded(~seed).normal(scope, image.getShape(), DataType.FLOAT32);
            NDArray tArr = scope.full(new Shape(b), t, DataType.INT64);
            NDArray xt = sampler.diffusion().qSample(image, tArr, noise);
            SamplingOptions o = SamplingOptions.builder(scope).seed(seed).conditioning(r.conditioning())
                    .initial(t, xt).build();
            NDArray x = sampler.sample(r.denoiser(), image.getShape(), o);
            x.attach(manager);
            return x;
        }
    }
}
