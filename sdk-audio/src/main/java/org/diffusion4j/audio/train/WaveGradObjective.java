package org.diffusion4j.audio.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;
import org.diffusion4j.audio.mel.Stft;
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
 * <p>{@link #withNoiseLoss} swaps the L1 for the squared error mean (ε − ε̂)², DDPM's L_simple (Ho et al. 2020
 * eq. 14). The two ask for different estimates: L1 is minimised by the median of ε given the input, L2 by its mean,
 * and only the mean is what the sampler's update assumes (the posterior mean of eq. 11). Where the network cannot
 * tell the clean signal from the noise, the median of a peaked (speech-like) signal is shrunk harder towards 0 than
 * the mean, which makes L1-trained samples quieter.
 *
 * <p>Optionally ({@link #withSpectralLoss}) an auxiliary spectral term is added per example: the network's estimate
 * of the clean audio ŷ₀ = (y − √(1 − l²)·ε̂)/l is compared with y₀ by the log-magnitude half of Parallel WaveGAN's
 * multi-resolution STFT loss (Yamamoto et al. 2020: FFT/hop/window 512/50/240, 1024/120/600, 2048/240/1200, periodic
 * Hann, |S| = √max(Re² + Im², 1e-7)), mean over resolutions of mean |ln|S| − ln|Ŝ||, weighted by λ·l². The
 * spectral-convergence half is left out because its denominator ‖|S|‖ vanishes on the digital silence a crop of
 * synthetic speech can be; the l² factor (the signal fraction) silences the term where ŷ₀ is mostly amplified
 * noise. The waveform L1 loss stays as it is.
 *
 * <p>Batch layout: x0 = audio [B, T]; cond = NDList(mel [B, nMels, F]) with T = hop·F. All randomness comes
 * from the trainer's per-step {@code noise} (levels first, then ε), so a resumed run is exact.
 */
public final class WaveGradObjective implements DiffusionObjective {

    /** The per-sample distance between the noise and its estimate. */
    public enum NoiseLoss {
        /** |ε − ε̂|, WaveGrad's (paper eq. 6; lmnt learner.py). */
        L1,
        /** (ε − ε̂)², DDPM's L_simple. */
        L2
    }

    /** (FFT, hop, window) of the auxiliary spectral term, Parallel WaveGAN's three resolutions. */
    private static final int[][] RESOLUTIONS = {{512, 50, 240}, {1024, 120, 600}, {2048, 240, 1200}};

    private final ContinuousNoiseLevels levels;
    private final MelEnergyPrior prior;
    private final int hop;
    private final double spectralWeight;
    private final NoiseLoss noiseLoss;

    /** WaveGrad's objective with N(0, I) noise. */
    public WaveGradObjective(ContinuousNoiseLevels levels) {
        this(levels, null, 0, 0, NoiseLoss.L1);
    }

    private WaveGradObjective(ContinuousNoiseLevels levels, MelEnergyPrior prior, int hop, double spectralWeight,
                              NoiseLoss noiseLoss) {
        this.levels = Objects.requireNonNull(levels, "levels");
        this.prior = prior;
        this.hop = hop;
        if (!(spectralWeight >= 0) || Double.isInfinite(spectralWeight)) {
            throw new IllegalArgumentException("spectralWeight: expected a finite value >= 0, got " + spectralWeight);
        }
        this.spectralWeight = spectralWeight;
        this.noiseLoss = Objects.requireNonNull(noiseLoss, "noiseLoss");
    }

    /** This objective plus the auxiliary spectral term with weight λ (class comment); 0 = WaveGrad's loss alone. */
    public WaveGradObjective withSpectralLoss(double weight) {
        return new WaveGradObjective(levels, prior, hop, weight, noiseLoss);
    }

    /** This objective with another distance on the noise (class comment); {@link NoiseLoss#L1} is WaveGrad's. */
    public WaveGradObjective withNoiseLoss(NoiseLoss loss) {
        return new WaveGradObjective(levels, prior, hop, spectralWeight, loss);
    }

    /** The distance on the noise. */
    public NoiseLoss noiseLoss() {
        return noiseLoss;
    }

    /** λ of the auxiliary spectral term (0 when it is off). */
    public double spectralWeight() {
        return spectralWeight;
    }

    /**
     * The objective a network of this config trains with: WaveGrad's without a prior; with its
     * {@link MelEnergyPrior}, PriorGrad's: the noise is s⊙ε with s = {@code prior.std(mel, hop)}, and the loss is
     * mean |ε − ε̂/s| = mean |Σ^{-1/2}(s⊙ε − ε̂)|, the L1 form of PriorGrad's Σ^{-1}-weighted loss (their eq. 5).
     */
    public WaveGradObjective(ContinuousNoiseLevels levels, WaveGradConfig network) {
        this(levels, Objects.requireNonNull(network, "network").prior(), network.hop(), 0, NoiseLoss.L1);
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
            return withSpectralTerm(distance(eps.sub(predicted)), y0, noisy, predicted, l, s);
        }
        NDArray std = prior.std(batch.cond().head(), hop);                                  // [B, T]
        if (!std.getShape().equals(y0.getShape())) {
            throw new IllegalArgumentException("batch: expected audio of hop·frames = " + std.getShape()
                    + " samples to match the mel, got " + y0.getShape());
        }
        NDArray shaped = eps.mul(std);
        NDArray noisy = y0.mul(level.reshape(b, 1)).add(shaped.mul(m.create(s, new Shape(b, 1))));
        NDArray predicted = denoiser.predict(noisy, level, batch.cond()).reshape(y0.getShape());
        // ε̂ estimates the shaped noise s⊙ε, so ŷ₀ has the same form as without a prior
        return withSpectralTerm(distance(eps.sub(predicted.div(std))), y0, noisy, predicted, l, s);
    }

    /** Mean |r| or mean r² over the samples of each example of the residual r [B, T], [B]. */
    private NDArray distance(NDArray residual) {
        NDArray perSample = noiseLoss == NoiseLoss.L1 ? residual.abs() : residual.square();
        return perSample.mean(new int[] {1});
    }

    /**
     * waveform [B] + λ·l²·(spectral distance of ŷ₀ = (y − √(1 − l²)·ε̂)/l from y₀) [B]; the waveform term alone when
     * λ = 0.
     */
    private NDArray withSpectralTerm(NDArray waveform, NDArray y0, NDArray noisy, NDArray predicted, float[] l, float[] s) {
        if (spectralWeight == 0) {
            return waveform;
        }
        int b = l.length;
        NDManager m = y0.getManager();
        float[] inverseLevel = new float[b];
        float[] weight = new float[b];
        for (int i = 0; i < b; i++) {
            inverseLevel[i] = 1f / l[i];
            weight[i] = (float) (spectralWeight * l[i] * l[i]);
        }
        NDArray estimate = noisy.sub(predicted.mul(m.create(s, new Shape(b, 1)))).mul(m.create(inverseLevel, new Shape(b, 1)));
        return waveform.add(logMagnitudeDistance(estimate, y0).mul(m.create(weight, new Shape(b))));
    }

    /** Mean over the resolutions of mean |ln|S(a)| − ln|S(b)|| per example, [B] (autograd flows through a). */
    static NDArray logMagnitudeDistance(NDArray a, NDArray b) {
        NDManager m = a.getManager();
        NDArray total = null;
        for (int[] r : RESOLUTIONS) {
            double[] hann = Stft.paddedHann(r[0], r[2]); // the window of the Java metric, as torch.stft pads it
            float[] w = new float[hann.length];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) hann[i];
            }
            NDArray window = m.create(w);
            NDArray la = logMagnitude(a, r[0], r[1], window);
            NDArray lb = logMagnitude(b, r[0], r[1], window);
            // libtorch's mean over several axes is not exposed by DJL: flatten bins × frames first
            NDArray d = la.sub(lb).abs().reshape(la.getShape().get(0), -1).mean(new int[] {1});
            total = total == null ? d : total.add(d);
        }
        return total.div(RESOLUTIONS.length);
    }

    /** ln √max(Re² + Im², 1e-7) of the centred (reflect-padded) STFT, [B, bins, frames]. */
    private static NDArray logMagnitude(NDArray x, int nFft, int hop, NDArray window) {
        NDArray spec = x.stft(nFft, hop, true, window, false, false);                    // [B, bins, frames, 2]
        return spec.pow(2).sum(new int[] {3}).maximum(1e-7f).log().mul(0.5f);
    }
}
