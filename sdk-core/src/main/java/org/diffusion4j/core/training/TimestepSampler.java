package org.diffusion4j.core.training;

import org.diffusion4j.core.random.NoiseSource;

/**
 * Draws the training timesteps of a batch together with importance weights (improved-diffusion's
 * {@code ScheduleSampler}): the trainer minimises mean_i(w_i·L(t_i)), which is an unbiased estimate of the loss
 * averaged over uniform t whenever w_i = 1/(T·p(t_i)).
 */
public interface TimestepSampler {

    /** Timesteps t_i and their weights w_i. */
    record Draw(long[] timesteps, double[] weights) {
    }

    /** The sampling probabilities p(t) for t = 0..T−1 (they sum to 1). */
    double[] probabilities();

    /** Draws {@code batch} timesteps from {@link #probabilities()} and weights 1/(T·p(t)). */
    default Draw sample(int batch, NoiseSource noise) {
        double[] p = probabilities();
        int n = p.length;
        double[] cdf = new double[n];
        double acc = 0.0;
        for (int i = 0; i < n; i++) {
            acc += p[i];
            cdf[i] = acc;
        }
        long[] t = new long[batch];
        double[] w = new double[batch];
        for (int b = 0; b < batch; b++) {
            double u = noise.nextDouble() * acc;
            int lo = 0;
            int hi = n - 1;
            while (lo < hi) { // first index with cdf > u
                int mid = (lo + hi) >>> 1;
                if (cdf[mid] > u) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            t[b] = lo;
            w[b] = 1.0 / (n * (p[lo] / acc));
        }
        return new Draw(t, w);
    }

    /** Records the (unweighted) per-example losses seen at the given timesteps. */
    void update(long[] timesteps, double[] losses);
}
