package org.diffusion4j.core.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.diffusion4j.core.random.NoiseSource;
import org.junit.jupiter.api.Test;

class LossSecondMomentResamplerTest {

    @Test
    void uniformUntilEveryTimestepHasAFullHistory() {
        LossSecondMomentResampler r = new LossSecondMomentResampler(3, 2, 0.001);
        r.update(new long[] {0, 0, 1, 1, 2}, new double[] {1, 1, 1, 1, 1});
        assertFalse(r.warmedUp());
        assertArrayEquals(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3}, r.probabilities(), 1e-15);
    }

    @Test
    void probabilitiesFollowTheRootMeanSquareOfTheLastLosses() {
        double u = 0.01;
        LossSecondMomentResampler r = new LossSecondMomentResampler(3, 2, u);
        // t=0 sees 5 (dropped as oldest), then 3 and 4; t=1 sees 1, 1; t=2 sees 0, 2.
        r.update(new long[] {0, 0, 0, 1, 1, 2, 2}, new double[] {5, 3, 4, 1, 1, 0, 2});
        assertTrue(r.warmedUp());
        double[] rms = {Math.sqrt((9 + 16) / 2.0), 1.0, Math.sqrt(4 / 2.0)};
        double sum = rms[0] + rms[1] + rms[2];
        double[] expected = new double[3];
        for (int t = 0; t < 3; t++) {
            expected[t] = rms[t] / sum * (1 - u) + u / 3;
        }
        assertArrayEquals(expected, r.probabilities(), 1e-12);
        TimestepSampler.Draw d = r.sample(1000, NoiseSource.seeded(1));
        int[] counts = new int[3];
        for (int i = 0; i < 1000; i++) {
            int t = (int) d.timesteps()[i];
            counts[t]++;
            assertEquals(1.0 / (3 * expected[t]), d.weights()[i], 1e-12, "weight 1/(T p)");
        }
        for (int t = 0; t < 3; t++) {
            // Binomial(1000, p): 5 standard deviations.
            double sd = Math.sqrt(1000 * expected[t] * (1 - expected[t]));
            assertEquals(1000 * expected[t], counts[t], 5 * sd, "count of t=" + t);
        }
    }

    @Test
    void stateRoundTripsAndBadInputIsRefused() {
        LossSecondMomentResampler r = new LossSecondMomentResampler(4, 3, 0.001);
        r.update(new long[] {0, 1, 3}, new double[] {0.5, 0.25, 2});
        LossSecondMomentResampler copy = new LossSecondMomentResampler(4, 3, 0.001);
        copy.restore(r.state());
        assertArrayEquals(r.state().losses(), copy.state().losses());
        assertArrayEquals(r.state().counts(), copy.state().counts());
        assertThrows(IllegalArgumentException.class, () -> new LossSecondMomentResampler(5, 3, 0.001).restore(r.state()));
        assertThrows(IllegalArgumentException.class, () -> r.update(new long[] {4}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> r.update(new long[] {0}, new double[] {1, 2}));
    }
}
