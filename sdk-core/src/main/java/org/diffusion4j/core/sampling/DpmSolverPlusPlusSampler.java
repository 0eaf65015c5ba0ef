package org.diffusion4j.core.sampling;

import ai.djl.ndarray.NDArray;
import org.diffusion4j.core.process.GaussianDiffusion;

/**
 * DPM-Solver++(2M) (Lu et al. 2022, "DPM-Solver++", Algorithm 2): a second-order multistep solver of the
 * diffusion ODE in its data-prediction form, for good samples in about 20 steps. With α_t = √ᾱ_t,
 * σ_t = √(1 − ᾱ_t), λ_t = log α_t − log σ_t and h = λ_{t'} − λ_t, one step from t to t' is
 * x_{t'} = (σ_{t'}/σ_t)·x_t − α_{t'}·(e^{−h} − 1)·D, where D = x̂0_t for the first-order (DDIM-equivalent) update and
 * D = (1 + 1/(2r))·x̂0_t − (1/(2r))·x̂0_{prev}, r = h_{prev}/h, for the second-order one.
 *
 * <p>The first step of a run (and the first after {@link SamplerState#reset()}) is first order; the last step,
 * to ᾱ = 1 where λ = +∞, is first order too ("lower order final"), which returns x̂0. The previous x̂0 and λ
 * live in the {@link SamplerState}. The step computes x̂0 (it is the next step's history) and then
 * x' = a·x + b·x̂0 + c·x̂0_prev with host-folded scalars.
 */
public final class DpmSolverPlusPlusSampler extends AbstractSampler {

    private DpmSolverPlusPlusSampler(Builder b) {
        super(b);
    }

    public static Builder builder(GaussianDiffusion diffusion) {
        return new Builder(diffusion);
    }

    @Override
    public boolean usesNoise(int t) {
        return false;
    }

    /** λ_t = log α_t − log σ_t = ½·(log ᾱ_t − log(1 − ᾱ_t)). */
    static double lambda(double abar) {
        return 0.5 * (Math.log(abar) - Math.log1p(-abar));
    }

    @Override
    public NDArray step(SamplerState state, NDArray modelOutput, int t, NDArray x, NDArray noise) {
        int next = nextTimestep(t);
        NDArray mean = meanOutput(modelOutput, x);
        double abar = alphaBar(t);
        Affine k = outputCoefficients(abar);
        if (next < 0) {
            // λ_{t'} = +∞: e^{−h} = 0 and σ_{t'} = 0, so the first-order update is x̂0 itself.
            state.advance();
            return predictX0(x, mean, k);
        }
        double abarNext = alphaBar(next);
        double lambdaT = lambda(abar);
        double lambdaNext = lambda(abarNext);
        double h = lambdaNext - lambdaT;
        double ratio = Math.sqrt(1 - abarNext) / Math.sqrt(1 - abar);
        double phi = -Math.sqrt(abarNext) * Math.expm1(-h); // α_{t'}·(1 − e^{−h})
        NDArray x0 = predictX0(x, mean, k);
        NDArray previous = state.previousX0();
        NDArray out;
        if (previous == null) {
            out = combine(x, ratio, x0, phi);
        } else {
            double r = (lambdaT - state.previousLambda()) / h;
            double half = 1.0 / (2.0 * r);
            out = combine(x, ratio, x0, phi * (1 + half), previous, -phi * half);
        }
        state.remember(x0, lambdaT);
        state.advance();
        return out;
    }

    @Override
    public String toString() {
        return "DpmSolverPlusPlusSampler[2M, steps=" + numSteps() + "]";
    }

    /** Builder: steps, spacing (diffusers' default for DPM-Solver is LINSPACE) or explicit timesteps. */
    public static final class Builder extends AbstractSampler.Builder<Builder> {
        private Builder(GaussianDiffusion diffusion) {
            super(diffusion);
        }

        @Override
        Builder self() {
            return this;
        }

        public DpmSolverPlusPlusSampler build() {
            return new DpmSolverPlusPlusSampler(this);
        }
    }
}
