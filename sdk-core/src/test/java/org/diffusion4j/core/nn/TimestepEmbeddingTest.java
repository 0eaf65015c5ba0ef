package org.diffusion4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import java.util.List;

class TimestepEmbeddingTest {

    @Property(tries = 30)
    void matchesClosedForm(
            @ForAll @Size(min = 1, max = 4) List<@LongRange(min = 0, max = 999) Long> steps,
            @ForAll @IntRange(min = 2, max = 33) int dim) {
        long[] t = steps.stream().mapToLong(Long::longValue).toArray();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray emb = TimestepEmbedding.sinusoidal(m.create(t), dim);
            assertEquals(new Shape(t.length, dim), emb.getShape());
            float[] got = emb.toFloatArray();
            int half = dim / 2;
            for (int b = 0; b < t.length; b++) {
                for (int j = 0; j < dim; j++) {
                    double want;
                    if (j < half) {
                        want = Math.cos(t[b] * Math.pow(10_000.0, -(double) j / half));
                    } else if (j < 2 * half) {
                        want = Math.sin(t[b] * Math.pow(10_000.0, -(double) (j - half) / half));
                    } else {
                        want = 0; // odd dim: zero padding column
                    }
                    // float32 argument t·f up to ~1000 rad: absolute error ~1e-4
                    assertEquals(want, got[b * dim + j], 3e-4, "t=" + t[b] + " column " + j);
                }
            }
        }
    }

    @Property(tries = 1)
    void cosineComesFirst() {
        try (NDManager m = NDManager.newBaseManager()) {
            // at t = 0 cos = 1 and sin = 0: the first half must be ones
            float[] e = TimestepEmbedding.sinusoidal(m.create(new long[] {0}), 8).toFloatArray();
            assertEquals(List.of(1f, 1f, 1f, 1f, 0f, 0f, 0f, 0f),
                    List.of(e[0], e[1], e[2], e[3], e[4], e[5], e[6], e[7]));
        }
    }

    @Property(tries = 1)
    void rejectsBadArguments() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThrows(IllegalArgumentException.class, () -> TimestepEmbedding.sinusoidal(m.create(new long[] {1}), 0));
            assertThrows(IllegalArgumentException.class,
                    () -> TimestepEmbedding.sinusoidal(m.zeros(new Shape(2, 2)), 4));
        }
    }
}
