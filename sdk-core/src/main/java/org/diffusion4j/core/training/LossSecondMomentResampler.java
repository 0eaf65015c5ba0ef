package org.diffusion4j.core.training;

import java.util.Arrays;

/**
 * Loss-aware importance sampling of t (Nichol &amp; Dhariwal 2021 §3.3; improved-diffusion's
 * {@code LossSecondMomentResampler}). Keeps the last {@code history} losses seen at each t; once every t has a full
 * history, p(t) ∝ √mean(L_t²), then p ← (1 − u)·p + u/T with the uniform mass u; before that, p is uniform.
 *
 * <p>Mutable and not thread-safe: the trainer owns one instance. {@link #state()} / {@link #restore(State)} copy
 * the history for checkpoints.
 */
public final class LossSecondMomentResampler implements TimestepSampler {

    /** A copy of the loss history: {@code losses[t * history + k]}, {@code counts[t]} entries valid. */
    public record State(int numTimesteps, int history, double[] losses, int[] counts) {
    }

    private final int numTimesteps;
    private final int history;
    private final double uniformProbability;
    private final double[] losses;
    private final int[] counts;

    public LossSecondMomentResampler(int numTimesteps, int history, double uniformProbability) {
        if (numTimesteps < 1) {
            throw new IllegalArgumentException("numTimesteps: expected at least 1, got " + numTimesteps);
        }
        if (history < 1) {
            throw new IllegalArgumentException("history: expected at least 1, got " + history);
        }
        if (!(uniformProbability >= 0.0 && uniformProbability <= 1.0)) {
            throw new IllegalArgumentException("uniformProbability: expected a value in [0, 1], got " + uniformProbability);
        }
        this.numTimesteps = numTimesteps;
        this.history = history;
        this.uniformProbability = uniformProbability;
        this.losses = new double[numTimesteps * history];
        this.counts = new int[numTimesteps];
    }

    /** True once every timestep has a full history. */
    public boolean warmedUp() {
        for (int c : counts) {
            if (c < history) {
                return false;
            }
        }
        return true;
    }

    @Override
    public double[] probabilities() {
        double[] p = new double[numTimesteps];
        if (!warmedUp()) {
            Arrays.fill(p, 1.0 / numTimesteps);
            return p;
        }
        double total = 0.0;
        for (int t = 0; t < numTimesteps; t++) {
            double sq = 0.0;
            for (int k = 0; k < history; k++) {
                double l = losses[t * history + k];
                sq += l * l;
            }
            p[t] = Math.sqrt(sq / history);
            total += p[t];
        }
        for (int t = 0; t < numTimesteps; t++) {
            // All-zero losses leave nothing to prefer: fall back to uniform.
            double base = total > 0 ? p[t] / total : 1.0 / numTimesteps;
            p[t] = base * (1.0 - uniformProbability) + uniformProbability / numTimesteps;
        }
        return p;
    }

    @Override
    public void update(long[] timesteps, double[] values) {
        if (timesteps.length != values.length) {
            throw new IllegalArgumentException("losses: expected " + timesteps.length + " values (one per timestep), got "
                    + values.length);
        }
        for (int i = 0; i < timesteps.length; i++) {
            long tl = timesteps[i];
            if (tl < 0 || tl >= numTimesteps) {
                throw new IllegalArgumentException("timesteps: expected values in [0, " + numTimesteps + "), got " + tl);
            }
            int t = (int) tl;
            int base = t * history;
            if (counts[t] == history) {
                // Drop the oldest loss, as improved-diffusion does.
                System.arraycopy(losses, base + 1, losses, base, history - 1);
                losses[base + history - 1] = values[i];
            } else {
                losses[base + counts[t]] = values[i];
                counts[t]++;
            }
        }
    }

    public State state() {
        return new State(numTimesteps, history, losses.clone(), counts.clone());
    }

    /**
     * Replaces the history by a saved one.
     *
     * @throws IllegalArgumentException if its sizes differ from this sampler's
     */
    public void restore(State state) {
        if (state.numTimesteps() != numTimesteps || state.history() != history
                || state.losses().length != losses.length || state.counts().length != counts.length) {
            throw new IllegalArgumentException("state: expected T=" + numTimesteps + ", history=" + history
                    + ", got T=" + state.numTimesteps() + ", history=" + state.history());
        }
        for (int c : state.counts()) {
            if (c < 0 || c > history) {
                throw new IllegalArgumentException("state: expected counts in [0, " + history + "], got " + c);
            }
        }
        System.arraycopy(state.losses(), 0, losses, 0, losses.length);
        System.arraycopy(state.counts(), 0, counts, 0, counts.length);
    }
}
