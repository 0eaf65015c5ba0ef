package org.diffusion4j.audio.mel;

/**
 * In-place iterative radix-2 complex FFT in double precision (Cooley–Tukey, decimation in time with
 * bit-reversed input). Twiddles are precomputed per instance, so one instance serves every frame of a
 * given size; instances are immutable and thread-safe.
 *
 * <p>Forward: X[k] = Σ x[n]·e^{-2πikn/N}. Inverse: x[n] = (1/N)·Σ X[k]·e^{+2πikn/N}.
 */
public final class Fft {

    private final int size;
    private final int[] bitReverse;
    private final double[] cos;
    private final double[] sin;

    public Fft(int size) {
        if (size < 1 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("size: expected a power of two >= 1, got " + size);
        }
        this.size = size;
        int bits = Integer.numberOfTrailingZeros(size);
        bitReverse = new int[size];
        for (int i = 0; i < size; i++) {
            bitReverse[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
        }
        cos = new double[size / 2 + 1];
        sin = new double[size / 2 + 1];
        for (int k = 0; k < cos.length; k++) {
            cos[k] = Math.cos(2 * Math.PI * k / size);
            sin[k] = Math.sin(2 * Math.PI * k / size);
        }
    }

    public int size() {
        return size;
    }

    /** Transforms (re, im) in place; both arrays must have length {@link #size()}. */
    public void transform(double[] re, double[] im, boolean inverse) {
        if (re.length != size || im.length != size) {
            throw new IllegalArgumentException("re/im: expected length " + size + ", got " + re.length + "/" + im.length);
        }
        for (int i = 0; i < size; i++) {
            int j = bitReverse[i];
            if (j > i) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        double sign = inverse ? 1 : -1;
        for (int len = 2; len <= size; len <<= 1) {
            int half = len >> 1;
            int step = size / len;
            for (int start = 0; start < size; start += len) {
                for (int k = 0; k < half; k++) {
                    double wr = cos[k * step];
                    double wi = sign * sin[k * step];
                    int a = start + k;
                    int b = a + half;
                    double xr = re[b] * wr - im[b] * wi;
                    double xi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                }
            }
        }
        if (inverse) {
            for (int i = 0; i < size; i++) {
                re[i] /= size;
                im[i] /= size;
            }
        }
    }
}
