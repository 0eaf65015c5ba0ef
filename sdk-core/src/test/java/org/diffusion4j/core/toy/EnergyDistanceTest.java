package org.diffusion4j.core.toy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.Size;
import org.diffusion4j.core.random.NoiseSource;
import org.junit.jupiter.api.Test;

class EnergyDistanceTest {

    /** Two point masses at distance c: E = 2c − 0 − 0. */
    @Test
    void pointMassesGiveTwiceTheirDistance() {
        assertEquals(10.0, EnergyDistance.between(new float[] {0, 0}, new float[] {3, 4}, 2), 1e-12);
    }

    @Property(tries = 50)
    void zeroOnItselfSymmetricAndNonNegative(@ForAll @Size(min = 2, max = 40) float[] a,
                                             @ForAll @Size(min = 2, max = 40) float[] b,
                                             @ForAll @FloatRange(min = -3, max = 3) float shift) {
        float[] x = finiteEven(a);
        float[] y = finiteEven(b);
        assertEquals(0.0, EnergyDistance.between(x, x, 2), 1e-9);
        double xy = EnergyDistance.between(x, y, 2);
        assertEquals(xy, EnergyDistance.between(y, x, 2), 1e-9 * (1 + xy));
        assertTrue(xy >= 0);
    }

    private static float[] finiteEven(float[] v) {
        float[] out = new float[v.length - v.length % 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = Float.isFinite(v[i]) ? Math.max(-1e3f, Math.min(1e3f, v[i])) : 0f;
        }
        return out;
    }

    @Test
    void separatesDistributionsAndSeedsReproduce() {
        float[] moons1 = ToyDistribution.MOONS.sample(500, NoiseSource.seeded(1));
        float[] moons2 = ToyDistribution.MOONS.sample(500, NoiseSource.seeded(2));
        float[] gauss = ToyDistribution.GAUSSIANS.sample(500, NoiseSource.seeded(3));
        assertArrayEquals(moons1, ToyDistribution.MOONS.sample(500, NoiseSource.seeded(1)));
        double same = EnergyDistance.between(moons1, moons2, 2);
        double other = EnergyDistance.between(moons1, gauss, 2);
        assertTrue(other > 10 * same, "two moon samples " + same + " vs moons and 8 Gaussians " + other);
    }

    @Test
    void eightGaussiansSitOnTheCircleOfRadiusTwo() {
        float[] p = ToyDistribution.GAUSSIANS.sample(4000, NoiseSource.seeded(5));
        double meanRadius = 0;
        for (int i = 0; i < 4000; i++) {
            meanRadius += Math.hypot(p[2 * i], p[2 * i + 1]);
        }
        meanRadius /= 4000;
        // E|N(2, 0.1²)| radial ≈ 2 + σ²/(2·2) = 2.0025; 4000 points: standard error ≈ 0.0016.
        assertEquals(2.0025, meanRadius, 0.01);
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> EnergyDistance.between(new float[] {1, 2, 3}, new float[] {1, 2}, 2));
        assertThrows(IllegalArgumentException.class, () -> EnergyDistance.between(new float[] {Float.NaN, 0}, new float[] {1, 2}, 2));
        assertThrows(IllegalArgumentException.class, () -> ToyDistribution.fromName("circles"));
        assertEquals(ToyDistribution.SWISS_ROLL, ToyDistribution.fromName("SwissRoll"));
    }
}
