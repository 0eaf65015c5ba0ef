package org.diffusion4j.audio.metrics;

import org.diffusion4j.audio.mel.Stft;

/**
 * Multi-resolution STFT distance (Parallel WaveGAN's auxiliary loss, Yamamoto et al. 2020, with its
 * default resolutions): for (FFT, hop, window) in (512, 50, 240), (1024, 120, 600), (2048, 240, 1200),
 * with a periodic Hann window, centre reflect padding and no normalisation, and |S| = √max(Re² + Im², 1e-7):
 * <ul>
 *   <li>spectral convergence SC = ‖|S_ref| − |S_gen|‖_F / ‖|S_ref|‖_F,</li>
 *   <li>log-magnitude distance LM = mean over bins and frames of |ln|S_ref| − ln|S_gen||;</li>
 * </ul>
 * the distance is the mean over resolutions of SC + LM. 0 for identical signals.
 */
public final class MultiResolutionStftDistance {

    private static final int[][] RESOLUTIONS = {{512, 50, 240}, {1024, 120, 600}, {2048, 240, 1200}};

    private final Stft[] stfts;

    public MultiResolutionStftDistance() {
        stfts = new Stft[RESOLUTIONS.length];
        for (int i = 0; i < RESOLUTIONS.length; i++) {
            stfts[i] = new Stft(RESOLUTIONS[i][0], RESOLUTIONS[i][2], RESOLUTIONS[i][1], true, false);
        }
    }

    /** The two terms of one resolution. */
    public record Terms(double spectralConvergence, double logMagnitude) {
    }

    public Terms terms(float[] reference, float[] generated, int resolution) {
        Signals.requireSameLength(reference, generated);
        double[][] a = magnitude(stfts[resolution], reference);
        double[][] b = magnitude(stfts[resolution], generated);
        double diff = 0;
        double ref = 0;
        double log = 0;
        long n = 0;
        for (int t = 0; t < a.length; t++) {
            for (int k = 0; k < a[t].length; k++) {
                double d = a[t][k] - b[t][k];
                diff += d * d;
                ref += a[t][k] * a[t][k];
                log += Math.abs(Math.log(a[t][k]) - Math.log(b[t][k]));
                n++;
            }
        }
        return new Terms(Math.sqrt(diff) / Math.sqrt(ref), log / n);
    }

    public double distance(float[] reference, float[] generated) {
        double s = 0;
        for (int r = 0; r < stfts.length; r++) {
            Terms t = terms(reference, generated, r);
            s += t.spectralConvergence() + t.logMagnitude();
        }
        return s / stfts.length;
    }

    private static double[][] magnitude(Stft stft, float[] x) {
        var spec = stft.forward(x);
        double[][] m = new double[spec.frames()][spec.bins()];
        for (int t = 0; t < m.length; t++) {
            for (int k = 0; k < m[t].length; k++) {
                double re = spec.re()[t][k];
                double im = spec.im()[t][k];
                m[t][k] = Math.sqrt(Math.max(re * re + im * im, 1e-7));
            }
        }
        return m;
    }
}
