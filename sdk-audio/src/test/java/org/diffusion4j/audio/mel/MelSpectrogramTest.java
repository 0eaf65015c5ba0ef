package org.diffusion4j.audio.mel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class MelSpectrogramTest {

    private static float[] noiseAndTones(int n, int rate, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (0.3 * Math.sin(2 * Math.PI * 220 * i / rate) + 0.2 * Math.sin(2 * Math.PI * 3100 * i / rate)
                    + 0.05 * r.nextGaussian());
        }
        return x;
    }

    /**
     * Independent reference: the recipe written out literally with a naive O(N²) DFT, torchaudio's
     * melscale_fbanks formula (dense, [bins][mels]) and the lmnt compression, all in double.
     */
    private static double[][] referenceFrames(float[] x, int rate, int[] frames) {
        int nFft = 2048;
        int win = 1200;
        int hop = 300;
        int nMels = 128;
        int pad = nFft / 2;
        // reflect padding: x_pad[i] = x[|i − pad|] mirrored at both ends without repeating the edge
        double[] padded = new double[x.length + 2 * pad];
        for (int i = 0; i < padded.length; i++) {
            int j = i - pad;
            if (j < 0) {
                j = -j;
            } else if (j >= x.length) {
                j = 2 * (x.length - 1) - j;
            }
            padded[i] = x[j];
        }
        double[] w = new double[nFft];
        double sumSq = 0;
        for (int n = 0; n < win; n++) {
            w[n + (nFft - win) / 2] = Math.pow(Math.sin(Math.PI * n / win), 2); // = 0.5 − 0.5cos(2πn/win)
        }
        for (double v : w) {
            sumSq += v * v;
        }
        int bins = nFft / 2 + 1;
        double[][] fb = new double[bins][nMels];
        double[] allFreqs = new double[bins];
        for (int k = 0; k < bins; k++) {
            allFreqs[k] = (rate / 2) * (double) k / (bins - 1);
        }
        double mMin = 2595 * Math.log10(1 + 20.0 / 700);
        double mMax = 2595 * Math.log10(1 + (rate / 2.0) / 700);
        double[] fPts = new double[nMels + 2];
        for (int i = 0; i < fPts.length; i++) {
            double m = mMin + (mMax - mMin) * i / (nMels + 1);
            fPts[i] = 700 * (Math.pow(10, m / 2595) - 1);
        }
        for (int k = 0; k < bins; k++) {
            for (int m = 0; m < nMels; m++) {
                double down = -(fPts[m] - allFreqs[k]) / (fPts[m + 1] - fPts[m]);
                double up = (fPts[m + 2] - allFreqs[k]) / (fPts[m + 2] - fPts[m + 1]);
                fb[k][m] = Math.max(0, Math.min(down, up));
            }
        }
        double[][] out = new double[frames.length][nMels];
        for (int fi = 0; fi < frames.length; fi++) {
            int start = frames[fi] * hop;
            double[] mag = new double[bins];
            for (int k = 0; k < bins; k++) {
                double re = 0;
                double im = 0;
                for (int n = 0; n < nFft; n++) {
                    double v = padded[start + n] * w[n];
                    double ang = -2 * Math.PI * ((long) k * n % nFft) / nFft;
                    re += v * Math.cos(ang);
                    im += v * Math.sin(ang);
                }
                mag[k] = Math.sqrt(re * re + im * im) / Math.sqrt(sumSq);
            }
            for (int m = 0; m < nMels; m++) {
                double s = 0;
                for (int k = 0; k < bins; k++) {
                    s += fb[k][m] * mag[k];
                }
                double db = 20 * Math.log10(Math.max(s, 1e-5)) - 20;
                out[fi][m] = Math.min(1, Math.max(0, (db + 100) / 100));
            }
        }
        return out;
    }

    @Test
    void matchesNaiveDoubleDftReferenceWithin1e4() {
        int rate = 22050;
        float[] x = noiseAndTones(5000, rate, 7);
        float[][] mel = MelSpectrogram.wavegrad(rate).compute(x);
        assertEquals(128, mel.length);
        assertEquals(1 + 5000 / 300, mel[0].length);
        int[] frames = {0, 1, 8, mel[0].length - 1}; // both reflect-padded edges and the interior
        double[][] ref = referenceFrames(x, rate, frames);
        double maxErr = 0;
        for (int f = 0; f < frames.length; f++) {
            for (int m = 0; m < 128; m++) {
                maxErr = Math.max(maxErr, Math.abs(mel[m][frames[f]] - ref[f][m]));
            }
        }
        assertTrue(maxErr <= 1e-4, "max error " + maxErr);
    }

    @Property(tries = 25)
    void frameCountIsOnePlusFloorNOverHop(@ForAll @IntRange(min = 1025, max = 9000) int n,
            @ForAll @IntRange(min = 1, max = 400) int hop) {
        MelSpectrogram mel = new MelSpectrogram(MelRecipe.wavegrad(16000).withHop(hop));
        float[][] out = mel.compute(new float[n]);
        assertEquals(1 + n / hop, out[0].length);
        assertEquals(mel.frames(n), out[0].length);
    }

    @Test
    void aSineLandsInTheBandWhoseCentreIsNearest() {
        int rate = 22050;
        MelSpectrogram mel = MelSpectrogram.wavegrad(rate);
        MelFilterbank fb = mel.filterbank();
        for (double hz : new double[] {300, 1000, 4000, 9000}) {
            float[] x = new float[8000];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (0.5 * Math.sin(2 * Math.PI * hz * i / rate));
            }
            float[][] out = mel.compute(x);
            int frame = out[0].length / 2;
            int best = 0;
            for (int m = 1; m < out.length; m++) {
                if (out[m][frame] > out[best][frame]) {
                    best = m;
                }
            }
            // band m's peak sits at the (m+1)-th of nMels+2 equally spaced mel points between 20 Hz and sr/2
            double mMin = MelFilterbank.hzToMel(20);
            double step = (MelFilterbank.hzToMel(rate / 2.0) - mMin) / (128 + 1);
            double expected = (MelFilterbank.hzToMel(hz) - mMin) / step - 1;
            assertTrue(Math.abs(best - expected) <= 1.0, hz + " Hz: loudest band " + best + ", expected about " + expected);
            assertTrue(fb.weight(best, (int) Math.round(hz * 2048 / rate)) > 0);
        }
    }

    @Test
    void silenceMapsToZeroAndLoudnessIsMonotone() {
        MelSpectrogram mel = MelSpectrogram.wavegrad(22050);
        float[][] quiet = mel.compute(new float[3000]);
        for (float[] row : quiet) {
            for (float v : row) {
                assertEquals(0f, v);
            }
        }
        float[] a = noiseAndTones(3000, 22050, 3);
        float[] b = a.clone();
        for (int i = 0; i < b.length; i++) {
            b[i] *= 0.5f;
        }
        float[][] ma = mel.compute(a);
        float[][] mb = mel.compute(b);
        // halving the amplitude lowers every unclamped value by 20·log10(2)/100
        double drop = 20 * Math.log10(2) / 100;
        for (int m = 0; m < 128; m++) {
            for (int t = 0; t < ma[m].length; t++) {
                if (ma[m][t] > drop + 1e-3 && ma[m][t] < 1) {
                    assertEquals(ma[m][t] - drop, mb[m][t], 1e-5);
                }
            }
        }
    }

    @Test
    void rejectsTooShortAndNonFiniteAudio() {
        MelSpectrogram mel = MelSpectrogram.wavegrad(22050);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mel.compute(new float[1024]));
        assertTrue(e.getMessage().contains("at least 1025"), e.getMessage());
        float[] x = new float[2000];
        x[5] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> mel.compute(x));
    }

    @Test
    void decompressInvertsCompressInsideTheRange() {
        MelSpectrogram mel = MelSpectrogram.wavegrad(22050);
        for (double m : new double[] {1e-4, 0.01, 0.3, 5.0}) {
            assertEquals(m, mel.decompress(mel.compress(m)), 1e-12 * Math.max(1, m));
        }
    }
}
