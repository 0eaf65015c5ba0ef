package org.diffusion4j.audio.vocode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Objects;
import java.util.Optional;
import org.diffusion4j.audio.model.ChunkedForward;
import org.diffusion4j.audio.model.WaveGrad;
import org.diffusion4j.audio.model.WaveGradDenoiser;
import org.diffusion4j.audio.prior.MelEnergyPrior;
import org.diffusion4j.audio.schedule.InferenceSchedule;
import org.diffusion4j.core.memory.NativeArrays;
import org.diffusion4j.core.model.Denoiser;
import org.diffusion4j.core.process.GaussianDiffusion;
import org.diffusion4j.core.sampling.DdimSampler;
import org.diffusion4j.core.sampling.DdpmSampler;
import org.diffusion4j.core.sampling.Sampler;
import org.diffusion4j.core.sampling.SamplingListener;
import org.diffusion4j.core.sampling.SamplingOptions;
import org.diffusion4j.core.schedule.NoiseSchedule;

/**
 * Mel → waveform with a trained {@link WaveGrad} and core's {@link DdpmSampler} over any
 * {@link InferenceSchedule} (lmnt-com/wavegrad inference.py):
 * <ul>
 *   <li>the process is the inference schedule's own betas, with the fixed-small posterior variance
 *       β̃_n = (1 − ᾱ_{n−1})/(1 − ᾱ_n)·β_n, so core's DDPM step is lmnt's
 *       y ← (y − β_n/√(1 − ᾱ_n)·ε̂)/√α_n + σ_n·z (no noise at the last step);</li>
 *   <li>the network sees √ᾱ_n of the inference schedule ({@link WaveGradDenoiser});</li>
 *   <li>the start is N(0, I) whatever ᾱ the schedule ends at (a short schedule stops short of pure noise;
 *       core's loop always draws x_T ~ N(0, I), as both reference implementations do);</li>
 *   <li>the sample is clamped to [−1, 1] after every step ({@link ClampingSampler}).</li>
 * </ul>
 * A network trained with PriorGrad's {@link MelEnergyPrior} (its config's {@code prior}) starts from
 * N(0, diag s²) and gets s-shaped step noise instead, with s from the mel being vocoded (PriorGrad-vocoder
 * inference.py); it runs as the same samplers on the whitened signal z = y/s.
 * The step noise can be scaled down with {@code eta} (DDIM, Song et al. 2021 eq. 16, over every step of the
 * inference schedule): η = 1 is the DDPM step above (the default, lmnt's), η = 0 the deterministic DDIM path. On
 * the project's trained vocoders η &lt; 1 is worse on every metric (docs/benchmarks.md, "Step noise"): the network
 * relies on the fresh noise to correct a start that is pure noise while a short schedule expects part signal.
 * The same seed gives the same audio (core's NoiseSource). Not thread-safe (one DJL forward at a time).
 *
 * <p>Each network call produces at most {@code framesPerCall} mel frames ({@link ChunkedForward}): a long input runs
 * in windows with enough context that the output is the whole forward's up to float rounding, so the memory a call
 * needs is set by the window, not by the length of the input.
 */
public final class WaveGradVocoder {

    private final WaveGrad model;
    private final NDManager manager;
    private final double eta;
    private final int framesPerCall;

    /**
     * A vocoder with lmnt's sampler (η = 1) and the model's default frames per network call
     * ({@link ChunkedForward#defaultFramesPerCall}).
     *
     * @param manager where the model's parameters live; each call works in a sub-manager of it
     */
    public WaveGradVocoder(WaveGrad model, NDManager manager) {
        this(model, manager, 1.0);
    }

    /**
     * A vocoder with the model's default frames per network call ({@link ChunkedForward#defaultFramesPerCall}).
     *
     * @param manager where the model's parameters live; each call works in a sub-manager of it
     * @param eta     step-noise scale η ∈ [0, 1]: 1 = DDPM (lmnt), 0 = deterministic DDIM
     */
    public WaveGradVocoder(WaveGrad model, NDManager manager, double eta) {
        this(model, manager, eta, 0);
    }

    /**
     * @param manager       where the model's parameters live; each call works in a sub-manager of it
     * @param eta           step-noise scale η ∈ [0, 1]: 1 = DDPM (lmnt), 0 = deterministic DDIM
     * @param framesPerCall mel frames each network call produces at most (≥ 1; longer inputs run in windows), or 0 for the
     *                      model's default ({@link ChunkedForward#defaultFramesPerCall}: 128 for lmnt's base model)
     */
    public WaveGradVocoder(WaveGrad model, NDManager manager, double eta, int framesPerCall) {
        this.model = Objects.requireNonNull(model, "model");
        this.manager = Objects.requireNonNull(manager, "manager");
        checkEta(eta);
        this.eta = eta;
        if (framesPerCall < 0) {
            throw new IllegalArgumentException("framesPerCall: expected >= 1, or 0 for the model's default, got " + framesPerCall);
        }
        this.framesPerCall = framesPerCall == 0 ? ChunkedForward.defaultFramesPerCall(model.config()) : framesPerCall;
    }

    private static void checkEta(double eta) {
        if (!(eta >= 0 && eta <= 1)) {
            throw new IllegalArgumentException("eta: expected a value in [0, 1], got " + eta);
        }
    }

    /** Mel frames each network call produces at most. */
    public int framesPerCall() {
        return framesPerCall;
    }

    /** The step-noise scale η this vocoder samples with. */
    public double eta() {
        return eta;
    }

    public WaveGrad model() {
        return model;
    }

    /** The clamped DDPM sampler over a schedule (exposed for callers that run core's loop themselves). */
    public static Sampler sampler(InferenceSchedule schedule) {
        return sampler(schedule, 1.0);
    }

    /**
     * The clamped sampler over every step of a schedule: DDPM for η = 1 (lmnt's step), DDIM with that η below.
     */
    public static Sampler sampler(InferenceSchedule schedule, double eta) {
        Objects.requireNonNull(schedule, "schedule");
        checkEta(eta);
        return ClampingSampler.audio(unclamped(schedule, eta));
    }

    /** DDPM (η = 1) or DDIM with η over the schedule's own betas, without the clamp. */
    private static Sampler unclamped(InferenceSchedule schedule, double eta) {
        GaussianDiffusion process = GaussianDiffusion.builder().schedule(NoiseSchedule.fromBetas(schedule.betas())).build();
        return eta == 1.0 ? DdpmSampler.builder(process).build() : DdimSampler.builder(process).eta(eta).build();
    }

    /**
     * Vocodes one compressed mel [nMels][frames] (values as {@code MelSpectrogram.compute} gives them).
     *
     * @return hop·frames samples in [−1, 1]
     */
    public float[] vocode(float[][] mel, InferenceSchedule schedule, long seed) {
        return vocode(mel, schedule, seed, SamplingListener.NONE);
    }

    /** As {@link #vocode(float[][], InferenceSchedule, long)}, telling {@code listener} about each step (e.g. a progress bar). */
    public float[] vocode(float[][] mel, InferenceSchedule schedule, long seed, SamplingListener listener) {
        return vocodeBatch(new float[][][] {mel}, schedule, seed, listener)[0];
    }

    /** Vocodes several mels of the same frame count in one batch (one network call per step for all). */
    public float[][] vocodeBatch(float[][][] mels, InferenceSchedule schedule, long seed) {
        return vocodeBatch(mels, schedule, seed, SamplingListener.NONE);
    }

    /** As {@link #vocodeBatch(float[][][], InferenceSchedule, long)}, telling {@code listener} about each step. */
    public float[][] vocodeBatch(float[][][] mels, InferenceSchedule schedule, long seed, SamplingListener listener) {
        Objects.requireNonNull(mels, "mels");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(listener, "listener");
        if (mels.length == 0) {
            throw new IllegalArgumentException("mels: expected at least one mel, got none");
        }
        int bands = model.config().nMels();
        int frames = -1;
        for (int i = 0; i < mels.length; i++) {
            float[][] m = mels[i];
            if (m == null || m.length != bands) {
                throw new IllegalArgumentException("mels[" + i + "]: expected " + bands + " mel bands (the model's nMels), got "
                        + (m == null ? "null" : m.length));
            }
            for (int b = 0; b < bands; b++) {
                int f = m[b].length;
                if (frames < 0) {
                    frames = f;
                }
                if (f != frames || f < 1) {
                    throw new IllegalArgumentException("mels[" + i + "][" + b + "]: expected " + Math.max(frames, 1)
                            + " frames (all bands and mels alike, at least 1), got " + f);
                }
            }
        }
        int n = mels.length;
        float[] flat = new float[n * bands * frames];
        for (int i = 0; i < n; i++) {
            for (int b = 0; b < bands; b++) {
                float[] row = mels[i][b];
                for (int f = 0; f < frames; f++) {
                    if (!Float.isFinite(row[f])) {
                        throw new IllegalArgumentException("mels[" + i + "][" + b + "][" + f + "]: expected a finite value, got "
                                + row[f]);
                    }
                }
                System.arraycopy(row, 0, flat, (i * bands + b) * frames, frames);
            }
        }
        int samples = frames * model.config().hop();
        try (NDManager scope = manager.newSubManager()) {
            NDArray mel = NativeArrays.copyOf(scope, flat, new Shape(n, bands, frames));
            WaveGradDenoiser denoiser = new WaveGradDenoiser(model, new ParameterStore(scope, false), schedule.betas(),
                    framesPerCall);
            SamplingOptions options = SamplingOptions.builder(scope).seed(seed).conditioning(new NDList(mel))
                    .listener(listener).build();
            Optional<MelEnergyPrior> prior = model.config().energyPrior();
            NDArray audio;
            if (prior.isEmpty()) {
                audio = sampler(schedule, eta).sample(denoiser, new Shape(n, samples), options);
            } else {
                // PriorGrad: y ~ N(0, diag s²) at the start and s-shaped step noise is standard diffusion on z = y/s,
                // whose denoiser is ε̂_z(z) = ε̂(s⊙z)/s; every step of the DDPM/DDIM recursion in z is the same
                // step in y divided by s (linear in y, ε̂ and the noise), and y = s⊙z at the end.
                NDArray s = prior.get().std(mel, model.config().hop());                  // [N, T]
                Denoiser whitened = (z, t, cond) -> denoiser.predict(z.mul(s), t, cond).div(s);
                audio = new ClampingSampler(unclamped(schedule, eta), -1f, 1f, s)
                        .sample(whitened, new Shape(n, samples), options).mul(s);
            }
            float[] all = audio.toFloatArray();
            float[][] out = new float[n][samples];
            for (int i = 0; i < n; i++) {
                System.arraycopy(all, i * samples, out[i], 0, samples);
            }
            return out;
        }
    }
}
