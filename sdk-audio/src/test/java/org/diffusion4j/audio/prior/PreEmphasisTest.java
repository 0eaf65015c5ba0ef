package org.diffusion4j.audio.prior;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PreEmphasisTest {

    @Test
    void applyIsTheFirstDifferenceWithCoefficientAlpha() {
        PreEmphasis p = new PreEmphasis(0.5);
        assertArrayEquals(new float[] {1f, 1.5f, -2f, 1.5f}, p.apply(new float[] {1f, 2f, -1f, 1f}), 0f);
        assertArrayEquals(new float[] {1f, 2f, -1f, 1f}, p.invert(new float[] {1f, 1.5f, -2f, 1.5f}), 0f);
        float[] x = {0.3f, -0.2f};
        assertArrayEquals(x, new PreEmphasis(0).apply(x), 0f);
    }

    /**
     * A sinusoid of angular frequency ω comes out scaled by |1 − α·e^{−iω}| once past the first sample: +16.5 dB
     * lower at 0 Hz for α = 0.85 (|1 − α| = 0.15), 5.4 dB higher at the Nyquist frequency (1 + α = 1.85).
     */
    @Test
    void theGainAtEachFrequencyIsTheFiltersMagnitudeResponse() {
        double alpha = 0.85;
        PreEmphasis p = new PreEmphasis(alpha);
        for (double omega : new double[] {0.05, 0.4, 1.3, 2.9}) {
            float[] x = new float[4000];
            for (int n = 0; n < x.length; n++) {
                x[n] = (float) Math.sin(omega * n);
            }
            float[] y = p.apply(x);
            double in = 0;
            double out = 0;
            for (int n = 1000; n < 4000; n++) {
                in += x[n] * x[n];
                out += y[n] * y[n];
            }
            double expected = Math.sqrt(1 - 2 * alpha * Math.cos(omega) + alpha * alpha);
            assertEquals(expected, Math.sqrt(out / in), 2e-3 * expected, "omega " + omega);
        }
    }

    @Property(tries = 30)
    void invertUndoesApply(@ForAll @DoubleRange(min = 0, max = 0.99) double alpha,
                           @ForAll @IntRange(min = 1, max = 500) int n, @ForAll long seed) {
        Random rng = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rng.nextGaussian() * 0.3f;
        }
        PreEmphasis p = new PreEmphasis(alpha);
        float[] back = p.invert(p.apply(x));
        for (int i = 0; i < n; i++) {
            // float rounding of y' (1e-7 relative) accumulates through the IIR with gain at most 1/(1 − α)
            assertEquals(x[i], back[i], 1e-5 / (1 - alpha), "sample " + i);
        }
    }

    /** The batched form filters each row on its own, from a zero state, as the per-signal form does. */
    @Property(tries = 15)
    void theBatchedFormMatchesThePerSignalFormRowByRow(@ForAll @IntRange(min = 1, max = 4) int rows,
                                                       @ForAll @IntRange(min = 1, max = 40) int t, @ForAll long seed) {
        Random rng = new Random(seed);
        float[] flat = new float[rows * t];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = (float) rng.nextGaussian();
        }
        PreEmphasis p = new PreEmphasis(0.85);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray out = p.apply(m.create(flat, new Shape(rows, t)));
            assertEquals(new Shape(rows, t), out.getShape());
            float[] got = out.toFloatArray();
            for (int r = 0; r < rows; r++) {
                float[] row = new float[t];
                System.arraycopy(flat, r * t, row, 0, t);
                float[] expected = p.apply(row);
                for (int i = 0; i < t; i++) {
                    assertEquals(expected[i], got[r * t + i], 1e-6f, "row " + r + " sample " + i);
                }
            }
            float[] one = new float[t];
            System.arraycopy(flat, 0, one, 0, t);
            assertArrayEquals(p.apply(one), p.apply(m.create(one)).toFloatArray(), 1e-6f, "a 1-D signal");
        }
    }

    @Test
    void alphaOutsideTheUnitIntervalIsRefused() {
        for (double a : new double[] {-0.1, 1, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PreEmphasis(a));
            assertTrue(e.getMessage().startsWith("alpha: expected a value in [0, 1)"), e.getMessage());
        }
    }
}
