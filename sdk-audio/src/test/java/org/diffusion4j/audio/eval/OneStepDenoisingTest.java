package org.diffusion4j.audio.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.diffusion4j.audio.data.VocoderDataset;
import org.diffusion4j.audio.prior.MelEnergyPrior;
import org.junit.jupiter.api.Test;

class OneStepDenoisingTest {

    /** A 2-frame clip at hop 4: a sine of amplitude 0.5, and a dummy 3-band mel. */
    private static List<VocoderDataset.Item> clip() {
        float[] y = new float[8];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) (0.5 * Math.sin(0.7 * i + 0.3));
        }
        return List.of(new VocoderDataset.Item("sine", y, new float[3][2]));
    }

    @Test
    void aPredictorOfZeroNoiseLeavesTheInputAndOneOfAllNoiseGivesZeroDecibels() {
        try (NDManager m = NDManager.newBaseManager()) {
            double[] levels = {0.5, 0.99};
            // ε̂ = 0: ŷ₀ = y/l, so the estimate's SNR is the input's and the loss is mean |ε| (≈ 0.8 for N(0,1))
            for (OneStepDenoising.Row r : OneStepDenoising.measure((x, l, mel) -> x.zerosLike(), clip(), 4, levels, 5, m)) {
                assertEquals(r.inputSnrDb(), r.estimateSnrDb(), 1e-9, "level " + r.level());
                assertTrue(r.noiseL1() > 0.2 && r.noiseL1() < 2, "mean |eps| of 8 normals: " + r.noiseL1());
            }
            // ε̂ = y/σ: ŷ₀ = (y − y)/l = 0, whose error is y₀ itself: 0 dB exactly
            for (OneStepDenoising.Row r : OneStepDenoising.measure(
                    (x, l, mel) -> x.div(Math.sqrt(1 - l.getFloat(0) * l.getFloat(0))), clip(), 4, levels, 5, m)) {
                assertEquals(0.0, r.estimateSnrDb(), 1e-4, "level " + r.level());
            }
        }
    }

    @Test
    void theInputSnrIsTheSignalToRescaledNoiseRatio() {
        // y/l − y₀ = (σ/l)·ε, so the input SNR is Σy₀²/((σ/l)²·Σε²): check it with ε recovered from ε̂ = ε exactly,
        // whose estimate is then perfect (infinite SNR) and whose loss is 0
        try (NDManager m = NDManager.newBaseManager()) {
            List<VocoderDataset.Item> clip = clip();
            float[] y0 = clip.get(0).audio();
            double l = 0.8;
            double sigma = 0.6;
            OneStepDenoising.NoisePredictor exact = (x, level, mel) -> x.sub(m.create(y0).reshape(1, 8).mul(l)).div(sigma);
            OneStepDenoising.Row r = OneStepDenoising.measure(exact, clip, 4, new double[] {l}, 9, m).get(0);
            assertEquals(0.0, r.noiseL1(), 1e-5);
            assertTrue(r.estimateSnrDb() > 80, "a perfect ε̂ gives ŷ₀ = y₀ up to float rounding: " + r.estimateSnrDb());
            java.util.Random rng = new java.util.Random(9);
            double signal = 0;
            double noise = 0;
            for (float v : y0) {
                double e = rng.nextGaussian();
                signal += v * v;
                noise += (sigma / l) * (sigma / l) * e * e;
            }
            assertEquals(10 * Math.log10(signal / noise), r.inputSnrDb(), 1e-4);
        }
    }

    /**
     * With a PriorGrad prior the network's target is s⊙ε: an oracle that returns it has zero loss and a perfect
     * estimate, and a predictor of zero has the loss mean |ε| (whitened), not mean |s⊙ε|.
     */
    @Test
    void withAPriorTheNoiseIsShapedAndTheLossWhitened() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[][] mel = {{0.2f, 0.9f}, {0.5f, 0.7f}, {0.1f, 0.8f}};
            float[] y0 = {0.1f, -0.2f, 0.3f, 0.05f, -0.4f, 0.2f, 0.1f, 0.0f};
            List<VocoderDataset.Item> clip = List.of(new VocoderDataset.Item("two-frames", y0, mel));
            MelEnergyPrior prior = new MelEnergyPrior(0.01, 0.5, 0.1, 20, 100);
            float[] s = prior.std(mel, 4);
            assertTrue(Math.abs(s[0] - s[4]) > 0.1, "precondition: the two frames get different s");
            double l = 0.8;
            double sigma = 0.6;
            OneStepDenoising.NoisePredictor oracle = (x, level, c) -> x.sub(m.create(y0).reshape(1, 8).mul(l)).div(sigma);
            OneStepDenoising.Row exact = OneStepDenoising.measure(oracle, prior, clip, 4, new double[] {l}, 9, m).get(0);
            assertEquals(0.0, exact.noiseL1(), 1e-5);
            assertTrue(exact.estimateSnrDb() > 80, "perfect ε̂: " + exact.estimateSnrDb());
            OneStepDenoising.Row zero = OneStepDenoising.measure((x, level, c) -> x.zerosLike(), prior, clip, 4,
                    new double[] {l}, 9, m).get(0);
            java.util.Random rng = new java.util.Random(9);
            double meanAbs = 0;
            double inputNoise = 0;
            double signal = 0;
            for (int i = 0; i < 8; i++) {
                double e = rng.nextGaussian();
                meanAbs += Math.abs(e) / 8;
                inputNoise += Math.pow(sigma / l * s[i] * e, 2);
                signal += y0[i] * y0[i];
            }
            assertEquals(meanAbs, zero.noiseL1(), 1e-5);
            assertEquals(10 * Math.log10(signal / inputNoise), zero.inputSnrDb(), 1e-4);
        }
    }

    @Test
    void levelsOutsideTheOpenUnitIntervalAreRefused() {
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> OneStepDenoising.measure((x, l, mel) -> x, clip(), 4, new double[] {1.0}, 0, m));
            assertTrue(e.getMessage().startsWith("levels: expected values in (0, 1), got 1.0"), e.getMessage());
        }
    }
}
