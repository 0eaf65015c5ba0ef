package org.diffusion4j.core.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.stream.Stream;
import org.diffusion4j.core.model.Denoiser;
import org.diffusion4j.core.process.GaussianDiffusion;
import org.diffusion4j.core.process.Prediction;
import org.diffusion4j.core.schedule.NoiseSchedule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every sampler, driven by the Bayes-optimal denoiser of a known data distribution, must reproduce that
 * distribution's mean and variance.
 *
 * <p>Gaussian data N(μ, σ²). Because the optimal denoiser is affine in x_t, every sampler output is exactly
 * Gaussian, and its mean and variance after the discrete steps are computed here in double by propagating
 * (mean, variance) — or, for the two-step DPM-Solver++ recursion, the mean vector and 2×2 covariance of
 * (x, previous x̂0) — through the paper formulas ({@link ExactMoments}). Two checks follow:
 * (1) the empirical moments equal those exact discrete moments within 5 standard errors, which catches any wrong
 * coefficient; (2) the exact discrete moments equal the data's within the sampler's discretisation allowance,
 * which documents how close the step count gets (DDIM with 50 steps shrinks the variance by ~10% on this
 * problem: each Euler step multiplies the deviation by cos Δθ with ᾱ = cos²θ; DPM-Solver++ needs TRAILING spacing,
 * with LEADING/LINSPACE its second-order step into t = 0 spans a λ-gap of ~3.5 and overshoots by ~50%).
 *
 * <p>Standard errors. A run draws N = B × 2 independent values (the analytic denoiser acts per coordinate;
 * B = 4096, or 1024 for the slow 1000-step DDPM runs). For data with variance v the sample mean has standard error √(v/N) and the sample variance
 * √(2v²/(N−1)) (Gaussian), or √((μ₄ − v²)/N) for the mixture (μ₄ its fourth central moment). 5 standard errors
 * give a false-failure rate below 1e-6 per check.
 */
class SamplerDistributionTest {

    private static final int DIM = 2;
    private static final double MU = 1.5;
    private static final double SIGMA = 0.5;

    private static NDManager manager;
    private static final NoiseSchedule SCHEDULE = NoiseSchedule.linear(1000);

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static GaussianDiffusion process(Prediction p) {
        return GaussianDiffusion.builder().schedule(SCHEDULE).prediction(p).build();
    }

    /**
     * name, sampler, parameterisation, discretisation allowance on the variance (relative): DDPM with all 1000
     * steps 2%, DDIM η = 0 with 50 steps 15%, η = 1 (= DDPM on the 50-step respaced chain) 25%, DPM-Solver++(2M)
     * with 20 TRAILING steps 10%.
     */
    static Stream<Arguments> samplers() {
        Stream.Builder<Arguments> out = Stream.builder();
        for (Prediction p : Prediction.values()) {
            GaussianDiffusion d = process(p);
            out.add(Arguments.of("ddpm-1000-" + p, DdpmSampler.builder(d).build(), p, 0.02));
            out.add(Arguments.of("ddim-eta0-50-" + p, DdimSampler.builder(d).steps(50).build(), p, 0.15));
            out.add(Arguments.of("dpmpp2m-20-" + p, DpmSolverPlusPlusSampler.builder(d).steps(20)
                    .spacing(TimestepSpacing.TRAILING).build(), p, 0.10));
        }
        GaussianDiffusion eps = process(Prediction.EPSILON);
        out.add(Arguments.of("ddim-eta1-50-EPSILON", DdimSampler.builder(eps).steps(50).eta(1).build(),
                Prediction.EPSILON, 0.25));
        out.add(Arguments.of("ddim-eta1-50-TRAILING-V", DdimSampler.builder(process(Prediction.V)).steps(50).eta(1)
                .spacing(TimestepSpacing.TRAILING).build(), Prediction.V, 0.25));
        out.add(Arguments.of("ddpm-50-respaced-EPSILON", DdpmSampler.builder(eps).steps(50).build(),
                Prediction.EPSILON, 0.25));
        return out.build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samplers")
    void reproducesGaussianData(String name, Sampler sampler, Prediction prediction, double allowance) {
        Denoiser model = AnalyticDenoisers.gaussian(SCHEDULE, MU, SIGMA, prediction);
        double v = SIGMA * SIGMA;
        double[] exact = ExactMoments.of(sampler, SCHEDULE, MU, SIGMA);
        int n = batch(sampler) * DIM;
        double[] m = sample(sampler, model, 11);
        double meanTol = 5 * Math.sqrt(exact[1] / n);
        double varTol = 5 * Math.sqrt(2 * exact[1] * exact[1] / (n - 1));
        assertEquals(exact[0], m[0], meanTol, name + " mean vs exact discrete mean");
        assertEquals(exact[1], m[1], varTol, name + " variance vs exact discrete variance");
        assertEquals(MU, exact[0], 0.02, name + " exact discrete mean vs data mean");
        assertEquals(v, exact[1], allowance * v, name + " exact discrete variance vs data variance");
    }

    /** The mixture runs the same samplers, with DDPM-1000 only for ε (its x0/v paths are covered above). */
    static Stream<Arguments> mixtureSamplers() {
        return samplers().filter(a -> !((String) a.get()[0]).matches("ddpm-1000-(X0|V)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mixtureSamplers")
    void reproducesGaussianMixture(String name, Sampler sampler, Prediction prediction, double allowance) {
        double m1 = -2;
        double m2 = 2;
        double s = 0.5;
        Denoiser model = AnalyticDenoisers.mixture(SCHEDULE, m1, m2, s, prediction);
        // Mixture moments: mean 0, v = s² + 4, μ₄ = E[(x)^4] = 3s⁴ + 6s²·4 + 16 (x = ±2 + sN).
        double v = s * s + 4;
        double mu4 = 3 * Math.pow(s, 4) + 6 * s * s * 4 + 16;
        int n = batch(sampler) * DIM;
        double[] m = sample(sampler, model, 12);
        double meanTol = 5 * Math.sqrt(v / n);
        double varTol = 5 * Math.sqrt((mu4 - v * v) / n) + allowance * v;
        assertEquals(0.0, m[0], meanTol, name + " mean");
        assertEquals(v, m[1], varTol, name + " variance");
    }

    private static int batch(Sampler sampler) {
        return sampler.timesteps().length > 100 ? 1024 : 4096;
    }

    private static double[] sample(Sampler sampler, Denoiser model, long seed) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = sampler.sample(model, new Shape(batch(sampler), DIM), SamplingOptions.builder(scope).seed(seed).build());
            return AnalyticDenoisers.moments(x);
        }
    }
}
