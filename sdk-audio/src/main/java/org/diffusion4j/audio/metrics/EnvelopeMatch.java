package org.diffusion4j.audio.metrics;

import java.util.Objects;
import org.diffusion4j.audio.mel.MelRecipe;
import org.diffusion4j.audio.mel.MelSpectrogram;

/**
 * Two diagnostics of a vocoder's loudness, not quality metrics: how loud the output is against the reference, and how
 * closely its loudness follows the reference's over time. Both ignore the spectral shape that MCD and the STFT
 * distances measure, so they separate "too quiet" and "wrong envelope" from "wrong timbre".
 * <ul>
 *   <li>level difference (dB) = 20·log10(rms(generated)/rms(reference)): −6.02 for an output at half the
 *       amplitude;</li>
 *   <li>energy correlation = Pearson's correlation over frames t of e_t = ln(Σ_m M[m,t]² + 1e-8) of the two signals,
 *       M the linear mel magnitude of the recipe: 1 when the output's frame energy is the reference's times any
 *       constant, whatever the level.</li>
 * </ul>
 */
public final class EnvelopeMatch {

    private final MelSpectrogram mel;

    public EnvelopeMatch(MelRecipe recipe) {
        this.mel = new MelSpectrogram(Objects.requireNonNull(recipe, "recipe"));
    }

    /** 20·log10(rms(generated)/rms(reference)); the reference must not be all zeros. */
    public static double levelDifferenceDb(float[] reference, float[] generated) {
        Signals.requireSameLength(reference, generated);
        double r = 0;
        double g = 0;
        for (int i = 0; i < reference.length; i++) {
            r += (double) reference[i] * reference[i];
            g += (double) generated[i] * generated[i];
        }
        if (!(r > 0)) {
            throw new IllegalArgumentException("reference: expected a signal with some energy, got all zeros");
        }
        return 10 * Math.log10(g / r);
    }

    /** Frame log energies e_t of a signal. */
    public double[] frameLogEnergies(float[] audio) {
        double[][] m = mel.melMagnitude(audio);
        double[] e = new double[m.length];
        for (int t = 0; t < m.length; t++) {
            double s = 0;
            for (double v : m[t]) {
                s += v * v;
            }
            e[t] = Math.log(s + 1e-8);
        }
        return e;
    }

    /** Pearson's correlation of the two signals' frame log energies; at least two frames of varying energy. */
    public double energyCorrelation(float[] reference, float[] generated) {
        Signals.requireSameLength(reference, generated);
        double[] a = frameLogEnergies(reference);
        double[] b = frameLogEnergies(generated);
        int n = a.length;
        double ma = 0;
        double mb = 0;
        for (int t = 0; t < n; t++) {
            ma += a[t] / n;
            mb += b[t] / n;
        }
        double saa = 0;
        double sbb = 0;
        double sab = 0;
        for (int t = 0; t < n; t++) {
            saa += (a[t] - ma) * (a[t] - ma);
            sbb += (b[t] - mb) * (b[t] - mb);
            sab += (a[t] - ma) * (b[t] - mb);
        }
        if (!(saa > 0) || !(sbb > 0)) {
            throw new IllegalArgumentException("reference/generated: expected frame energies that vary over "
                    + n + " frames, got a constant one");
        }
        return sab / Math.sqrt(saa * sbb);
    }
}
