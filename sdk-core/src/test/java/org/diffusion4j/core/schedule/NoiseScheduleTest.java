package org.diffusion4j.core.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class NoiseScheduleTest {

    /** ᾱ computed here by the definition Π(1 − β), independently of the class. */
    private static double[] cumprod(double[] betas) {
        double[] out = new double[betas.length];
        double p = 1;
        for (int i = 0; i < betas.length; i++) {
            p *= 1 - betas[i];
            out[i] = p;
        }
        return out;
    }

    private static void assertStrictlyDecreasingInUnitInterval(NoiseSchedule s) {
        double[] abar = s.alphasCumprod();
        for (int t = 0; t < abar.length; t++) {
            assertTrue(abar[t] > 0 && abar[t] < 1, "abar[" + t + "] = " + abar[t]);
            if (t > 0) {
                assertTrue(abar[t] < abar[t - 1], "abar not decreasing at " + t);
            }
        }
    }

    @Property(tries = 60)
    void everyFactoryGivesStrictlyDecreasingAlphaBar(@ForAll @IntRange(min = 1, max = 4000) int t) {
        assertStrictlyDecreasingInUnitInterval(NoiseSchedule.cosine(t));
        assertStrictlyDecreasingInUnitInterval(NoiseSchedule.sqrt(t));
        if (t > 20) {
            assertStrictlyDecreasingInUnitInterval(NoiseSchedule.linear(t));
        }
    }

    @Test
    void linearMatchesHoEtAlAtThousandSteps() {
        double[] b = NoiseSchedule.linear(1000).betas();
        assertEquals(1e-4, b[0], 1e-15);
        assertEquals(0.02, b[999], 1e-15);
        assertEquals(1e-4 + (0.02 - 1e-4) * 500 / 999.0, b[500], 1e-15);
        // Scaled by 1000/T: T = 4000 starts at 2.5e-5 and ends at 5e-3.
        double[] b4 = NoiseSchedule.linear(4000).betas();
        assertEquals(2.5e-5, b4[0], 1e-15);
        assertEquals(5e-3, b4[3999], 1e-15);
    }

    @Test
    void cosineAndSqrtFollowTheirAlphaBarFunctions() {
        int t = 500;
        double[] abar = NoiseSchedule.cosine(t).alphasCumprod();
        double f0 = Math.pow(Math.cos(0.008 / 1.008 * Math.PI / 2), 2);
        for (int i : new int[] {0, 100, 250, 400}) {
            double expected = Math.pow(Math.cos(((i + 1.0) / t + 0.008) / 1.008 * Math.PI / 2), 2) / f0;
            assertEquals(expected, abar[i], 1e-12);
        }
        double[] sq = NoiseSchedule.sqrt(2000).alphasCumprod();
        double g0 = 1 - Math.sqrt(1e-4);
        for (int i : new int[] {0, 10, 1000, 1500}) {
            assertEquals((1 - Math.sqrt((i + 1.0) / 2000 + 1e-4)) / g0, sq[i], 1e-12);
        }
    }

    @Property(tries = 40)
    void posteriorTablesEqualClosedForms(@ForAll @IntRange(min = 2, max = 1500) int t) {
        NoiseSchedule s = NoiseSchedule.cosine(t);
        double[] b = s.betas();
        double[] abar = cumprod(b);
        double[] var = s.posteriorVariance();
        double[] logVar = s.posteriorLogVarianceClipped();
        double[] c1 = s.posteriorMeanCoef1();
        double[] c2 = s.posteriorMeanCoef2();
        assertArrayEquals(abar, s.alphasCumprod(), 1e-12);
        for (int i = 0; i < t; i++) {
            double prev = i == 0 ? 1.0 : abar[i - 1];
            double expVar = b[i] * (1 - prev) / (1 - abar[i]);
            assertEquals(expVar, var[i], 1e-12 * Math.max(1, expVar));
            assertEquals(b[i] * Math.sqrt(prev) / (1 - abar[i]), c1[i], 1e-9);
            assertEquals((1 - prev) * Math.sqrt(1 - b[i]) / (1 - abar[i]), c2[i], 1e-9);
            double expLog = Math.log(i == 0 ? b[1] * (1 - abar[0]) / (1 - abar[1]) : expVar);
            assertEquals(expLog, logVar[i], 1e-9);
            assertEquals(i == 0 ? 1.0 : abar[i - 1], s.alphasCumprodPrev()[i], 0);
            assertEquals(i == t - 1 ? 0.0 : abar[i + 1], s.alphasCumprodNext()[i], 0);
            assertEquals(abar[i] / (1 - abar[i]), s.snr()[i], 1e-9 * Math.max(1, s.snr()[i]));
        }
        assertEquals(0.0, var[0], 0.0);
    }

    @Property(tries = 60)
    void respacedScheduleReproducesAlphaBarAtKeptSteps(@ForAll @IntRange(min = 30, max = 1200) int t,
                                                        @ForAll @IntRange(min = 1, max = 30) int steps) {
        NoiseSchedule base = NoiseSchedule.linear(t);
        NoiseSchedule spaced = base.respace(Integer.toString(steps));
        assertEquals(steps, spaced.numTimesteps());
        int[] map = spaced.timestepMap();
        double[] abar = base.alphasCumprod();
        double[] spacedAbar = spaced.alphasCumprod();
        for (int i = 0; i < map.length; i++) {
            assertEquals(abar[map[i]], spacedAbar[i], 1e-12);
            if (i > 0) {
                assertTrue(map[i] > map[i - 1]);
            }
        }
        assertEquals(0, map[0]);
        assertEquals(steps == 1 ? 0 : t - 1, map[map.length - 1]);
    }

    @Test
    void sectionCountsFollowImprovedDiffusion() {
        // T = 100, one section of 4: stride 99/3 = 33 -> 0, 33, 66, 99.
        assertArrayEquals(new int[] {0, 33, 66, 99}, NoiseSchedule.linear(100).respace("4").timestepMap());
        // T = 300 in two sections of 150: "2,3" -> [0, 149] and 150 + [0, round(74.5) = 74 (half to even), 149].
        assertArrayEquals(new int[] {0, 149, 150, 224, 299},
                NoiseSchedule.linear(300).respace("2,3").timestepMap());
        // T = 1000, "ddim25": stride 40.
        int[] ddim = NoiseSchedule.linear(1000).respace("ddim25").timestepMap();
        assertEquals(25, ddim.length);
        assertEquals(40, ddim[1]);
        assertEquals(960, ddim[24]);
        // Python's round() rounds 2.5 to 2: T = 6, "3" strides 2.5 -> 0, round(2.5) = 2, 5.
        assertArrayEquals(new int[] {0, 2, 5}, NoiseSchedule.cosine(6).respace("3").timestepMap());
    }

    @Test
    void respacingARespacedScheduleComposesTheMap() {
        NoiseSchedule base = NoiseSchedule.cosine(1000);
        NoiseSchedule once = base.respace("100");
        NoiseSchedule twice = once.respace(new int[] {0, 50, 99});
        int[] m1 = once.timestepMap();
        assertArrayEquals(new int[] {m1[0], m1[50], m1[99]}, twice.timestepMap());
        assertEquals(base.alphasCumprod()[m1[50]], twice.alphasCumprod()[1], 1e-12);
        assertFalse(twice.isIdentityMap());
    }

    @Test
    void zeroTerminalSnrKeepsFirstStepAndZeroesTheLast() {
        NoiseSchedule base = NoiseSchedule.linear(1000);
        NoiseSchedule z = base.rescaleZeroTerminalSnr();
        double[] abar = z.alphasCumprod();
        assertEquals(0.0, abar[999], 1e-15);
        assertEquals(base.alphasCumprod()[0], abar[0], 1e-12);
        // √ᾱ is an affine map of the original √ᾱ (Lin et al. Algorithm 1).
        double[] a = base.alphasCumprod();
        double s0 = Math.sqrt(a[0]);
        double sT = Math.sqrt(a[999]);
        double expected = (Math.sqrt(a[500]) - sT) * s0 / (s0 - sT);
        assertEquals(expected, Math.sqrt(abar[500]), 1e-12);
        assertEquals(1.0, z.betas()[999], 0.0);
    }

    @Test
    void badInputIsRefusedWithTheArgumentNamed() {
        assertMessage(() -> NoiseSchedule.linear(0), "numTimesteps");
        assertMessage(() -> NoiseSchedule.linear(20), "betas[19]");
        assertMessage(() -> NoiseSchedule.fromBetas(new double[] {0.1, Double.NaN}), "betas[1]");
        assertMessage(() -> NoiseSchedule.fromBetas(new double[] {0.0}), "betas[0]");
        assertMessage(() -> NoiseSchedule.fromBetas(new double[] {0.5, 1.0}), "betas[1]");
        assertMessage(() -> NoiseSchedule.fromBetas(new double[0]), "betas");
        NoiseSchedule s = NoiseSchedule.linear(100);
        assertMessage(() -> s.respace("fifty"), "spec");
        assertMessage(() -> s.respace("101"), "spec");
        // ceil(100 / stride) jumps from 50 to 34: no integer stride gives 40 steps.
        assertMessage(() -> s.respace("ddim40"), "spec");
        assertMessage(() -> s.respace(new int[] {5, 100}), "keptTimesteps");
        assertMessage(() -> s.respace(new int[] {5, 5}), "keptTimesteps");
        assertMessage(() -> NoiseSchedule.fromAlphaBar(x -> 1 - x, 10, 1.5), "maxBeta");
    }

    private static void assertMessage(Runnable r, String argument) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(argument), "message '" + e.getMessage() + "' should name " + argument);
    }
}
