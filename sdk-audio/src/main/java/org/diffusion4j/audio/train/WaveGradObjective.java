package org.diffusion4j.audio.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;
import org.diffusion4j.audio.model.WaveGradConfig;
import org.diffusion4j.audio.prior.MelEnergyPrior;
import org.diffusion4j.audio.schedule.ContinuousNoiseLevels;
import org.diffusion4j.core.model.Denoiser;
import org.diffusion4j.core.process.GaussianDiffusion;
import org.diffusion4j.core.random.NoiseSource;
import org.diffusion4j.core.training.DiffusionObjective;
import org.diffusion4j.core.training.TrainingBatch;

/**
 * WaveGrad's training loss as a core {@link DiffusionObjective} (Chen et al. 2021 Alg. 1; lmnt learner.py):
 * the trainer's discrete t is ignored; each example draws a continuous level l = √ᾱ from
 * {@link ContinuousNoiseLevels} (uniform between neighbouring levels of the training schedule), the input is
 * y = l·y₀ + √(1 − l²)·ε, the network is called with l in the place of t, and the loss is mean |ε − ε̂|
 * over the samples of each example (L1, paper eq. 6). With a {@link MelEnergyPrior} the noise and the loss are
 * PriorGrad's ({@link #WaveGradObjective(ContinuousNoiseLevels, WaveGradConfig)}).
 *
 * <p>Batch layout: x0 = audio [B, T]; cond = NDList(mel [B, nMels, F]) with T = hop·F. All randomness comes
 * from the trainer's per-step {@code noise} (levels first, then ε), so a resumed run is exact.
 */
public final class WaveGradObjective implements DiffusionObjective {

    private final ContinuousNoiseLevels levels;
    private final MelEnergyPrior prior;
    private final int hop;

    /** WaveGrad's objective with N(0, I) noise. */
    public WaveGradObjective(ContinuousNoiseLevels levels) {
        this.levels = Objects.requireNonNull(levels, "levels");
        this.prior = null;
        this.hop = 0;
    }

    /**
     * The objective a network of this config trains with: WaveGrad's without a prior; with its
     * {@link MelEnergyPrior}, PriorGrad's: the noise is s⊙ε with s = {@code prior.std(mel, hop)}, and the loss is
     * mean |ε − ε̂/s| = mean |Σ^{-1/2}(s⊙ε − ε̂)|, the L1 form of PriorGrad's Σ^{-1}-weighted loss (their eq. 5).
     */
    public WaveGradObjective(ContinuousNoiseLevels levels, WaveGradConfig network) {
        this.levels = Objects.requireNonNull(levels, "levels");
        Objects.requireNonNull(network, "network");
        this.prior = network.prior();
        this.hop = network.hop();
    }

    @Override
    public NDArray losses(GaussianDiffusion diffusion, Denoiser denoiser, TrainingBatch batch, NDArray t, NoiseSource noise) {
        NDArray y0 = batch.x0();
        if (y0.getShape().dimension() != 2) {
            throw new IllegalArgumentException("batch.x0: expected audio [B, T], got " + y0.getShape());
        }
        if (batch.cond().size() != 1) {
            throw new IllegalArgumentException("batch.cond: expected NDList(mel [B, nMels, F]), got " + batch.cond().size()
                    + " arrays");
        }
        int b = batch.size();
        NDManager m = y0.getManager();
        float[] l = levels.sample(noise, b);
        float[] s = new float[b];
        for (int i = 0; i < b; i++) {
            s[i] = (float) Math.sqrt(Math.max(0.0, 1.0 - (double) l[i] * l[i]));
        }
        NDArray level = m.create(l, new Shape(b));
        NDArray eps = noise.normalLike(y0);
        if (prior == null) {
            NDArray noisy = y0.mul(level.reshape(b, 1)).add(eps.mul(m.create(s, new Shape(b, 1))));
            NDArray predicted = denoiser.predict(noisy, level, batch.cond()).reshape(y0.getShape());
            return eps.sub(predicted).abs().mean(new int[] {1});
        }
        NDArray std = prior.std(batch.cond().head(), hop);                                  // [B, T]
        if (!std.getShape().equals(y0.getShape())) {
            throw new IllegalArgumentException("batch: expected audio of hop·frames = " + std.getShape()
                    + " samples to match the mel, got " + y0.getShape());
        }
        NDArray shaped = eps.mul(std);
        NDArray noisy = y0.mul(level.reshape(b, 1)).add(shaped.mul(m.create(s, new Shape(b, 1))));
        NDArray predicted = denoiser.predict(noisy, level, batch.cond()).reshape(y0.getShape());
        return eps.sub(predicted.div(std)).abs().mean(new int[] {1});
    }
}
