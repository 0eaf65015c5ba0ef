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
     * floor((nFft − win)/2) zeros on the left, as torch.stft does (public for callers that hand the same window to
     * libtorch's STFT).
     */
    public static double[] paddedHann(int nFft, int winLength) {
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
        // two real frames a, b per complex FFT of z = a + i·b: A[k] = (Z[k] + conj Z[N−k])/2 and
        // B[k] = (Z[k] − conj Z[N−k])/(2i), exact for real inputs; half the transforms
        for (int t = 0; t < frames; t += 2) {
            boolean pair = t + 1 < frames;
            int startA = t * hop - pad;
            int startB = startA + hop;
            for (int k = 0; k < nFft; k++) {
                double w = window[k];
                fr[k] = w == 0 ? 0 : w * x[reflect(startA + k, x.length)];
                fi[k] = w == 0 || !pair ? 0 : w * x[reflect(startB + k, x.length)];
            }
            fft.transform(fr, fi, false);
            for (int k = 0; k < bins; k++) {
                int mirror = k == 0 ? 0 : nFft - k;
                double zr = fr[k];
                double zi = fi[k];
                double cr = fr[mirror];
                double ci = -fi[mirror];
                re[t][k] = 0.5 * (zr + cr) * scale;
                im[t][k] = 0.5 * (zi + ci) * scale;
                if (pair) {
                    // (Z − conj Z[N−k])/(2i): (dr + i·di)/(2i) = (di − i·dr)/2
                    re[t + 1][k] = 0.5 * (zi - ci) * scale;
                    im[t + 1][k] = -0.5 * (zr - cr) * scale;
                }
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
        // two frames per inverse FFT: with A, B the Hermitian spectra of real frames a, b, IFFT(A + i·B) = a + i·b
        for (int t = 0; t < spec.frames(); t += 2) {
            boolean pair = t + 1 < spec.frames();
            double[] ar = spec.re()[t];
            double[] ai = spec.im()[t];
            double[] br = pair ? spec.re()[t + 1] : null;
            double[] bi = pair ? spec.im()[t + 1] : null;
            for (int k = 0; k < bins(); k++) {
                // full spectra of a and b at k (the DC and Nyquist imaginary parts are dropped: real frames have none)
                boolean edge = k == 0 || k == nFft / 2;
                double aRe = ar[k] * scale;
                double aIm = edge ? 0 : ai[k] * scale;
                double bRe = pair ? br[k] * scale : 0;
                double bIm = pair && !edge ? bi[k] * scale : 0;
                // Z[k] = A[k] + i·B[k]; Z[N−k] = conj A[k] + i·conj B[k]
                fr[k] = aRe - bIm;
                fi[k] = aIm + bRe;
                if (!edge) {
                    fr[nFft - k] = aRe + bIm;
                    fi[nFft - k] = -aIm + bRe;
                }
            }
            fft.transform(fr, fi, true);
            int start = t * hop;
            for (int k = 0; k < nFft; k++) {
                acc[start + k] += fr[k] * window[k];
                wsum[start + k] += window[k] * window[k];
                if (pair) {
                    acc[start + hop + k] += fi[k] * window[k];
                    wsum[start + hop + k] += window[k] * window[k];
                }
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
