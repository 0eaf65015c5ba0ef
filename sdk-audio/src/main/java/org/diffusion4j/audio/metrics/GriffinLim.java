package org.diffusion4j.audio.metrics;

import java.util.Objects;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.diffusion4j.audio.mel.MelRecipe;
import org.diffusion4j.audio.mel.MelSpectrogram;
import org.diffusion4j.audio.mel.Spectrum;
import org.diffusion4j.audio.mel.Stft;
import org.diffusion4j.core.random.NoiseSource;

/**
 * The non-neural baseline: audio from the same compressed mel a vocoder gets.
 * <ol>
 *   <li>Undo the compression: M = 10^((c·range − range + refDb)/20) (values clamped at 0 come back as the
 *       floor; that information is lost).</li>
 *   <li>Linear magnitude by the Moore–Penrose pseudo-inverse of the mel filterbank (SVD), clamped at 0, as
 *       torchaudio's InverseMelScale does by least squares: |S| = max(0, F⁺·M), then |S|^{1/power}.</li>
 *   <li>Phase by fast Griffin–Lim (Griffin and Lim 1984; Perraudin et al. 2013, momentum 0.99, as
 *       torchaudio.functional.griffinlim): with random initial phases, repeat x = ISTFT(|S|·P),
 *       R = STFT(x), P = (R − m/(1+m)·R_prev)/|…|.</li>
 * </ol>
 * The STFT is the recipe's (same window, hop and normalisation). Output length hop·F, like the vocoder's.
 */
public final class GriffinLim {

    private final MelSpectrogram mel;
    private final Stft stft;
    private final double[][] pinv;
    private final int iterations;
    private final double momentum;

    public GriffinLim(MelRecipe recipe, int iterations, double momentum) {
        this.mel = new MelSpectrogram(Objects.requireNonNull(recipe, "recipe"));
        this.stft = mel.stft();
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations: expected >= 1, got " + iterations);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum: expected in [0, 1), got " + momentum);
        }
        this.iterations = iterations;
        this.momentum = momentum;
        // F is [nMels][bins]; F⁺ is [bins][nMels]
        double[][] dense = mel.filterbank().dense(); // [bins][nMels]
        RealMatrix f = new Array2DRowRealMatrix(dense).transpose();
        this.pinv = new SingularValueDecomposition(f).getSolver().getInverse().getData();
    }

    /** torchaudio's default iteration count. */
    public static final int DEFAULT_ITERATIONS = 32;

    /** torchaudio's default momentum of fast Griffin–Lim. */
    public static final double DEFAULT_MOMENTUM = 0.99;

    /** 32 iterations, momentum 0.99 (torchaudio's defaults) on a recipe. */
    public static GriffinLim defaults(MelRecipe recipe) {
        return new GriffinLim(recipe, DEFAULT_ITERATIONS, DEFAULT_MOMENTUM);
    }

    /** {@link #defaults} on the lmnt WaveGrad recipe at this rate. */
    public static GriffinLim wavegrad(int sampleRate) {
        return defaults(MelRecipe.wavegrad(sampleRate));
    }

    /** The linear magnitude estimate |S|, [frames][bins], from a compressed mel [nMels][frames]. */
    public double[][] magnitude(float[][] compressedMel) {
        MelRecipe r = mel.recipe();
        if (compressedMel.length != r.nMels()) {
            throw new IllegalArgumentException("mel: expected " + r.nMels() + " bands, got " + compressedMel.length);
        }
        int frames = compressedMel[0].length;
        int bins = stft.bins();
        double[][] s = new double[frames][bins];
        double[] m = new double[r.nMels()];
        for (int t = 0; t < frames; t++) {
            for (int j = 0; j < m.length; j++) {
                if (compressedMel[j].length != frames) {
                    throw new IllegalArgumentException("mel: band " + j + " has " + compressedMel[j].length + " frames, expected " + frames);
                }
                m[j] = mel.decompress(compressedMel[j][t]);
            }
            for (int k = 0; k < bins; k++) {
                double v = 0;
                for (int j = 0; j < m.length; j++) {
                    v += pinv[k][j] * m[j];
                }
                s[t][k] = Math.pow(Math.max(0, v), 1 / r.power());
            }
        }
        return s;
    }

    /** Audio of hop·F samples; {@code seed} fixes the initial phases. */
    public float[] reconstruct(float[][] compressedMel, long seed) {
        double[][] mag = magnitude(compressedMel);
        int frames = mag.length;
        int bins = stft.bins();
        int length = checkedLength(frames);
        NoiseSource noise = NoiseSource.seeded(seed);
        double[][] pr = new double[frames][bins];
        double[][] pi = new double[frames][bins];
        for (int t = 0; t < frames; t++) {
            for (int k = 0; k < bins; k++) {
                double a = 2 * Math.PI * noise.nextDouble();
                pr[t][k] = Math.cos(a);
                pi[t][k] = Math.sin(a);
            }
        }
        return iterate(mag, pr, pi, length);
    }

    /**
     * Griffin–Lim warm-started from a signal's phases instead of random ones (librosa's {@code init=None}): the
     * first estimate is ISTFT(|S|·e^{i∠STFT(initial)}), then the same iterations as {@link #reconstruct}. With the
     * reference clip as {@code initial} this measures what the magnitude estimate |S| alone costs (the phase is
     * the true one); with a vocoder's output, whether that output's phase is a better start than random phases.
     *
     * @param initial hop·F samples (F the mel's frame count), as a vocoder returns for this mel
     */
    public float[] reconstructFrom(float[][] compressedMel, float[] initial) {
        Objects.requireNonNull(initial, "initial");
        double[][] mag = magnitude(compressedMel);
        int frames = mag.length;
        int bins = stft.bins();
        int length = checkedLength(frames);
        if (initial.length != length) {
            throw new IllegalArgumentException("initial: expected " + length + " samples (hop " + stft.hop() + " × "
                    + frames + " mel frames), got " + initial.length);
        }
        Spectrum start = stft.forward(initial);
        double[][] pr = new double[frames][bins];
        double[][] pi = new double[frames][bins];
        for (int t = 0; t < frames; t++) {
            for (int k = 0; k < bins; k++) {
                double re = start.re()[t][k];
                double im = start.im()[t][k];
                double norm = Math.hypot(re, im);
                // a bin the initial signal leaves empty has no phase to keep: take phase 0
                pr[t][k] = norm > 0 ? re / norm : 1;
                pi[t][k] = norm > 0 ? im / norm : 0;
            }
        }
        return iterate(mag, pr, pi, length);
    }

    private int checkedLength(int frames) {
        int length = stft.hop() * frames;
        if (length < mel.minSamples()) {
            throw new IllegalArgumentException("mel: expected at least " + (mel.minSamples() + stft.hop() - 1) / stft.hop()
                    + " frames, got " + frames);
        }
        return length;
    }

    /** The fast Griffin–Lim iterations from the phases (pr, pi), then the final ISTFT. */
    private float[] iterate(double[][] mag, double[][] pr, double[][] pi, int length) {
        int frames = mag.length;
        int bins = stft.bins();
        double[][] prevRe = new double[frames][bins];
        double[][] prevIm = new double[frames][bins];
        double c = momentum / (1 + momentum);
        float[] x = null;
        for (int it = 0; it < iterations; it++) {
            x = stft.inverse(combine(mag, pr, pi), length);
            Spectrum rebuilt = stft.forward(x);
            int usable = Math.min(frames, rebuilt.frames());
            for (int t = 0; t < usable; t++) {
                for (int k = 0; k < bins; k++) {
                    double re = rebuilt.re()[t][k] - c * prevRe[t][k];
                    double im = rebuilt.im()[t][k] - c * prevIm[t][k];
                    double norm = Math.hypot(re, im) + 1e-16;
                    pr[t][k] = re / norm;
                    pi[t][k] = im / norm;
                    prevRe[t][k] = rebuilt.re()[t][k];
                    prevIm[t][k] = rebuilt.im()[t][k];
                }
            }
        }
        return stft.inverse(combine(mag, pr, pi), length);
    }

    private static Spectrum combine(double[][] mag, double[][] pr, double[][] pi) {
        double[][] re = new double[mag.length][mag[0].length];
        double[][] im = new double[mag.length][mag[0].length];
        for (int t = 0; t < mag.length; t++) {
            for (int k = 0; k < mag[t].length; k++) {
                re[t][k] = mag[t][k] * pr[t][k];
                im[t][k] = mag[t][k] * pi[t][k];
            }
        }
        return new Spectrum(re, im);
    }
}
