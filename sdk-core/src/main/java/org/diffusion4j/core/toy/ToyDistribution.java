package org.diffusion4j.core.toy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;
import java.util.Objects;
import org.diffusion4j.core.memory.NativeArrays;
import org.diffusion4j.core.random.NoiseSource;

/**
 * Two-dimensional toy distributions for diffusion demos and tests, each drawn from a {@link NoiseSource} so a seed
 * fixes the data set. Points are returned row-major as [n, 2] and scaled to roughly [−2.5, 2.5]², a range where a
 * unit-variance diffusion prior covers the data.
 */
public enum ToyDistribution {

    /**
     * scikit-learn's {@code make_moons}: the upper half circle (cos θ, sin θ) and the lower one (1 − cos θ,
     * 1/2 − sin θ), θ ~ U[0, π], each half of the points, plus N(0, 0.05²) noise per coordinate; then centred at
     * (0.5, 0.25) and scaled by 1.5.
     */
    MOONS("moons") {
        @Override
        void draw(float[] out, int n, NoiseSource noise) {
            for (int i = 0; i < n; i++) {
                double theta = Math.PI * noise.nextDouble();
                boolean upper = i % 2 == 0;
                double x = upper ? Math.cos(theta) : 1.0 - Math.cos(theta);
                double y = upper ? Math.sin(theta) : 0.5 - Math.sin(theta);
                x += 0.05 * noise.nextGaussian();
                y += 0.05 * noise.nextGaussian();
                out[2 * i] = (float) ((x - 0.5) * 1.5);
                out[2 * i + 1] = (float) ((y - 0.25) * 1.5);
            }
        }
    },

    /**
     * The 2-D swiss roll of scikit-learn's {@code make_swiss_roll} (the x–z plane): u = 1.5π(1 + 2U), U ~ U[0, 1],
     * point (u cos u, u sin u) plus N(0, 0.25²) noise, scaled by 1/6 (u ≤ 4.5π, so the radius stays below 2.4).
     */
    SWISS_ROLL("swissroll") {
        @Override
        void draw(float[] out, int n, NoiseSource noise) {
            for (int i = 0; i < n; i++) {
                double u = 1.5 * Math.PI * (1.0 + 2.0 * noise.nextDouble());
                double x = u * Math.cos(u) + 0.25 * noise.nextGaussian();
                double y = u * Math.sin(u) + 0.25 * noise.nextGaussian();
                out[2 * i] = (float) (x / 6.0);
                out[2 * i + 1] = (float) (y / 6.0);
            }
        }
    },

    /** Eight isotropic Gaussians of standard deviation 0.1 centred on the circle of radius 2 at angles kπ/4. */
    GAUSSIANS("gaussians") {
        @Override
        void draw(float[] out, int n, NoiseSource noise) {
            for (int i = 0; i < n; i++) {
                double angle = noise.nextInt(8) * Math.PI / 4.0;
                out[2 * i] = (float) (2.0 * Math.cos(angle) + 0.1 * noise.nextGaussian());
                out[2 * i + 1] = (float) (2.0 * Math.sin(angle) + 0.1 * noise.nextGaussian());
            }
        }
    };

    private final String cliName;

    ToyDistribution(String cliName) {
        this.cliName = cliName;
    }

    abstract void draw(float[] out, int n, NoiseSource noise);

    /** The short name used on command lines: moons, swissroll, gaussians. */
    public String cliName() {
        return cliName;
    }

    /** Looks a distribution up by its {@link #cliName()} (case-insensitive). */
    public static ToyDistribution fromName(String name) {
        if (name != null) {
            for (ToyDistribution d : values()) {
                if (d.cliName.equals(name.trim().toLowerCase(Locale.ROOT))) {
                    return d;
                }
            }
        }
        throw new IllegalArgumentException("dataset: expected one of moons, swissroll, gaussians, got '" + name + "'");
    }

    /** n points, row-major [n, 2]. */
    public float[] sample(int n, NoiseSource noise) {
        if (n < 1) {
            throw new IllegalArgumentException("n: expected at least 1, got " + n);
        }
        if (n > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("n: expected at most " + Integer.MAX_VALUE / 2 + ", got " + n);
        }
        Objects.requireNonNull(noise, "noise");
        float[] out = new float[2 * n];
        draw(out, n, noise);
        return out;
    }

    /** n points as a float32 [n, 2] array in {@code manager}. */
    public NDArray sample(NDManager manager, int n, NoiseSource noise) {
        return NativeArrays.copyOf(manager, sample(n, noise), new Shape(n, 2));
    }
}
