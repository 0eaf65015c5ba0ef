package org.diffusion4j.core.training;

import java.util.Arrays;
import org.diffusion4j.core.random.NoiseSource;

/** t ~ U{0, …, T−1} with unit weights. Stateless. */
public final class UniformTimestepSampler implements TimestepSampler {

    private final int numTimesteps;

    public UniformTimestepSampler(int numTimesteps) {
        if (numTimesteps < 1) {
            throw new IllegalArgumentException("numTimesteps: expected at least 1, got " + numTimesteps);
        }
        this.numTimesteps = numTimesteps;
    }

    @Override
    public double[] probabilities() {
        double[] p = new double[numTimesteps];
        Arrays.fill(p, 1.0 / numTimesteps);
        return p;
    }

    @Override
    public Draw sample(int batch, NoiseSource noise) {
        double[] w = new double[batch];
        Arrays.fill(w, 1.0);
        return new Draw(noise.uniformTimesteps(batch, numTimesteps), w);
    }

    @Override
    public void update(long[] timesteps, double[] losses) {
        // Uniform sampling does not depend on the losses.
    }
}
