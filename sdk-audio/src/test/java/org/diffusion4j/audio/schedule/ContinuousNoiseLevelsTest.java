package org.diffusion4j.audio.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.diffusion4j.core.random.NoiseSource;
import org.junit.jupiter.api.Test;

class ContinuousNoiseLevelsTest {

    @Test
    void drawsAreUniformOverTheLevelSegments() {
        // two steps with β = 0.36 and 0.75: L = 1, 0.8, 0.4 → l is uniform on [0.8, 1] with probability ½ and
        // on [0.4, 0.8] with probability ½: mean ½·0.9 + ½·0.6 = 0.75, P(l < 0.6) = ½·½ = 0.25
        ContinuousNoiseLevels d = new ContinuousNoiseLevels(new InferenceSchedule("two", new double[] {0.36, 0.75}));
        assertEquals(0.8, d.levels()[1], 1e-12);
        assertEquals(0.4, d.levels()[2], 1e-12);
        NoiseSource rng = NoiseSource.seeded(1);
        int n = 200_000;
        double sum = 0;
        int below = 0;
        for (int i = 0; i < n; i++) {
            double l = d.sample(rng);
            assertTrue(l >= 0.4 && l <= 1.0, "level " + l);
            sum += l;
            if (l < 0.6) {
                below++;
            }
        }
        // standard errors: sd(l) ≈ 0.17 → 4e-4 on the mean; √(0.25·0.75/n) ≈ 1e-3 on the fraction; allow 5σ
        assertEquals(0.75, sum / n, 2e-3);
        assertEquals(0.25, below / (double) n, 5e-3);
    }

    @Test
    void theLowNoiseDrawIsLogUniformInTheNoiseVarianceAndMixesByItsFraction() {
        // β = 0.36, 0.75: ᾱ = 0.64, 0.16, noise variances 1 − ᾱ in [0.36, 0.84]. Log-uniform variance:
        // P(1 − l² < 0.6) = ln(0.6/0.36)/ln(0.84/0.36). lmnt's draw: P(l < 0.6) = 0.25 (test above), and l < 0.6
        // ⇔ 1 − l² > 0.64, which the log-uniform draw gives with 1 − ln(0.64/0.36)/ln(0.84/0.36).
        InferenceSchedule two = new InferenceSchedule("two", new double[] {0.36, 0.75});
        double logRange = Math.log(0.84 / 0.36);
        double pLogBelow06Variance = Math.log(0.6 / 0.36) / logRange;
        double pLogLevelBelow06 = 1 - Math.log(0.64 / 0.36) / logRange;
        int n = 200_000;
        for (double f : new double[] {1.0, 0.5}) {
            ContinuousNoiseLevels d = ContinuousNoiseLevels.of(two, f);
            assertEquals(f, d.lowNoiseFraction());
            NoiseSource rng = NoiseSource.seeded(3);
            int smallVariance = 0;
            int lowLevel = 0;
            for (int i = 0; i < n; i++) {
                double l = d.sample(rng);
                assertTrue(l >= 0.4 - 1e-12 && l <= 1.0, "level " + l);
                if (1 - l * l < 0.6) {
                    smallVariance++;
                }
                if (l < 0.6) {
                    lowLevel++;
                }
            }
            if (f == 1.0) {
                // every draw has l ≥ √(1 − 0.84) = 0.4 and l ≤ √(1 − 0.36) = 0.8: none from lmnt's [0.8, 1] segment
                assertEquals(pLogBelow06Variance, smallVariance / (double) n, 5e-3, "P(1 - l^2 < 0.6), f = 1");
            }
            // standard error ≤ √(0.25/n) ≈ 1.1e-3; 5e-3 is more than 4σ
            assertEquals(f * pLogLevelBelow06 + (1 - f) * 0.25, lowLevel / (double) n, 5e-3, "P(l < 0.6), f = " + f);
        }
    }

    @Test
    void fractionZeroIsLmntsDrawNumberForNumber() {
        InferenceSchedule train = InferenceSchedule.train1000();
        ContinuousNoiseLevels lmnt = new ContinuousNoiseLevels(train);
        ContinuousNoiseLevels zero = ContinuousNoiseLevels.of(train, 0);
        NoiseSource a = NoiseSource.seeded(11);
        NoiseSource b = NoiseSource.seeded(11);
        for (int i = 0; i < 1000; i++) {
            assertEquals(lmnt.sample(a), zero.sample(b), 0.0, "draw " + i);
        }
    }

    @Test
    void aFractionOutsideZeroToOneIsRefused() {
        for (double f : new double[] {-0.1, 1.5, Double.NaN}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> ContinuousNoiseLevels.of(InferenceSchedule.train1000(), f));
            assertTrue(e.getMessage().startsWith("lowNoiseFraction: expected a value in [0, 1], got"), e.getMessage());
        }
    }
}
