package org.diffusion4j.audio.mel;

/**
 * Short-time Fourier transform with torch.stft / torchaudio semantics: a periodic Hann window of
 * {@code winLength} zero-padded and centred in {@code nFft}, frames every {@code hop} samples, optional
 * centre padding by reflection of nFft/2 samples on each side (torch's {@code center=True,
 * pad_mode='reflect'}), optional normalisation by √Σw² (torchaudio's {@code normalized=True}).
 * Immutable and thread-safe.
 */
public final class Stft {

    private final int nFft;
    private final int winLength;
    private final int hop;
    private final boolean center;
    private final boolean normalized;
    private final double[] window;
    private final double windowNorm;
    private final Fft fft;

    public Stft(int nFft, int winLength, int hop, boolean center, boolean normalized) {
        if (winLength < 1 || winLength > nFft) {
            throw new IllegalArgumentException("winLength: expected 1.." + nFft + ", got " + winLength);
        }
        if (hop < 1) {
            throw new IllegalArgumentException("hop: expected >= 1, got " + hop);
        }
        this.fft = new Fft(nFft);
        this.nFft = nFft;
        this.winLength = winLength;
        this.hop = hop;
        this.center = center;
        this.normalized = normalized;
        this.window = paddedHann(nFft, winLength);
        double s = 0;
        for (double w : window) {
            s += w * w;
        }
        this.windowNorm = Math.sqrt(s);
    }

    /**
     * torch.hann_window(win, periodic=True) = 0.5 − 0.5·cos(2πn/win), zero-padded to nFft with
     * floor((nFft − win)/2) zeros on the left, as torch.stft does.
     */
    static double[] paddedHann(int nFft, int winLength) {
        double[] w = new double[nFft];
        int left = (nFft - winLength) / 2;
        for (int n = 0; n < winLength; n++) {
            w[left + n] = 0.5 - 0.5 * Math.cos(2 * Math.PI * n / winLength);
        }
        return w;
    }

    public int nFft() {
        return nFft;
    }

    public int hop() {
        return hop;
    }

    public int bins() {
        return nFft / 2 + 1;
    }

    /** Frame count for a signal of n samples: 1 + floor(n / hop) centred, else 1 + floor((n − nFft)/hop). */
    public int frames(int n) {
        return center ? 1 + n / hop : 1 + (n - nFft) / hop;
    }

    /** The smallest signal length this transform accepts (reflection needs n > nFft/2). */
    public int minLength() {
        return center ? nFft / 2 + 1 : nFft;
    }

    public Spectrum forward(float[] x) {
        if (x.length < minLength()) {
            throw new IllegalArgumentException("audio: expected at least " + minLength() + " samples for nFft "
                    + nFft + ", got " + x.length);
        }
        int pad = center ? nFft / 2 : 0;
        int frames = frames(x.length);
        int bins = bins();
        double[][] re = new double[frames][bins];
        double[][] im = new double[frames][bins];
        double[] fr = new double[nFft];
        double[] fi = new double[nFft];
        double scale = normalized ? 1 / windowNorm : 1;
        for (int t = 0; t < frames; t++) {
            int start = t * hop - pad;
            for (int k = 0; k < nFft; k++) {
                fr[k] = window[k] == 0 ? 0 : window[k] * x[reflect(start + k, x.length)];
                fi[k] = 0;
            }
            fft.transform(fr, fi, false);
            for (int k = 0; k < bins; k++) {
                re[t][k] = fr[k] * scale;
                im[t][k] = fi[k] * scale;
            }
        }
        return new Spectrum(re, im);
    }

    /**
     * Inverse STFT by windowed overlap-add divided by Σ w² (torch.istft's least-squares inverse), trimmed
     * to {@code length} samples. Exact for a spectrum produced by {@link #forward} wherever Σ w² > 0.
     */
    public float[] inverse(Spectrum spec, int length) {
        if (spec.bins() != bins()) {
            throw new IllegalArgumentException("spec: expected " + bins() + " bins, got " + spec.bins());
        }
        int pad = center ? nFft / 2 : 0;
        int total = (spec.frames() - 1) * hop + nFft;
        double[] acc = new double[total];
        double[] wsum = new double[total];
        double[] fr = new double[nFft];
        double[] fi = new double[nFft];
        double scale = normalized ? windowNorm : 1;
        for (int t = 0; t < spec.frames(); t++) {
            // rebuild the full Hermitian spectrum from the one-sided half
            for (int k = 0; k < bins(); k++) {
                fr[k] = spec.re()[t][k] * scale;
                fi[k] = spec.im()[t][k] * scale;
            }
            fi[0] = 0;
            fi[nFft / 2] = 0;
            for (int k = 1; k < nFft / 2; k++) {
                fr[nFft - k] = fr[k];
                fi[nFft - k] = -fi[k];
            }
            fft.transform(fr, fi, true);
            int start = t * hop;
            for (int k = 0; k < nFft; k++) {
                acc[start + k] += fr[k] * window[k];
                wsum[start + k] += window[k] * window[k];
            }
        }
        float[] out = new float[length];
        for (int i = 0; i < length; i++) {
            int j = i + pad;
            if (j < total && wsum[j] > 1e-11) {
                out[i] = (float) (acc[j] / wsum[j]);
            }
        }
        return out;
    }

    /** numpy/torch 'reflect' padding index (the edge sample is not repeated). */
    private static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }
}
