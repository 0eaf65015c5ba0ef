package org.diffusion4j.audio.refine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.diffusion4j.audio.mel.MelFilterbank;
import org.diffusion4j.audio.mel.MelRecipe;
import org.diffusion4j.audio.mel.MelSpectrogram;
import org.diffusion4j.audio.metrics.LogMelDistance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MelConsistencyRefinerTest {

    static final int SR = 22050;
    static final int HOP = 300;

    /** A rising chirp under white noise: speech-like in having both harmonic and noisy bands. */
    static float[] chirp(int n, double amp, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            double t = i / (double) SR;
            x[i] = (float) (amp * Math.sin(2 * Math.PI * (200 * t + 400 * t * t)) + 0.05 * amp * r.nextGaussian());
        }
        return x;
    }

    /** x through a first-difference filter (+6 dB per octave) plus white noise 26 dB down: the wrong envelope. */
    static float[] mistilted(float[] x) {
        float[] wrong = new float[x.length];
        Random r = new Random(5);
        for (int i = 0; i < x.length; i++) {
            wrong[i] = (float) (x[i] - (i > 0 ? x[i - 1] : 0) + 0.02 * r.nextGaussian());
        }
        return wrong;
    }

    static float maxAbsDifference(float[] a, float[] b) {
        float d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    /**
     * A signal already consistent with its own mel is a fixed point: every band's gain is 1 up to the float32
     * storage of the compressed mel (a step of 6e-8 in c is 6e-6 dB, a relative 7e-7 in magnitude), and the STFT
     * round trip is exact. Bands the compression clamped keep their value, which lies inside their interval.
     * Holds for any signal, silence and full scale included.
     */
    @Property(tries = 15)
    void aSignalRefinedTowardsItsOwnMelIsUnchanged(@ForAll @IntRange(min = 1025, max = 8000) int length,
            @ForAll @DoubleRange(min = 0.0, max = 1.0) double amplitude, @ForAll long seed) {
        float[] x = chirp(length, amplitude, seed);
        float[][] m = MelSpectrogram.wavegrad(SR).compute(x);
        float[] y = MelConsistencyRefiner.wavegrad(SR, 3).refine(m, x);
        assertEquals(length, y.length);
        assertTrue(maxAbsDifference(x, y) <= 1e-4, "moved by " + maxAbsDifference(x, y));
    }

    /**
     * A pure level error (the signal at half amplitude, its phase exact) asks every band for the same gain 2, so
     * one round restores the mel to within 0.1 dB (0.001 in c) in every band centred at 100 Hz or above. The two
     * bins below f_min = 20 Hz belong to no band and keep the halved level; the modified STFT is then not exactly
     * consistent, and the overlap-add spreads that into the few lowest bands (centres 36–85 Hz), which must only
     * get closer than they were. The signal is quiet enough that no band of its mel is clamped (a clamped band
     * allows an interval of levels, and the refiner moves a band only as far as into that interval).
     */
    @Test
    void oneRoundUndoesALevelError() {
        // halving is 6.02 dB, 0.0602 in c wherever no clamp applies
        assertLevelErrorUndone(MelRecipe.wavegrad(SR), 0.0602);
    }

    /**
     * The same with a power spectrogram (power 2, as torchaudio's default MelSpectrogram): the bands then ask for
     * a gain of 4 on |X|², i.e. 2 on |X|. The recipe's dB range is widened to 200 and its floor lowered to 1e-10
     * so that this test signal's mel is not clamped (halving is then 12.04 dB of power, 0.0602 in c again).
     */
    @Test
    void oneRoundUndoesALevelErrorOnAPowerMel() {
        MelRecipe power = new MelRecipe(SR, 2048, 1200, HOP, 128, 20.0, SR / 2.0, 2.0, true, 1e-10, 20.0, 200.0);
        assertLevelErrorUndone(power, 0.0602);
    }

    private static void assertLevelErrorUndone(MelRecipe recipe, double expectedShift) {
        MelSpectrogram mel = new MelSpectrogram(recipe);
        float[] x = chirp(HOP * 40, 0.1, 1);
        float[][] m = mel.compute(x);
        for (float[] band : m) {
            for (float c : band) {
                assertTrue(c > 0 && c < 1, "the test signal's mel is clamped: " + c);
            }
        }
        float[] half = x.clone();
        for (int i = 0; i < half.length; i++) {
            half[i] *= 0.5f;
        }
        float[][] before = mel.compute(half);
        float[][] after = mel.compute(new MelConsistencyRefiner(recipe, 1).refine(m, half));
        double lowBefore = 0;
        double lowAfter = 0;
        double worstAfter = 0;
        for (int b = 0; b < m.length; b++) {
            double centreHz = MelFilterbank.melToHz(MelFilterbank.hzToMel(20)
                    + (b + 1) * (MelFilterbank.hzToMel(SR / 2.0) - MelFilterbank.hzToMel(20)) / (m.length + 1));
            for (int t = 0; t < m[b].length; t++) {
                assertEquals(-expectedShift, before[b][t] - m[b][t], 1e-3, "band " + b + " frame " + t + " before refining");
                double err = Math.abs(after[b][t] - m[b][t]);
                if (centreHz >= 100) {
                    worstAfter = Math.max(worstAfter, err);
                } else {
                    lowBefore += Math.abs(before[b][t] - m[b][t]);
                    lowAfter += err;
                }
            }
        }
        assertTrue(worstAfter < 1e-3, "worst error of the bands from 100 Hz after one round: " + worstAfter);
        assertTrue(lowAfter < 0.5 * lowBefore, "bands below 100 Hz: summed error " + lowAfter + ", before " + lowBefore);
    }

    /**
     * A signal with the wrong spectral envelope (a first-difference filter tilts it by +6 dB per octave, plus
     * white noise 26 dB down) gets closer to the target's log-mel with more rounds, and 16 rounds remove at least
     * half of the initial distance: what the refiner is for.
     */
    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.9})
    void moreRoundsBringTheLogMelCloser(double momentum) {
        MelSpectrogram mel = MelSpectrogram.wavegrad(SR);
        float[] x = chirp(HOP * 40, 0.4, 2);
        float[][] m = mel.compute(x);
        float[] wrong = mistilted(x);
        LogMelDistance d = LogMelDistance.wavegrad(SR);
        double start = d.distance(x, wrong);
        double previous = start;
        for (int rounds : new int[] {1, 4, 16}) {
            double now = d.distance(x, new MelConsistencyRefiner(MelRecipe.wavegrad(SR), rounds, momentum).refine(m, wrong));
            assertTrue(now < previous, "momentum " + momentum + ", " + rounds + " rounds: " + now + ", fewer rounds: " + previous);
            previous = now;
        }
        assertTrue(previous < 0.5 * start, "16 rounds: " + previous + ", unrefined: " + start);
    }

    /**
     * Momentum is what it is for: on the same mistilted signal, 16 rounds with α = 0.9 get closer to the target
     * log-mel than 16 plain rounds.
     */
    @Test
    void momentumConvergesFaster() {
        MelSpectrogram mel = MelSpectrogram.wavegrad(SR);
        float[] x = chirp(HOP * 40, 0.4, 2);
        float[][] m = mel.compute(x);
        float[] wrong = mistilted(x);
        LogMelDistance d = LogMelDistance.wavegrad(SR);
        double plain = d.distance(x, new MelConsistencyRefiner(MelRecipe.wavegrad(SR), 16, 0).refine(m, wrong));
        double fast = d.distance(x, new MelConsistencyRefiner(MelRecipe.wavegrad(SR), 16, 0.9).refine(m, wrong));
        assertTrue(fast < plain, "momentum 0.9: " + fast + ", plain: " + plain);
    }

    @Test
    void theInputIsNotModifiedAndASignalLongerThanTheMelKeepsItsLength() {
        MelSpectrogram mel = MelSpectrogram.wavegrad(SR);
        float[] x = chirp(HOP * 20, 0.3, 3);
        float[][] m = mel.compute(x); // 21 frames
        // a vocoder's output for these 21 frames is 21·hop samples: one STFT frame more than the mel has
        float[] longer = chirp(HOP * 21, 0.1, 4);
        float[] copy = longer.clone();
        float[] y = MelConsistencyRefiner.wavegrad(SR, 2).refine(m, longer);
        assertTrue(Arrays.equals(copy, longer), "refine modified its input");
        assertEquals(longer.length, y.length);
    }

    @Test
    void badInputIsRefusedWithTheArgumentAndBothValues() {
        MelConsistencyRefiner refiner = MelConsistencyRefiner.wavegrad(SR, 1);
        float[] x = chirp(HOP * 10, 0.3, 6);
        float[][] m = MelSpectrogram.wavegrad(SR).compute(x);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MelConsistencyRefiner.wavegrad(SR, 0));
        assertTrue(e.getMessage().contains("rounds") && e.getMessage().contains("0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MelConsistencyRefiner(MelRecipe.wavegrad(SR), 5, 1.0));
        assertTrue(e.getMessage().contains("momentum") && e.getMessage().contains("1.0"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> refiner.refine(Arrays.copyOf(m, 80), x));
        assertTrue(e.getMessage().contains("compressedMel") && e.getMessage().contains("128") && e.getMessage().contains("80"),
                e.getMessage());

        float[][] ragged = m.clone();
        ragged[7] = Arrays.copyOf(m[7], m[7].length - 1);
        e = assertThrows(IllegalArgumentException.class, () -> refiner.refine(ragged, x));
        assertTrue(e.getMessage().contains("compressedMel[7]"), e.getMessage());

        float[][] outOfRange = m.clone();
        outOfRange[3] = m[3].clone();
        outOfRange[3][2] = Float.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> refiner.refine(outOfRange, x));
        assertTrue(e.getMessage().contains("compressedMel[3][2]") && e.getMessage().contains("NaN"), e.getMessage());

        // 11 mel frames need 11 STFT frames: 10·hop samples give exactly that, 9·hop give 10
        e = assertThrows(IllegalArgumentException.class, () -> refiner.refine(m, Arrays.copyOf(x, HOP * 9)));
        assertTrue(e.getMessage().contains("audio") && e.getMessage().contains("11") && e.getMessage().contains(String.valueOf(HOP * 9)),
                e.getMessage());

        float[] bad = x.clone();
        bad[100] = Float.POSITIVE_INFINITY;
        e = assertThrows(IllegalArgumentException.class, () -> refiner.refine(m, bad));
        assertTrue(e.getMessage().contains("audio[100]"), e.getMessage());
    }
}
