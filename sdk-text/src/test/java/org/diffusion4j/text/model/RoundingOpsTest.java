package org.diffusion4j.text.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.diffusion4j.core.random.NoiseSource;

class RoundingOpsTest {

    @Property(tries = 30)
    void nearestMatchesABruteForceSearch(@ForAll @IntRange(min = 1, max = 30) int vocab, @ForAll @IntRange(min = 1, max = 6) int d,
            @ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 1, max = 5) int length,
            @ForAll long seed) {
        NoiseSource noise = NoiseSource.seeded(seed);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray e = noise.normal(m, new Shape(vocab, d), DataType.FLOAT32);
            NDArray x = noise.normal(m, new Shape(batch, length, d), DataType.FLOAT32).mul(1.5);
            RoundingOps.Rounded r = RoundingOps.nearest(x, e);
            float[] ev = e.toFloatArray();
            float[] xv = x.toFloatArray();
            long[] ids = r.ids().toLongArray();
            float[] clamped = r.embeddings().toFloatArray();
            for (int p = 0; p < batch * length; p++) {
                double best = Double.MAX_VALUE;
                for (int v = 0; v < vocab; v++) {
                    double dist = 0;
                    for (int k = 0; k < d; k++) {
                        double diff = xv[p * d + k] - ev[v * d + k];
                        dist += diff * diff;
                    }
                    best = Math.min(best, dist);
                }
                // the chosen row is a nearest one (up to float rounding of the expanded distance)
                double chosen = 0;
                for (int k = 0; k < d; k++) {
                    double diff = xv[p * d + k] - ev[(int) ids[p] * d + k];
                    chosen += diff * diff;
                    assertEquals(ev[(int) ids[p] * d + k], clamped[p * d + k], 0f);
                }
                assertEquals(best, chosen, 1e-4 * (1 + best));
            }
        }
    }
}
