package org.diffusion4j.audio.metrics;

import java.util.Objects;
import org.diffusion4j.audio.mel.MelRecipe;
import org.diffusion4j.audio.mel.MelSpectrogram;

/**
 * Log-mel spectral distance, the paper's LS-MSE (lmnt noise_schedule.py {@code _ls_mse}, averaged rather
 * than summed so it does not grow with clip length):
 * D = mean over frames t and bands m of (ln(M_ref[m,t] + ε) − ln(M_gen[m,t] + ε))², ε = 1e-5, where M is
 * the linear mel magnitude of the given recipe (before the dB compression). 0 for identical signals.
 */
public final class LogMelDistance {

    private static final double EPS = 1e-5;
    private final MelSpectrogram mel;

    public LogMelDistance(MelRecipe recipe) {
        this.mel = new MelSpectrogram(Objects.requireNonNull(recipe, "recipe"));
    }

    /** lmnt's scoring recipe: the WaveGrad mel at hop 150. */
    public static LogMelDistance wavegrad(int sampleRate) {
        return new LogMelDistance(MelRecipe.wavegrad(sampleRate).withHop(150));
    }

    public double distance(float[] reference, float[] generated) {
        Signals.requireSameLength(reference, generated);
        double[][] a = mel.melMagnitude(reference);
        double[][] b = mel.melMagnitude(generated);
        double sum = 0;
        long n = 0;
        for (int t = 0; t < a.length; t++) {
            for (int m = 0; m < a[t].length; m++) {
                double d = Math.log(a[t][m] + EPS) - Math.log(b[t][m] + EPS);
                sum += d * d;
                n++;
            }
        }
        return sum / n;
    }
}
