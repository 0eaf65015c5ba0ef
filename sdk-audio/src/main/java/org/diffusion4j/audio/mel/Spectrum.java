package org.diffusion4j.audio.mel;

/**
 * A one-sided complex STFT, [frames][bins] with bins = nFft/2 + 1. Arrays are owned by the instance; the
 * accessors return the live arrays for speed, so treat them as read-only.
 */
public record Spectrum(double[][] re, double[][] im) {

    public Spectrum {
        if (re.length != im.length) {
            throw new IllegalArgumentException("im: expected " + re.length + " frames, got " + im.length);
        }
    }

    public int frames() {
        return re.length;
    }

    public int bins() {
        return re.length == 0 ? 0 : re[0].length;
    }

    /** |X| per frame and bin. */
    public double[][] magnitude() {
        double[][] m = new double[re.length][];
        for (int t = 0; t < re.length; t++) {
            m[t] = new double[re[t].length];
            for (int k = 0; k < m[t].length; k++) {
                m[t][k] = Math.hypot(re[t][k], im[t][k]);
            }
        }
        return m;
    }
}
