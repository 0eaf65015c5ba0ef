package org.diffusion4j.text.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.SplittableRandom;
import org.diffusion4j.core.memory.NativeArrays;
import org.diffusion4j.core.training.TrainingBatch;
import org.diffusion4j.core.training.TrainingData;

/**
 * Batches of encoded sentences for the trainer, addressed by step: epoch e = step / (N / B) visits the sentences
 * in a permutation seeded by (seed, e), the incomplete last batch of an epoch dropped. A batch therefore depends
 * only on (seed, step), which makes a resumed run see the batches of an uninterrupted one. Not thread-safe (it
 * caches the current epoch's permutation).
 */
public final class TokenBatches implements TrainingData {

    private final long[][] sequences;
    private final int batchSize;
    private final long seed;
    private final int batchesPerEpoch;
    private long cachedEpoch = -1;
    private int[] order;

    /**
     * @param sequences encoded sentences, each of the same length L (START ... END PAD...)
     * @param batchSize B, at most the number of sentences
     * @param seed      shuffling seed
     */
    public TokenBatches(List<long[]> sequences, int batchSize, long seed) {
        if (sequences == null || sequences.isEmpty()) {
            throw new IllegalArgumentException("sequences: expected at least one sentence, got none");
        }
        if (batchSize < 1 || batchSize > sequences.size()) {
            throw new IllegalArgumentException("batchSize: expected 1.." + sequences.size() + " (the number of sentences), got "
                    + batchSize);
        }
        int length = sequences.get(0).length;
        this.sequences = new long[sequences.size()][];
        for (int i = 0; i < sequences.size(); i++) {
            long[] s = sequences.get(i);
            if (s.length != length) {
                throw new IllegalArgumentException("sequences[" + i + "]: expected length " + length + ", got " + s.length);
            }
            this.sequences[i] = s.clone();
        }
        this.batchSize = batchSize;
        this.seed = seed;
        this.batchesPerEpoch = sequences.size() / batchSize;
    }

    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** The sentence indices of step {@code step}'s batch. */
    public int[] indices(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step: expected a value >= 0, got " + step);
        }
        long epoch = step / batchesPerEpoch;
        if (epoch != cachedEpoch) {
            order = permutation(sequences.length, new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch));
            cachedEpoch = epoch;
        }
        int offset = (int) (step % batchesPerEpoch) * batchSize;
        int[] out = new int[batchSize];
        System.arraycopy(order, offset, out, 0, batchSize);
        return out;
    }

    @Override
    public TrainingBatch batch(long step, NDManager stepManager) {
        int[] idx = indices(step);
        int length = sequences[0].length;
        long[] flat = new long[batchSize * length];
        for (int i = 0; i < batchSize; i++) {
            System.arraycopy(sequences[idx[i]], 0, flat, i * length, length);
        }
        return TrainingBatch.of(NativeArrays.copyOf(stepManager, flat, new Shape(batchSize, length)));
    }

    /** Fisher–Yates shuffle of 0..n−1. */
    private static int[] permutation(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }
}
