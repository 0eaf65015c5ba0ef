package org.diffusion4j.text.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.diffusion4j.core.training.TrainingBatch;
import org.junit.jupiter.api.Test;

class TokenBatchesTest {

    private static List<long[]> sequences(int n, int length) {
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long[] s = new long[length];
            Arrays.fill(s, i); // the sentence's index in every position identifies it
            out.add(s);
        }
        return out;
    }

    @Property(tries = 30)
    void everyEpochVisitsEachSentenceAtMostOnceAndDropsOnlyTheRemainder(@ForAll @IntRange(min = 1, max = 40) int n,
            @ForAll @IntRange(min = 1, max = 40) int b, @ForAll long seed) {
        if (b > n) {
            return;
        }
        TokenBatches data = new TokenBatches(sequences(n, 3), b, seed);
        int perEpoch = n / b;
        assertEquals(perEpoch, data.batchesPerEpoch());
        for (int epoch = 0; epoch < 2; epoch++) {
            boolean[] seen = new boolean[n];
            for (int s = 0; s < perEpoch; s++) {
                for (int i : data.indices((long) epoch * perEpoch + s)) {
                    assertEquals(false, seen[i], "sentence " + i + " twice in epoch " + epoch);
                    seen[i] = true;
                }
            }
            int count = 0;
            for (boolean x : seen) {
                count += x ? 1 : 0;
            }
            assertEquals(perEpoch * b, count);
        }
    }

    @Test
    void batchesDependOnlyOnSeedAndStepAndCarryTheSentences() {
        TokenBatches a = new TokenBatches(sequences(10, 4), 3, 7);
        TokenBatches b = new TokenBatches(sequences(10, 4), 3, 7);
        int[] late = a.indices(7);          // a jumps ahead first (a resumed run)
        for (long s = 0; s <= 7; s++) {
            b.indices(s);
        }
        assertArrayEquals(late, b.indices(7));
        try (NDManager m = NDManager.newBaseManager()) {
            TrainingBatch batch = a.batch(7, m);
            assertEquals(new ai.djl.ndarray.types.Shape(3, 4), batch.x0().getShape());
            long[] flat = batch.x0().toLongArray();
            for (int i = 0; i < 3; i++) {
                assertEquals(late[i], flat[i * 4 + 2]);
            }
        }
    }

    @Test
    void badInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new TokenBatches(List.of(), 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new TokenBatches(sequences(3, 2), 4, 0));
        assertThrows(IllegalArgumentException.class, () -> new TokenBatches(List.of(new long[2], new long[3]), 1, 0));
    }
}
