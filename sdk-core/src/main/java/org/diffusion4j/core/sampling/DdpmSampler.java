package org.diffusion4j.core.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.diffusion4j.core.process.GaussianDiffusion;
import org.diffusion4j.core.process.ModelDistribution;

/**
 * Ancestral sampling (Ho et al. 2020, Algorithm 2): x_{t'} = μ_θ(x_t, t) + σ_t·z from
 * {@link GaussianDiffusion#pMeanVariance}, so every variance type (fixed small, fixed large, learned, learned range)
 * and every parameterisation is handled exactly as in training; no noise is added at the final step.
 *
 * <p>On a subset of timesteps the one-step posterior q(x_{t−1} | x_t, x0) of the full schedule is the wrong
 * transition: the sampler jumps from t to the next kept t', so it needs the posterior of the respaced chain.
 * When the timesteps are not all of the schedule's, this sampler therefore runs on
 * {@code schedule.respace(timesteps)} (improved-diffusion's {@code SpacedDiffusion}): betas recomputed as
 * β'_i = 1 − ᾱ_{k_i}/ᾱ_{k_{i−1}} so that ᾱ at every kept step is unchanged, and with it the posterior mean, β̃' and,
 * for learned ranges, the interpolation between log β̃' and log β'. The network still sees the original t.
 */
public final class DdpmSampler extends AbstractSampler {

    /** The process the step runs on: the given one, or its respacing onto the chosen timesteps. */
    private final GaussianDiffusion stepProcess;
    private final boolean respaced;

    private DdpmSampler(Builder b) {
        super(b);
        int[] ts = timesteps();
        respaced = ts.length != diffusion.numTimesteps();
        if (respaced) {
            int[] ascending = new int[ts.length];
            for (int i = 0; i < ts.length; i++) {
                ascending[i] = ts[ts.length - 1 - i];
            }
            stepProcess = diffusion.withSchedule(diffusion.schedule().respace(ascending));
        } else {
            stepProcess = diffusion;
        }
    }

    public static Builder builder(GaussianDiffusion diffusion) {
        return new Builder(diffusion);
    }

    /** The process whose posterior the steps use (the respaced one when steps < T). */
    public GaussianDiffusion stepProcess() {
        return stepProcess;
    }

    @Override
    public boolean usesNoise(int t) {
        return nextTimestep(t) >= 0;
    }

    @Override
    public NDArray step(SamplerState state, NDArray modelOutput, int t, NDArray x, NDArray noise) {
        int position = positionOf(t);
        int index = respaced ? numSteps() - 1 - position : t;
        long batch = x.getShape().get(0);
        NDArray tArray = x.getManager().full(new Shape(batch), index, DataType.INT64);
        ModelDistribution p = stepProcess.pMeanVariance(modelOutput, x, tArray, x0Transform);
        NDArray out;
        if (nextTimestep(t) < 0) {
            out = p.mean(); // Algorithm 2: z = 0 at the last step
        } else {
            requireNoise(noise, x);
            out = p.mean().add(p.logVariance().mul(0.5).exp().mul(noise));
        }
        state.advance();
        return out;
    }

    @Override
    public String toString() {
        return "DdpmSampler[" + stepProcess.varianceType() + ", steps=" + numSteps() + (respaced ? ", respaced" : "")
                + "]";
    }

    /** Builder: steps (default T), spacing or explicit timesteps, x0 transform. */
    public static final class Builder extends AbstractSampler.Builder<Builder> {
        private Builder(GaussianDiffusion diffusion) {
            super(diffusion);
        }

        @Override
        Builder self() {
            return this;
        }

        public DdpmSampler build() {
            return new DdpmSampler(this);
        }
    }
}
