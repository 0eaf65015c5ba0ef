package org.diffusion4j.audio.prior;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.diffusion4j.audio.mel.MelRecipe;
import org.diffusion4j.audio.mel.MelSpectrogram;
import org.junit.jupiter.api.Test;

class MelEnergyPriorTest {

    private static final MelRecipe RECIPE = MelRecipe.wavegrad(22050);

    private static float[][] randomMel(Random rng, int bands, int frames) {
        float[][] mel = new float[bands][frames];
        for (float[] row : mel) {
            for (int f = 0; f < frames; f++) {
                row[f] = rng.nextFloat();
            }
        }
        return mel;
    }

    /** √(Σ_m M) with M from the mel front end's own inverse of its compression (MelSpectrogram.decompress). */
    private static double energy(float[][] mel, int f) {
        MelSpectrogram front = new MelSpectrogram(RECIPE);
        double sum = 0;
        for (float[] row : mel) {
            sum += front.decompress(row[f]);
        }
        return Math.sqrt(sum);
    }

    @Test
    void frameEnergyIsTheRootOfTheSummedLinearMelAndStdIsNormalisedAndFloored() {
        float[][] mel = randomMel(new Random(1), 128, 7);
        MelEnergyPrior prior = new MelEnergyPrior(0.5, 4.5, 0.1, RECIPE.refDb(), RECIPE.dbRange());
        double[] e = prior.frameEnergies(mel);
        for (int f = 0; f < 7; f++) {
            assertEquals(energy(mel, f), e[f], 1e-9 * energy(mel, f));
        }
        assertEquals(0.1, prior.std(0.2), 0);          // below E_min: the floor
        assertEquals(0.1, prior.std(0.9), 1e-15);       // (0.9 − 0.5)/4 = 0.1
        assertEquals(0.5, prior.std(2.5), 1e-15);
        assertEquals(1.0, prior.std(4.5), 1e-15);
        assertEquals(1.5, prior.std(6.5), 1e-15);       // louder than the training set: not capped

        // silence (every band at the compression floor c = 0): M = 10^((0 − 100 + 20)/20) = 1e-4 per band
        float[][] silent = new float[128][3];
        assertEquals(Math.sqrt(128 * 1e-4), prior.frameEnergies(silent)[1], 1e-12);
    }

    /** Sample i lies at i/hop frames; s there is the straight line between its two neighbouring frame centres. */
    @Test
    void perSampleStdInterpolatesBetweenFrameCentres() {
        float[][] mel = randomMel(new Random(2), 16, 5);
        MelEnergyPrior prior = MelEnergyPrior.fit(List.<float[][]>of(mel), RECIPE.withNMels(16), 0.2);
        float[] s = prior.std(mel, 3);
        assertEquals(15, s.length);
        for (int i = 0; i < 15; i++) {
            double position = i / 3.0;
            int left = (int) Math.floor(position);
            int right = Math.min(left + 1, 4);
            double a = prior.std(energy16(mel, left));
            double b = prior.std(energy16(mel, right));
            assertEquals((float) (a + (position - left) * (b - a)), s[i], 1e-6f, "sample " + i);
        }
        for (int f = 0; f < 5; f++) {
            assertEquals((float) prior.std(energy16(mel, f)), s[3 * f], 1e-6f, "frame " + f + " at its centre");
        }
        // the fitted extremes map to 1 and to the floor
        double max = 0;
        double min = 1;
        for (float v : s) {
            max = Math.max(max, v);
            min = Math.min(min, v);
        }
        assertEquals(1.0, max, 1e-6);
        assertEquals(0.2, min, 1e-6);
    }

    private static double energy16(float[][] mel, int f) {
        MelSpectrogram front = new MelSpectrogram(RECIPE.withNMels(16));
        double sum = 0;
        for (float[] row : mel) {
            sum += front.decompress(row[f]);
        }
        return Math.sqrt(sum);
    }

    /** The batched NDArray form gives the per-clip float form for every row, whatever the shapes. */
    @Property(tries = 15)
    void batchedStdMatchesThePerClipForm(@ForAll @IntRange(min = 1, max = 3) int batch,
                                         @ForAll @IntRange(min = 1, max = 6) int bands,
                                         @ForAll @IntRange(min = 1, max = 5) int frames,
                                         @ForAll @IntRange(min = 1, max = 4) int hop, @ForAll long seed) {
        Random rng = new Random(seed);
        MelEnergyPrior prior = new MelEnergyPrior(0.01, 0.3 * Math.sqrt(bands), 0.1, 20, 100);
        float[][][] mels = new float[batch][][];
        float[] flat = new float[batch * bands * frames];
        for (int b = 0; b < batch; b++) {
            mels[b] = randomMel(rng, bands, frames);
            for (int m = 0; m < bands; m++) {
                System.arraycopy(mels[b][m], 0, flat, (b * bands + m) * frames, frames);
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray mel = manager.create(flat, new Shape(batch, bands, frames));
            NDArray s = prior.std(mel, hop);
            assertEquals(new Shape(batch, (long) frames * hop), s.getShape());
            assertEquals(mel.getDataType(), s.getDataType());
            float[] got = s.toFloatArray();
            for (int b = 0; b < batch; b++) {
                float[] expected = prior.std(mels[b], hop);
                float[] row = new float[frames * hop];
                System.arraycopy(got, b * frames * hop, row, 0, row.length);
                assertArrayEquals(expected, row, 1e-5f * Math.max(1f, expected[0]));
            }
            assertArrayEquals(flat, mel.toFloatArray(), 0f, "the input mel is left as it was");
        }
    }

    @Test
    void fitTakesTheExtremesOverEveryFrameOfEveryClip() {
        float[][] a = randomMel(new Random(3), 8, 4);
        float[][] b = randomMel(new Random(4), 8, 6);
        MelRecipe recipe = RECIPE.withNMels(8);
        MelEnergyPrior prior = MelEnergyPrior.fit(List.of(a, b), recipe, 0.1);
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (float[][] mel : List.of(a, b)) {
            for (double e : prior.frameEnergies(mel)) {
                lo = Math.min(lo, e);
                hi = Math.max(hi, e);
            }
        }
        assertEquals(lo, prior.energyMin(), 0);
        assertEquals(hi, prior.energyMax(), 0);
        assertEquals(recipe.refDb(), prior.refDb(), 0);
        assertEquals(recipe.dbRange(), prior.dbRange(), 0);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MelEnergyPrior.fit(List.<float[][]>of(new float[8][3]), recipe, 0.1));
        assertTrue(e.getMessage().contains("frames of different energy"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MelEnergyPrior.fit(List.<float[][]>of(), recipe, 0.1));
        assertTrue(e.getMessage().contains("at least one frame"), e.getMessage());
    }

    @Test
    void propertiesRoundTripAndAbsentMeansNoPrior() {
        MelEnergyPrior prior = new MelEnergyPrior(0.113137084989848, 8.728640079498291, 0.1, 20, 100);
        Properties p = new Properties();
        prior.toProperties(p, "x.");
        assertEquals(prior, MelEnergyPrior.fromProperties(p, "x."));
        assertNull(MelEnergyPrior.fromProperties(new Properties(), "x."));
        p.setProperty("x.kind", "spectral");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MelEnergyPrior.fromProperties(p, "x."));
        assertTrue(e.getMessage().contains("expected mel-energy, got spectral"), e.getMessage());
        p.setProperty("x.kind", "mel-energy");
        p.remove("x.energyMax");
        e = assertThrows(IllegalArgumentException.class, () -> MelEnergyPrior.fromProperties(p, "x."));
        assertTrue(e.getMessage().contains("x.energyMax"), e.getMessage());
    }

    @Test
    void badArgumentsAreRefusedByName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new MelEnergyPrior(1, 1, 0.1, 20, 100))
                .getMessage().startsWith("energyMax"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new MelEnergyPrior(-1, 1, 0.1, 20, 100))
                .getMessage().startsWith("energyMin"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new MelEnergyPrior(0, 1, 0, 20, 100))
                .getMessage().startsWith("stdMin"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new MelEnergyPrior(0, 1, 1.5, 20, 100))
                .getMessage().startsWith("stdMin"));
        MelEnergyPrior prior = new MelEnergyPrior(0, 1, 0.1, 20, 100);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> prior.std(new float[2][3], 0))
                .getMessage().startsWith("hop"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> prior.frameEnergies(new float[][] {{0.1f, 0.2f}, {0.3f}}))
                .getMessage().contains("mel[1]: expected 2 frames"));
        try (NDManager m = NDManager.newBaseManager()) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> prior.std(m.zeros(new Shape(2, 3)), 2))
                    .getMessage().contains("[B, nMels, F]"));
        }
    }
}
