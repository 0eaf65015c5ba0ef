package org.diffusion4j.audio.prior;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import org.diffusion4j.audio.mel.MelRecipe;
import org.diffusion4j.audio.mel.MelSpectrogram;

/**
 * PriorGrad's data-dependent prior (Lee et al., ICLR 2022, §3–4): instead of N(0, I), the diffusion noise of a
 * vocoder is N(0, Σ) with Σ = diag(s²), where s follows the loudness of the conditioning mel, so that the
 * prior already has the energy envelope the network would otherwise have to learn.
 *
 * <p>Per mel frame f: the linear mel magnitudes M_{m,f} are recovered from the compressed mel c (the inverse of
 * the recipe's compression, {@code MelSpectrogram.decompress}: M = 10^((c·dbRange − dbRange + refDb)/20)), the
 * frame energy is E_f = √(Σ_m M_{m,f}) (PriorGrad's {@code sqrt(sum(exp(log_mel)))}), and the standard deviation
 * is s_f = max((E_f − E_min)/(E_max − E_min), stdMin), with E_min and E_max the extremes over the training set.
 * Between frames s is interpolated linearly, frame f sitting at sample f·hop: with centre padding that is where
 * the STFT window of frame f is centred, so the prior puts the energy where the mel measured it (PriorGrad-vocoder
 * repeats each frame's value over samples [f·hop, (f + 1)·hop), half a frame after the window's centre, and steps
 * at every frame boundary). Sample i = f·hop + j gets (1 − j/hop)·s_f + (j/hop)·s_{f+1}, and the samples after the
 * last frame's centre keep its value. s is not capped above: a frame louder than the training set's loudest gets
 * s &gt; 1.
 *
 * <p>How it enters the process: training draws ε ~ N(0, I), noises y = l·y₀ + √(1 − l²)·s⊙ε and scores the
 * network's output against s⊙ε in the metric Σ^{-1/2} (the L1 analogue of PriorGrad's Σ^{-1}-weighted L2,
 * their eq. 5); sampling starts from s⊙ξ and adds s-scaled noise at each step. Both are standard diffusion on the
 * whitened signal z = y/s, which is how {@code WaveGradVocoder} runs it (core's samplers unchanged).
 *
 * @param energyMin E_min of the training set
 * @param energyMax E_max of the training set (&gt; E_min)
 * @param stdMin    the floor of s, in (0, 1] (PriorGrad: 0.1), which keeps Σ invertible in silence
 * @param refDb     the mel recipe's refDb, to undo the compression
 * @param dbRange   the mel recipe's dbRange, to undo the compression
 */
public record MelEnergyPrior(double energyMin, double energyMax, double stdMin, double refDb, double dbRange) {

    /** PriorGrad's floor of the standard deviation. */
    public static final double PRIORGRAD_STD_MIN = 0.1;

    public MelEnergyPrior {
        if (!Double.isFinite(energyMin) || energyMin < 0) {
            throw new IllegalArgumentException("energyMin: expected a finite value >= 0, got " + energyMin);
        }
        if (!Double.isFinite(energyMax) || !(energyMax > energyMin)) {
            throw new IllegalArgumentException("energyMax: expected a finite value > energyMin = " + energyMin + ", got "
                    + energyMax);
        }
        if (!(stdMin > 0 && stdMin <= 1)) {
            throw new IllegalArgumentException("stdMin: expected a value in (0, 1], got " + stdMin);
        }
        if (!Double.isFinite(refDb)) {
            throw new IllegalArgumentException("refDb: expected a finite value, got " + refDb);
        }
        if (!(dbRange > 0) || Double.isInfinite(dbRange)) {
            throw new IllegalArgumentException("dbRange: expected > 0, got " + dbRange);
        }
    }

    /**
     * The prior of a training set: E_min and E_max over every frame of every compressed mel.
     *
     * @param mels compressed mels [nMels][frames], as {@code MelSpectrogram.compute} gives them
     */
    public static MelEnergyPrior fit(Iterable<float[][]> mels, MelRecipe recipe, double stdMin) {
        Objects.requireNonNull(mels, "mels");
        Objects.requireNonNull(recipe, "recipe");
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        long frames = 0;
        for (float[][] mel : mels) {
            double[] e = frameEnergies(mel, recipe.refDb(), recipe.dbRange());
            for (double v : e) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            frames += e.length;
        }
        if (frames == 0) {
            throw new IllegalArgumentException("mels: expected at least one frame, got none");
        }
        if (!(hi > lo)) {
            throw new IllegalArgumentException("mels: expected frames of different energy to normalise by, got every "
                    + frames + " frames at energy " + lo);
        }
        return new MelEnergyPrior(lo, hi, stdMin, recipe.refDb(), recipe.dbRange());
    }

    /** E_f = √(Σ_m M_{m,f}) for each frame of a compressed mel [nMels][frames]. */
    public double[] frameEnergies(float[][] mel) {
        return frameEnergies(mel, refDb, dbRange);
    }

    private static double[] frameEnergies(float[][] mel, double refDb, double dbRange) {
        Objects.requireNonNull(mel, "mel");
        if (mel.length == 0 || mel[0] == null || mel[0].length == 0) {
            throw new IllegalArgumentException("mel: expected [nMels >= 1][frames >= 1], got an empty array");
        }
        int frames = mel[0].length;
        double[] e = new double[frames];
        for (int m = 0; m < mel.length; m++) {
            if (mel[m].length != frames) {
                throw new IllegalArgumentException("mel[" + m + "]: expected " + frames + " frames (as band 0), got "
                        + mel[m].length);
            }
            for (int f = 0; f < frames; f++) {
                e[f] += MelSpectrogram.decompress(mel[m][f], refDb, dbRange);
            }
        }
        for (int f = 0; f < frames; f++) {
            e[f] = Math.sqrt(e[f]);
        }
        return e;
    }

    /** s_f for one frame energy. */
    public double std(double energy) {
        return Math.max((energy - energyMin) / (energyMax - energyMin), stdMin);
    }

    /** s for every sample of a compressed mel [nMels][frames]: hop·frames values, interpolated between frames. */
    public float[] std(float[][] mel, int hop) {
        if (hop < 1) {
            throw new IllegalArgumentException("hop: expected >= 1, got " + hop);
        }
        double[] e = frameEnergies(mel);
        int frames = e.length;
        float[] s = new float[frames * hop];
        for (int f = 0; f < frames; f++) {
            double here = std(e[f]);
            double next = std(e[Math.min(f + 1, frames - 1)]);
            for (int j = 0; j < hop; j++) {
                double w = (double) j / hop;
                s[f * hop + j] = (float) ((1 - w) * here + w * next);
            }
        }
        return s;
    }

    /**
     * s for a batch of compressed mels [B, nMels, F]: [B, F·hop] in the mel's manager and data type, the same
     * values as {@link #std(float[][], int)}.
     */
    public NDArray std(NDArray mel, int hop) {
        Objects.requireNonNull(mel, "mel");
        if (mel.getShape().dimension() != 3) {
            throw new IllegalArgumentException("mel: expected [B, nMels, F], got " + mel.getShape());
        }
        if (hop < 1) {
            throw new IllegalArgumentException("hop: expected >= 1, got " + hop);
        }
        long b = mel.getShape().get(0);
        long frames = mel.getShape().get(2);
        NDManager m = mel.getManager();
        try (NDManager scope = m.newSubManager()) {
            NDArray x = mel.toType(DataType.FLOAT64, true);
            x.attach(scope);
            // M = 10^((c·range − range + refDb)/20) = exp(ln 10 · (…)/20)
            NDArray magnitude = x.mul(dbRange).add(refDb - dbRange).mul(Math.log(10) / 20).exp();
            NDArray energy = magnitude.sum(new int[] {1}).sqrt();                         // [B, F]
            NDArray s = energy.sub(energyMin).div(energyMax - energyMin).maximum(stdMin);  // [B, F]
            // s_{f+1}, the last frame repeated: [B, F]
            NDArray next = frames == 1 ? s : s.get(":, 1:").concat(s.get(":, -1:"), 1);
            double[] ramp = new double[hop];
            for (int j = 0; j < hop; j++) {
                ramp[j] = (double) j / hop;
            }
            NDArray w = scope.create(ramp).reshape(1, 1, hop);                             // [1, 1, hop]
            NDArray perSample = s.reshape(b, frames, 1).mul(w.neg().add(1)).add(next.reshape(b, frames, 1).mul(w))
                    .reshape(b, frames * hop).toType(mel.getDataType(), false);
            perSample.attach(m);
            return perSample;
        }
    }

    /** Properties under a key prefix (e.g. {@code "wavegrad.prior."}), for checkpoint metadata. */
    public void toProperties(Properties p, String prefix) {
        p.setProperty(prefix + "kind", "mel-energy");
        p.setProperty(prefix + "energyMin", Double.toString(energyMin));
        p.setProperty(prefix + "energyMax", Double.toString(energyMax));
        p.setProperty(prefix + "stdMin", Double.toString(stdMin));
        p.setProperty(prefix + "refDb", Double.toString(refDb));
        p.setProperty(prefix + "dbRange", Double.toString(dbRange));
    }

    /**
     * The prior stored under {@code prefix}, or null when there is none (no {@code kind} key: a model trained with
     * the standard N(0, I) prior).
     */
    public static MelEnergyPrior fromProperties(Properties p, String prefix) {
        String kind = p.getProperty(prefix + "kind");
        if (kind == null) {
            return null;
        }
        if (!kind.trim().equals("mel-energy")) {
            throw new IllegalArgumentException(prefix + "kind: expected mel-energy, got " + kind);
        }
        return new MelEnergyPrior(number(p, prefix + "energyMin"), number(p, prefix + "energyMax"),
                number(p, prefix + "stdMin"), number(p, prefix + "refDb"), number(p, prefix + "dbRange"));
    }

    private static double number(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IllegalArgumentException("prior metadata: missing key " + key);
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("prior metadata: " + key + " expected a number, got " + v, e);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "MelEnergyPrior[E in [%.6g, %.6g], stdMin %s]", energyMin, energyMax, stdMin);
    }
}
