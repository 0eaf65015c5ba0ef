package org.diffusion4j.audio.mel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class StftTest {

    @Property(tries = 20)
    void fftMatchesNaiveDft(@ForAll @IntRange(min = 0, max = 9) int log2, @ForAll long seed) {
        int n = 1 << log2;
        Random r = new Random(seed);
        double[] re = new double[n];
        double[] im = new double[n];
        for (int i = 0; i < n; i++) {
            re[i] = r.nextGaussian();
            im[i] = r.nextGaussian();
        }
        double[] fr = re.clone();
        double[] fi = im.clone();
        new Fft(n).transform(fr, fi, false);
        for (int k = 0; k < n; k++) {
            double sr = 0;
            double si = 0;
            for (int j = 0; j < n; j++) {
                double a = -2 * Math.PI * k * j / n;
                sr += re[j] * Math.cos(a) - im[j] * Math.sin(a);
                si += re[j] * Math.sin(a) + im[j] * Math.cos(a);
            }
            assertEquals(sr, fr[k], 1e-9 * n);
            assertEquals(si, fi[k], 1e-9 * n);
        }
        new Fft(n).transform(fr, fi, true);
        for (int i = 0; i < n; i++) {
            assertEquals(re[i], fr[i], 1e-12 * n);
            assertEquals(im[i], fi[i], 1e-12 * n);
        }
    }

    @Property(tries = 15)
    void inverseOfForwardReconstructsTheSignal(@ForAll @IntRange(min = 600, max = 4000) int len,
            @ForAll boolean normalized, @ForAll long seed) {
        Random r = new Random(seed);
        float[] x = new float[len];
        for (int i = 0; i < len; i++) {
            x[i] = (float) r.nextGaussian();
        }
        Stft stft = new Stft(512, 400, 100, true, normalized);
        float[] y = stft.inverse(stft.forward(x), len);
        for (int i = 0; i < len; i++) {
            assertEquals(x[i], y[i], 1e-4);
        }
    }
}
