package org.diffusion4j.audio.schedule;

import java.util.Objects;
import org.diffusion4j.core.random.NoiseSource;

/**
 * WaveGrad's training-time noise-level distribution (Chen et al. 2021 §3.2, lmnt learner.py): with the
 * training schedule's levels L_0 = 1, L_s = √∏_{i≤s}(1 − β_i), draw s uniformly in 1..S and then
 * √ᾱ ~ U(L_{s−1}, L_s). Conditioning on this continuous level is what lets one network run every
 * inference schedule. A trainer makes the noisy input y = l·y₀ + √(1 − l²)·ε and regresses ε with L1.
 */
public final class ContinuousNoiseLevels {

    private final double[] levels;

    public ContinuousNoiseLevels(InferenceSchedule trainingSchedule) {
        Objects.requireNonNull(trainingSchedule, "trainingSchedule");
        double[] l = trainingSchedule.noiseLevels();
        levels = new double[l.length + 1];
        levels[0] = 1;
        System.arraycopy(l, 0, levels, 1, l.length);
    }

    /** L_0..L_S (S + 1 values, decreasing from 1). */
    public double[] levels() {
        return levels.clone();
    }

    /** One draw of the continuous level. */
    public double sample(NoiseSource rng) {
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
