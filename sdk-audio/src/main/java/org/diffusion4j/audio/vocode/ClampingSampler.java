package org.diffusion4j.audio.vocode;

import ai.djl.ndarray.NDArray;
import java.util.Objects;
import org.diffusion4j.core.process.GaussianDiffusion;
import org.diffusion4j.core.sampling.Sampler;
import org.diffusion4j.core.sampling.SamplerState;

/**
 * A {@link Sampler} decorator that clamps every new sample to [lo, hi] after the wrapped step, noise included:
 * lmnt-com/wavegrad inference.py does {@code audio = clamp(audio, -1, 1)} after each reverse step. Core's
 * samplers only offer a transform of x̂₀ (which lmnt does not clip), so the clamp of x lives here, in the
 * domain module, without touching the core loop: {@link Sampler#sample} runs core's {@code SamplingLoop} over
 * this decorator, so seeds, scopes and listeners behave exactly as for the wrapped sampler.
 */
public final class ClampingSampler implements Sampler {

    private final Sampler delegate;
    private final float lo;
    private final float hi;
    private final NDArray scale;

    public ClampingSampler(Sampler delegate, float lo, float hi) {
        this(delegate, lo, hi, null);
    }

    /**
     * A sampler of a whitened variable z = x/s (PriorGrad's prior run as standard diffusion, {@code MelEnergyPrior}):
     * the clamp applies to x = s⊙z, that is z ← clamp(s⊙z, lo, hi)/s.
     *
     * @param scale s, broadcastable to the samples, every value &gt; 0; null clamps the samples themselves
     */
    public ClampingSampler(Sampler delegate, float lo, float hi, NDArray scale) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        if (!(lo < hi)) {
            throw new IllegalArgumentException("lo/hi: expected lo < hi, got " + lo + " and " + hi);
        }
        this.lo = lo;
        this.hi = hi;
        this.scale = scale;
    }

    /** Clamps to [−1, 1], the range of audio samples. */
    public static ClampingSampler audio(Sampler delegate) {
        return new ClampingSampler(delegate, -1f, 1f);
    }

    @Override
    public GaussianDiffusion diffusion() {
        return delegate.diffusion();
    }

    @Override
    public int[] timesteps() {
        return delegate.timesteps();
    }

    @Override
    public int nextTimestep(int t) {
        return delegate.nextTimestep(t);
    }

    @Override
    public boolean usesNoise(int t) {
        return delegate.usesNoise(t);
    }

    @Override
    public SamplerState start() {
        return delegate.start();
    }

    @Override
    public NDArray step(SamplerState state, NDArray modelOutput, int t, NDArray x, NDArray noise) {
        NDArray next = delegate.step(state, modelOutput, t, x, noise);
        return scale == null ? next.clip(lo, hi) : next.mul(scale).clip(lo, hi).div(scale);
    }

    @Override
    public String toString() {
        return "Clamp[" + lo + ", " + hi + (scale == null ? "" : " of s*z") + "](" + delegate + ")";
    }
}
