package org.diffusion4j.image.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Objects;
import org.diffusion4j.core.sampling.Sampler;
import org.diffusion4j.core.sampling.SamplingListener;
import org.diffusion4j.core.sampling.SamplingOptions;

/**
 * Unconditional and class-conditional generation: x_T ~ N(0, I) from the seed, then the sampler's reverse
 * process. A class-conditional model generates "unconditionally" through its null class; class labels go through
 * classifier-free guidance (see {@link Guidance}).
 */
public final class Generation {

    private final ImageModel model;
    private final Sampler sampler;
    private final SamplingListener listener;

    public Generation(ImageModel model, Sampler sampler) {
        this(model, sampler, null);
    }

    /** With a listener told about every network evaluation (progress bars); null for none. */
    public Generation(ImageModel model, Sampler sampler, SamplingListener listener) {
        this.model = Objects.requireNonNull(model, "model");
        this.sampler = Objects.requireNonNull(sampler, "sampler");
        this.listener = listener;
    }

    /** {@code count} unconditional images, [count, C, H, W] in about [−1, 1], in {@code manager}. */
    public NDArray generate(int count, long seed, NDManager manager) {
        return generate(count, Guidance.none(), seed, manager);
    }

    /** One image per label, guided with weight {@code scale} (≥ 0). */
    public NDArray generate(int[] labels, double scale, long seed, NDManager manager) {
        Objects.requireNonNull(labels, "labels");
        if (labels.length == 0) {
            throw new IllegalArgumentException("labels: expected at least one label, got none");
        }
        return generate(labels.length, Guidance.of(labels, scale), seed, manager);
    }

    /** {@code count} images under {@code guidance}. */
    public NDArray generate(int count, Guidance guidance, long seed, NDManager manager) {
        if (count < 1) {
            throw new IllegalArgumentException("count: expected >= 1, got " + count);
        }
        Objects.requireNonNull(guidance, "guidance");
        try (NDManager scope = manager.newSubManager()) {
            Guidance.Resolved r = guidance.resolve(model, count, scope);
            SamplingOptions.Builder o = SamplingOptions.builder(scope).seed(seed).conditioning(r.conditioning());
            if (listener != null) {
                o.listener(listener);
            }
            NDArray x = sampler.sample(r.denoiser(), model.shape(count), o.build());
            x.attach(manager);
            return x;
        }
    }
}
