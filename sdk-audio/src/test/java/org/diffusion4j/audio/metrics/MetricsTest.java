package org.diffusion4j.audio.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.diffusion4j.audio.mel.MelSpectrogram;
import org.junit.jupiter.api.Test;

class MetricsTest {

    static final int SR = 22050;

    static float[] noise(int n, double amp, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (amp * r.nextGaussian());
        }
        return x;
    }

    static float[] tone(int n, double hz, double amp) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (amp * Math.sin(2 * Math.PI * hz * i / SR));
        }
        return x;
    }

    static float[] scaled(float[] x, float a) {
        float[] y = x.clone();
        for (int i = 0; i < y.length; i++) {
            y[i] *= a;
        }
        return y;
    }

    @Test
    void logMelDistanceIsZeroForIdenticalAndLnSquaredForAGain() {
        LogMelDistance d = LogMelDistance.wavegrad(SR);
        float[] x = noise(8000, 0.3, 1);
        assertEquals(0.0, d.distance(x, x.clone()), 0.0);
        // white noise at this level keeps every mel band far above ε = 1e-5, so ln(aM+ε) − ln(M+ε) ≈ ln a
        double ln2 = Math.log(2);
        assertEquals(ln2 * ln2, d.distance(x, scaled(x, 2f)), 1e-3 * ln2 * ln2);
        assertEquals(d.distance(x, scaled(x, 2f)), d.distance(scaled(x, 2f), x), 1e-12);
    }

    /** A noise burst that fades in: frame energies that vary, as speech's do. */
    static float[] swelling(int n, long seed) {
        float[] x = noise(n, 1, seed);
        for (int i = 0; i < n; i++) {
            x[i] *= (float) (0.01 + 0.5 * i / n);
        }
        return x;
    }

    @Test
    void envelopeMatchGivesTheGainInDecibelsAndIgnoresItInTheCorrelation() {
        EnvelopeMatch match = new EnvelopeMatch(org.diffusion4j.audio.mel.MelRecipe.wavegrad(SR));
        float[] x = swelling(9000, 4);
        assertEquals(0.0, EnvelopeMatch.levelDifferenceDb(x, x.clone()), 1e-12);
        assertEquals(20 * Math.log10(0.5), EnvelopeMatch.levelDifferenceDb(x, scaled(x, 0.5f)), 1e-9);
        assertEquals(1.0, match.energyCorrelation(x, scaled(x, 0.25f)), 1e-9);
        // the same burst played backwards fades out: its energy runs against the reference's
        float[] reversed = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            reversed[i] = x[x.length - 1 - i];
        }
        assertTrue(match.energyCorrelation(x, reversed) < -0.5, "fade-in vs fade-out: " + match.energyCorrelation(x, reversed));
        assertThrows(IllegalArgumentException.class, () -> EnvelopeMatch.levelDifferenceDb(new float[9000], x.clone()));
        assertThrows(IllegalArgumentException.class, () -> match.energyCorrelation(x, new float[8999]));
    }

    @Test
    void mcdIsZeroForIdenticalGainInvariantAndPositiveOtherwise() {
        MelCepstralDistortion mcd = MelCepstralDistortion.wavegrad(SR);
        float[] x = noise(8000, 0.3, 2);
        assertEquals(0.0, mcd.distortion(x, x.clone()), 0.0);
        // a gain adds ln a to every log-mel band; the DCT of a constant vanishes for d >= 1
        assertEquals(0.0, mcd.distortion(x, scaled(x, 0.5f)), 1e-6);
        float[] y = tone(8000, 440, 0.3);
        double dxy = mcd.distortion(x, y);
        assertTrue(dxy > 1, "noise vs tone MCD " + dxy);
        assertEquals(dxy, mcd.distortion(y, x), 1e-9);
    }

    @Test
    void mcdMatchesItsFormulaOnOneFrame() {
        // a signal shorter than two hops has frames 0 and 1; check frame averaging with the stated formula
        MelCepstralDistortion mcd = MelCepstralDistortion.wavegrad(SR);
        float[] x = noise(1100, 0.3, 3);
        float[] y = noise(1100, 0.3, 4);
        double[][] a = mcd.cepstra(x);
        double[][] b = mcd.cepstra(y);
        double expected = 0;
        for (int t = 0; t < a.length; t++) {
            double s = 0;
            for (int d = 0; d < 13; d++) {
                s += (a[t][d] - b[t][d]) * (a[t][d] - b[t][d]);
            }
            expected += 10 / Math.log(10) * Math.sqrt(2 * s) / a.length;
        }
        assertEquals(expected, mcd.distortion(x, y), 1e-9);
        // c_1 from an independent DCT of the log-mel
        double[][] m = new MelSpectrogram(org.diffusion4j.audio.mel.MelRecipe.wavegrad(SR)).melMagnitude(x);
        double c1 = 0;
        for (int j = 0; j < 128; j++) {
            c1 += Math.log(Math.max(m[0][j], 1e-5)) * Math.cos(Math.PI * (j + 0.5) / 128);
        }
        assertEquals(c1 * Math.sqrt(2.0 / 128), a[0][0], 1e-9);
    }

    @Test
    void multiResolutionStftHasClosedFormUnderAGain() {
        MultiResolutionStftDistance d = new MultiResolutionStftDistance();
        float[] x = noise(6000, 0.3, 5);
        assertEquals(0.0, d.distance(x, x.clone()), 0.0);
        float a = 0.5f;
        // SC = ‖|S| − a|S|‖/‖|S|‖ = |1 − a| and LM = |ln a| while |S|² ≫ 1e-7
        assertEquals(Math.abs(1 - a) + Math.abs(Math.log(a)), d.distance(x, scaled(x, a)), 1e-3);
        assertThrows(IllegalArgumentException.class, () -> d.distance(x, new float[5999]));
    }

    @Test
    void yinFindsAPureTonesF0AndFfeCountsErrors() {
        F0FrameError ffe = F0FrameError.defaults(SR);
        float[] a = tone(SR, 220, 0.5);
        float[] track = ffe.track(a);
        for (float f : track) {
            assertEquals(220, f, 2.2);
        }
        assertEquals(0.0, ffe.error(a, a.clone()), 0.0);
        assertEquals(1.0, ffe.error(a, tone(SR, 300, 0.5)), 0.0); // every frame a gross pitch error (36 %)
        assertEquals(0.0, ffe.error(a, tone(SR, 230, 0.5)), 0.0); // 4.5 % is within the 20 % tolerance
        assertEquals(1.0, ffe.error(a, new float[SR]), 0.0); // every frame a voicing error
    }

    @Test
    void griffinLimRecoversAToneAndImprovesWithIterations() {
        MelSpectrogram mel = MelSpectrogram.wavegrad(SR);
        float[] x = tone(300 * 40, 330, 0.5);
        float[][] m = mel.compute(x);
        GriffinLim gl = GriffinLim.wavegrad(SR);
        float[] y = gl.reconstruct(m, 1);
        assertEquals(300 * m[0].length, y.length);
        float[] yTrim = java.util.Arrays.copyOf(y, x.length);
        float[] track = F0FrameError.defaults(SR).track(java.util.Arrays.copyOfRange(yTrim, 2048, yTrim.length - 2048));
        // the mel keeps frequency only to within its band spacing: near 330 Hz adjacent band centres lie
        // (700 + f)·ln10/2595 Hz per mel × (mel range / 129) apart; allow half of that
        double melStep = (org.diffusion4j.audio.mel.MelFilterbank.hzToMel(SR / 2.0) - org.diffusion4j.audio.mel.MelFilterbank.hzToMel(20)) / 129;
        double halfBandHz = 0.5 * (700 + 330) * Math.log(10) / 2595 * melStep;
        for (float f : track) {
            assertEquals(330, f, halfBandHz);
        }
        MultiResolutionStftDistance d = new MultiResolutionStftDistance();
        float[] one = java.util.Arrays.copyOf(new GriffinLim(mel.recipe(), 1, 0.99).reconstruct(m, 1), x.length);
        float[] many = yTrim;
        assertTrue(d.distance(x, many) < d.distance(x, one), "32 iterations should beat 1");
        LogMelDistance lm = LogMelDistance.wavegrad(SR);
        assertTrue(lm.distance(x, many) < lm.distance(x, one), "log-mel: " + lm.distance(x, many) + " vs " + lm.distance(x, one));
    }
    @Test
    void griffinLimWarmStartedFromTheTruePhaseBeatsRandomPhases() {
        MelSpectrogram mel = MelSpectrogram.wavegrad(SR);
        // a rising chirp under noise: phase that random starts do not find in one iteration
        int n = 300 * 40;
        float[] x = noise(n, 0.05, 3);
        for (int i = 0; i < n; i++) {
            double tSec = i / (double) SR;
            x[i] += (float) (0.4 * Math.sin(2 * Math.PI * (200 * tSec + 400 * tSec * tSec)));
        }
        float[][] m = mel.compute(x);
        GriffinLim one = new GriffinLim(mel.recipe(), 1, 0.99);
        int length = 300 * m[0].length;
        float[] warm = java.util.Arrays.copyOf(one.reconstructFrom(m, java.util.Arrays.copyOf(x, length)), n);
        float[] cold = java.util.Arrays.copyOf(one.reconstruct(m, 1), n);
        MultiResolutionStftDistance d = new MultiResolutionStftDistance();
        assertTrue(d.distance(x, warm) < d.distance(x, cold), "warm " + d.distance(x, warm) + " vs cold " + d.distance(x, cold));
        MelCepstralDistortion mcd = MelCepstralDistortion.wavegrad(SR);
        assertTrue(mcd.distortion(x, warm) < mcd.distortion(x, cold));
        // the start matters: another initial signal gives other audio
        float[] other = java.util.Arrays.copyOf(one.reconstructFrom(m, noise(length, 0.3, 9)), n);
        assertTrue(d.distance(warm, other) > 0.1, "a different start changed nothing: " + d.distance(warm, other));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> one.reconstructFrom(m, new float[length - 1]));
        assertTrue(e.getMessage().contains("initial") && e.getMessage().contains(String.valueOf(length))
                && e.getMessage().contains(String.valueOf(length - 1)), e.getMessage());
    }
}
