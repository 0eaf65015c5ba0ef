package org.diffusion4j.audio.mel;

/**
 * A triangular mel filterbank on the HTK scale (mel = 2595·log10(1 + f/700)) without area normalisation,
 * with torchaudio.functional.melscale_fbanks semantics: the FFT bins sit at linspace(0, sr // 2, nFft/2+1)
 * (integer Nyquist, as torchaudio writes it), the nMels + 2 band edges are equally spaced in mel between
 * fMin and fMax, and each weight is max(0, min(rising slope, falling slope)). Stored sparsely (each filter's
 * non-zero bin range) because a 2048-point filterbank is mostly zeros.
 */
public final class MelFilterbank {

    private final int nMels;
    private final int bins;
    private final int[] first;
    private final double[][] weights;

    public MelFilterbank(int sampleRate, int nFft, int nMels, double fMin, double fMax) {
        this.nMels = nMels;
        this.bins = nFft / 2 + 1;
        double[] dense = new double[bins * nMels];
        double nyquist = sampleRate / 2; // integer division, as torchaudio's `sample_rate // 2`
        double[] freqs = new double[bins];
        for (int k = 0; k < bins; k++) {
            freqs[k] = bins == 1 ? 0 : nyquist * k / (bins - 1);
        }
        double mMin = hzToMel(fMin);
        double mMax = hzToMel(fMax);
        double[] edges = new double[nMels + 2];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = melToHz(mMin + (mMax - mMin) * i / (nMels + 1));
        }
        first = new int[nMels];
        weights = new double[nMels][];
        for (int m = 0; m < nMels; m++) {
            double lo = edges[m];
            double mid = edges[m + 1];
            double hi = edges[m + 2];
            int a = -1;
            int b = -1;
            for (int k = 0; k < bins; k++) {
                double up = (freqs[k] - lo) / (mid - lo);
                double down = (hi - freqs[k]) / (hi - mid);
                double w = Math.max(0, Math.min(up, down));
                dense[k * nMels + m] = w;
                if (w > 0) {
                    if (a < 0) {
                        a = k;
                    }
                    b = k;
                }
            }
            if (a < 0) {
                first[m] = 0;
                weights[m] = new double[0];
            } else {
                first[m] = a;
                weights[m] = new double[b - a + 1];
                for (int k = a; k <= b; k++) {
                    weights[m][k - a] = dense[k * nMels + m];
                }
            }
        }
    }

    public static double hzToMel(double hz) {
        return 2595.0 * Math.log10(1.0 + hz / 700.0);
    }

    public static double melToHz(double mel) {
        return 700.0 * (Math.pow(10.0, mel / 2595.0) - 1.0);
    }

    public int nMels() {
        return nMels;
    }

    public int bins() {
        return bins;
    }

    /** Weight of FFT bin k in mel band m. */
    public double weight(int m, int k) {
        int j = k - first[m];
        return j >= 0 && j < weights[m].length ? weights[m][j] : 0;
    }

    /** out[m] = Σ_k fb[k][m]·spectrum[k]. */
    public double[] apply(double[] spectrum) {
        if (spectrum.length != bins) {
            throw new IllegalArgumentException("spectrum: expected " + bins + " bins, got " + spectrum.length);
        }
        double[] out = new double[nMels];
        for (int m = 0; m < nMels; m++) {
            double s = 0;
            double[] w = weights[m];
            int off = first[m];
            for (int j = 0; j < w.length; j++) {
                s += w[j] * spectrum[off + j];
            }
            out[m] = s;
        }
        return out;
    }

    /** A dense copy, [bins][nMels] (torchaudio's layout). */
    public double[][] dense() {
        double[][] d = new double[bins][nMels];
        for (int m = 0; m < nMels; m++) {
            for (int j = 0; j < weights[m].length; j++) {
                d[first[m] + j][m] = weights[m][j];
            }
        }
        return d;
    }
}
