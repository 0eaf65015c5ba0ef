package org.diffusion4j.core.sampling;

import ai.djl.ndarray.NDArray;
import org.diffusion4j.core.model.Denoiser;
import org.diffusion4j.core.process.GaussianDiffusion;

/**
 * DDIM (Song et al. 2021, eq. 12) on any subset of timesteps: from x_t the network gives x̂0 and ε̂, and
 * x_{t'} = √ᾱ_{t'}·x̂0 + √(1 − ᾱ_{t'} − σ²)·ε̂ + σ·z with σ = η·√((1 − ᾱ_{t'})/(1 − ᾱ_t))·√(1 − ᾱ_t/ᾱ_{t'}).
 * η = 0 is the deterministic probability-flow-like sampler, η = 1 matches DDPM's posterior variance β̃ on the
 * chosen subset. t' is the next timestep of the list; after the last one ᾱ_{t'} = 1 (the step returns x̂0, as
 * improved-diffusion's respaced process and diffusers' {@code set_alpha_to_one} do).
 *
 * <p>The step folds its scalars on the host: without an x0 transform it is x' = a·x + b·m (+ σ·z), three tensor
 * operations at η = 0. {@link #invert} runs the same map backwards (x0 → x_T) for editing and interpolation.
 */
public final class DdimSampler extends AbstractSampler {

    private final double eta;

    private DdimSampler(Builder b) {
        super(b);
        this.eta = b.eta;
    }

    public static Builder builder(GaussianDiffusion diffusion) {
        return new Builder(diffusion);
    }

    public double eta() {
        return eta;
    }

    @Override
    public boolean usesNoise(int t) {
        return eta > 0 && nextTimestep(t) >= 0;
    }

    @Override
    public NDArray step(SamplerState state, NDArray modelOutput, int t, NDArray x, NDArray noise) {
        int next = nextTimestep(t);
        NDArray mean = meanOutput(modelOutput, x);
        double abar = alphaBar(t);
        double abarNext = alphaBar(next);
        double sigma = eta == 0 ? 0.0
                : eta * Math.sqrt((1 - abarNext) / (1 - abar)) * Math.sqrt(1 - abar / abarNext);
        double epsCoef = Math.sqrt(Math.max(0.0, 1 - abarNext - sigma * sigma));
        double sqrtNext = Math.sqrt(abarNext);
        Affine k = outputCoefficients(abar);
        if (sigma > 0) {
            requireNoise(noise, x);
        }
        NDArray out;
        if (x0Transform == null) {
            out = combine(x, sqrtNext * k.x0FromX() + epsCoef * k.epsFromX(), mean,
                    sqrtNext * k.x0FromOut() + epsCoef * k.epsFromOut(), noise, sigma);
        } else {
            // ε̂ recomputed from the transformed x̂0, as improved-diffusion's ddim_sample does.
            NDArray x0 = predictX0(x, mean, k);
            double s1 = Math.sqrt(1 - abar);
            out = combine(x, epsCoef / s1, x0, sqrtNext - epsCoef * Math.sqrt(abar) / s1, noise, sigma);
        }
        state.advance();
        return out;
    }

    /**
     * DDIM inversion (η = 0 run backwards; improved-diffusion's {@code ddim_reverse_sample}): starting from the
     * clean {@code x0}, each step evaluates the network at the current level and moves to the next higher
     * timestep of {@link #timesteps()}, ending at the first (largest) one. The first step evaluates the network at
     * the smallest timestep, the closest level to the data. Sampling from the result with η = 0 returns x0 up to
     * the discretisation error. Uses the options' manager, conditioning and listener; its seed is not used.
     */
    public NDArray invert(Denoiser denoiser, NDArray x0, SamplingOptions options) {
        int[] ts = timesteps();
        int n = ts.length;
        int[] ascending = new int[n];
        for (int i = 0; i < n; i++) {
            ascending[i] = ts[n - 1 - i];
        }
        return new SamplingLoop(this).runInversion(denoiser, x0, options, ascending, (x, out, from, to) -> {
            NDArray mean = meanOutput(out, x);
            Affine k = outputCoefficients(alphaBar(from));
            double sa = Math.sqrt(alphaBar(to));
            double s1 = Math.sqrt(1 - alphaBar(to));
            if (x0Transform == null) {
                return combine(x, sa * k.x0FromX() + s1 * k.epsFromX(), mean, sa * k.x0FromOut() + s1 * k.epsFromOut());
            }
            NDArray x0Hat = predictX0(x, mean, k);
            double sFrom = Math.sqrt(1 - alphaBar(from));
            return combine(x, s1 / sFrom, x0Hat, sa - s1 * Math.sqrt(alphaBar(from)) / sFrom);
        });
    }

    @Override
    public String toString() {
        return "DdimSampler[eta=" + eta + ", steps=" + numSteps() + "]";
    }

    /** Builder: steps, spacing or explicit timesteps, η (default 0), x0 transform. */
    public static final class Builder extends AbstractSampler.Builder<Builder> {
        private double eta;

        private Builder(GaussianDiffusion diffusion) {
            super(diffusion);
        }

        @Override
        Builder self() {
            return this;
        }

        /** η ∈ [0, 1]: 0 deterministic, 1 the DDPM-like stochastic sampler. */
        public Builder eta(double eta) {
            if (!(eta >= 0 && eta <= 1)) {
                throw new IllegalArgumentException("eta: expected a value in [0, 1], got " + eta);
            }
            this.eta = eta;
            return this;
        }

        public DdimSampler build() {
            return new DdimSampler(this);
        }
    }
}
