package org.diffusion4j.audio.schedule;

import java.util.Objects;
import org.diffusion4j.core.random.NoiseSource;

/**
 * WaveGrad's training-time noise-level distribution (Chen et al. 2021 §3.2, lmnt learner.py): with the
 * training schedule's levels L_0 = 1, L_s = √∏_{i≤s}(1 − β_i), draw s uniformly in 1..S and then
 * √ᾱ ~ U(L_{s−1}, L_s). Conditioning on this continuous level is what lets one network run every
 * inference schedule. A trainer makes the noisy input y = l·y₀ + √(1 − l²)·ε and regresses ε with L1.
 *
 * <p>Optional low-noise emphasis (not in lmnt or the paper; {@link #of(InferenceSchedule, double)}): with probability f
 * a draw instead takes the noise variance 1 − l² log-uniform over the schedule's range [1 − ᾱ_1, 1 − ᾱ_S]. With
 * linspace(1e-6, 0.01, 1000), ᾱ_t ≈ exp(−5e-6·t²), so lmnt's draw puts only about 2 % of the examples at
 * l ≥ 0.999, the levels where the last steps of every inference schedule run; the log-uniform draw puts about
 * half of them there (the same idea as EDM's log-normal σ, Karras et al. 2022 §5). f = 0 is lmnt's
 * distribution exactly and consumes the same random numbers.
 */
public final class ContinuousNoiseLevels {

    private final double[] levels;
    private final double lowNoiseFraction;
    /** ln(1 − ᾱ_1) and ln(1 − ᾱ_S): the range of the log-uniform noise variance. */
    private final double logVarianceMin;
    private final double logVarianceMax;

    public ContinuousNoiseLevels(InferenceSchedule trainingSchedule) {
        this(trainingSchedule, 0);
    }

    private ContinuousNoiseLevels(InferenceSchedule trainingSchedule, double lowNoiseFraction) {
        Objects.requireNonNull(trainingSchedule, "trainingSchedule");
        if (!(lowNoiseFraction >= 0 && lowNoiseFraction <= 1)) {
            throw new IllegalArgumentException("lowNoiseFraction: expected a value in [0, 1], got " + lowNoiseFraction);
        }
        double[] l = trainingSchedule.noiseLevels();
        levels = new double[l.length + 1];
        levels[0] = 1;
        System.arraycopy(l, 0, levels, 1, l.length);
        double[] alphaBars = trainingSchedule.alphaBars();
        this.lowNoiseFraction = lowNoiseFraction;
        // 1 − ᾱ from the betas' products directly: 1 − L² would lose the 1e-6 of the first step to rounding
        logVarianceMin = Math.log(1 - alphaBars[0]);
        logVarianceMax = Math.log(1 - alphaBars[alphaBars.length - 1]);
    }

    /** The training schedule's levels with a fraction f in [0, 1] of the draws log-uniform in the noise variance. */
    public static ContinuousNoiseLevels of(InferenceSchedule trainingSchedule, double lowNoiseFraction) {
        return new ContinuousNoiseLevels(trainingSchedule, lowNoiseFraction);
    }

    public double lowNoiseFraction() {
        return lowNoiseFraction;
    }

    /** L_0..L_S (S + 1 values, decreasing from 1). */
    public double[] levels() {
        return levels.clone();
    }

    /** One draw of the continuous level. */
    public double sample(NoiseSource rng) {
        if (lowNoiseFraction > 0 && rng.nextDouble() < lowNoiseFraction) {
            double variance = Math.exp(logVarianceMin + rng.nextDouble() * (logVarianceMax - logVarianceMin));
            return Math.sqrt(1 - variance);
        }
        int s = 1 + rng.nextInt(levels.length - 1);
        return levels[s - 1] + rng.nextDouble() * (levels[s] - levels[s - 1]);
    }

    /** {@code count} draws as floats (for a [B] noise-level input). */
    public float[] sample(NoiseSource rng, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count: expected >= 1, got " + count);
        }
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = (float) sample(rng);
        }
        return out;
    }
}
