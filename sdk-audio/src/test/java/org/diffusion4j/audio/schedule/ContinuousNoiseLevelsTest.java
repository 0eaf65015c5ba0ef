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
}
