package org.diffusion4j.audio.mel;

import java.util.Objects;

/**
 * The vocoder's mel front end: audio in [-1, 1] → compressed log-mel in [0, 1], laid out [mels][frames]
 * with frames = 1 + floor(N / hop). See {@link MelRecipe} for the exact pipeline. Immutable and
 * thread-safe; computed in double precision and returned as float.
 */
public final class MelSpectrogram {

    private final MelRecipe recipe;
    private final Stft stft;
    private final MelFilterbank filterbank;

    public MelSpectrogram(MelRecipe recipe) {
        this.recipe = Objects.requireNonNull(recipe, "recipe");
        this.stft = new Stft(recipe.nFft(), recipe.winLength(), recipe.hop(), true, recipe.normalized());
        this.filterbank = new MelFilterbank(recipe.sampleRate(), recipe.nFft(), recipe.nMels(), recipe.fMin(), recipe.fMax());
    }

    /** lmnt-com/wavegrad's recipe ({@link MelRecipe#wavegrad}). */
    public static MelSpectrogram wavegrad(int sampleRate) {
        return new MelSpectrogram(MelRecipe.wavegrad(sampleRate));
    }

    public MelRecipe recipe() {
        return recipe;
    }

    public MelFilterbank filterbank() {
        return filterbank;
    }

    public Stft stft() {
        return stft;
    }

    /** Number of frames for a signal of {@code samples} samples. */
    public int frames(int samples) {
        return 1 + samples / recipe.hop();
    }

    /** The shortest accepted signal: reflect padding needs more than nFft/2 samples. */
    public int minSamples() {
        return stft.minLength();
    }

    /** Compressed log-mel, [nMels][frames], values in [0, 1]. */
    public float[][] compute(float[] audio) {
        double[][] mel = melMagnitude(audio);
        float[][] out = new float[recipe.nMels()][mel.length];
        for (int t = 0; t < mel.length; t++) {
            for (int m = 0; m < recipe.nMels(); m++) {
                out[m][t] = (float) compress(mel[t][m]);
            }
        }
        return out;
    }

    /** The linear mel M before compression, [frames][nMels]. */
    public double[][] melMagnitude(float[] audio) {
        Objects.requireNonNull(audio, "audio");
        for (int i = 0; i < audio.length; i++) {
            if (!Float.isFinite(audio[i])) {
                throw new IllegalArgumentException("audio[" + i + "]: expected a finite value, got " + audio[i]);
            }
        }
        double[][] mag = stft.forward(audio).magnitude();
        double[][] mel = new double[mag.length][];
        for (int t = 0; t < mag.length; t++) {
            if (recipe.power() != 1.0) {
                for (int k = 0; k < mag[t].length; k++) {
                    mag[t][k] = Math.pow(mag[t][k], recipe.power());
                }
            }
            mel[t] = filterbank.apply(mag[t]);
        }
        return mel;
    }

    /** clamp((20·log10(max(M, floor)) − refDb + range)/range, 0, 1). */
    public double compress(double m) {
        double db = 20 * Math.log10(Math.max(m, recipe.amplitudeFloor())) - recipe.refDb();
        return Math.min(1, Math.max(0, (db + recipe.dbRange()) / recipe.dbRange()));
    }

    /**
     * The inverse of {@link #compress} on (0, 1): 10^((c·range − range + refDb)/20). Values clamped to 0
     * or 1 by compression cannot be recovered exactly and map to the clamp boundary.
     */
    public double decompress(double c) {
        return decompress(c, recipe.refDb(), recipe.dbRange());
    }

    /** The same inverse for a recipe given by its two compression constants: M = 10^((c·dbRange − dbRange + refDb)/20). */
    public static double decompress(double c, double refDb, double dbRange) {
        return Math.pow(10, (c * dbRange - dbRange + refDb) / 20);
    }
}
