package org.diffusion4j.audio.metrics;

import java.util.Objects;
import org.diffusion4j.audio.mel.MelRecipe;
import org.diffusion4j.audio.mel.MelSpectrogram;

/**
 * Mel cepstral distortion in dB, on MFCCs computed from the recipe's mel (the "MFCC from log-mel" variant,
 * not SPTK's mel-generalised cepstrum, so values are comparable only between systems measured here).
 *
 * <p>Per frame t: L_m = ln(max(M_m, 1e-5)) for the K bands of the linear mel magnitude M; cepstrum by the
 * orthonormal DCT-II c_d = √(2/K)·Σ_m L_m·cos(πd(m + ½)/K) for d = 1..D (c_0, the energy, excluded);
 * MCD_t = (10/ln 10)·√(2·Σ_{d=1..D}(c_d − ĉ_d)²); the result is the mean of MCD_t over frames. D = 13.
 * No time warping: copy-synthesis output is time-aligned with its reference.
 */
public final class MelCepstralDistortion {

    private final MelSpectrogram mel;
    private final int coefficients;
    private final double[][] dct;

    public MelCepstralDistortion(MelRecipe recipe, int coefficients) {
        this.mel = new MelSpectrogram(Objects.requireNonNull(recipe, "recipe"));
        int k = recipe.nMels();
        if (coefficients < 1 || coefficients >= k) {
            throw new IllegalArgumentException("coefficients: expected 1.." + (k - 1) + ", got " + coefficients);
        }
        this.coefficients = coefficients;
        dct = new double[coefficients + 1][k];
        for (int d = 1; d <= coefficients; d++) {
            for (int m = 0; m < k; m++) {
                dct[d][m] = Math.sqrt(2.0 / k) * Math.cos(Math.PI * d * (m + 0.5) / k);
            }
        }
    }

    /** 13 coefficients on the WaveGrad mel. */
    public static MelCepstralDistortion wavegrad(int sampleRate) {
        return new MelCepstralDistortion(MelRecipe.wavegrad(sampleRate), 13);
    }

    /** Cepstra c_1..c_D per frame, [frames][D]. */
    public double[][] cepstra(float[] audio) {
        double[][] m = mel.melMagnitude(audio);
        double[][] c = new double[m.length][coefficients];
        for (int t = 0; t < m.length; t++) {
            double[] logMel = new double[m[t].length];
            for (int j = 0; j < logMel.length; j++) {
                logMel[j] = Math.log(Math.max(m[t][j], 1e-5));
            }
            for (int d = 1; d <= coefficients; d++) {
                double s = 0;
                for (int j = 0; j < logMel.length; j++) {
                    s += dct[d][j] * logMel[j];
                }
                c[t][d - 1] = s;
            }
        }
        return c;
    }

    public double distortion(float[] reference, float[] generated) {
        Signals.requireSameLength(reference, generated);
        double[][] a = cepstra(reference);
        double[][] b = cepstra(generated);
        double k = 10 / Math.log(10);
        double sum = 0;
        for (int t = 0; t < a.length; t++) {
            double s = 0;
            for (int d = 0; d < coefficients; d++) {
                double diff = a[t][d] - b[t][d];
                s += diff * diff;
            }
            sum += k * Math.sqrt(2 * s);
        }
        return sum / a.length;
    }
}
