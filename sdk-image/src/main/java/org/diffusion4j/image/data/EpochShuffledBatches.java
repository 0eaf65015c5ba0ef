package org.diffusion4j.image.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;
import org.diffusion4j.core.memory.NativeArrays;
import org.diffusion4j.core.random.NoiseSource;
import org.diffusion4j.core.training.TrainingBatch;
import org.diffusion4j.core.training.TrainingData;

/**
 * Training batches addressed by step, for {@code DiffusionTrainer}: step s is batch s mod (n / B) of epoch
 * s / (n / B), whose order is a Fisher–Yates permutation drawn from a generator seeded with (seed, epoch).
 * Any step can therefore be rebuilt without replaying the earlier ones, which keeps a resumed run
 * identical to an uninterrupted one at O(B) cost (the trainer's {@code TrainingData.cycling} would replay
 * the whole iterable, and {@link ImageBatches} draws a new order on every pass).
 *
 * <p>x₀ is float32 [B, C, H, W] in [−1, 1] ({@code pixel/127.5 − 1}); the labels (when the images have
 * them, or when {@code labels} is true) are int64 [B] and form the conditioning. Horizontal flips, when
 * enabled, are drawn from a generator seeded with (seed, step).
 */
public final class EpochShuffledBatches implements TrainingData {

    private final LabeledImages images;
    private final int batchSize;
    private final long seed;
    private final boolean flip;
    private final boolean labels;
    private final int batchesPerEpoch;
    private long cachedEpoch = -1;
    private int[] cachedOrder;

    /**
     * @param images    the data set (at least {@code batchSize} images)
     * @param batchSize B
     * @param seed      seed of the orders and flips
     * @param flip      random horizontal flip with probability 1/2 (not for digits)
     * @param labels    pass the labels as conditioning (requires labelled images)
     */
    public EpochShuffledBatches(LabeledImages images, int batchSize, long seed, boolean flip, boolean labels) {
        this.images = Objects.requireNonNull(images, "images");
        if (batchSize < 1 || batchSize > images.count()) {
            throw new IllegalArgumentException("batchSize: expected in [1, " + images.count() + "] (the image count), got "
                    + batchSize);
        }
        if (labels && !images.hasLabels()) {
            throw new IllegalArgumentException("labels: expected false for images without labels, got true");
        }
        this.batchSize = batchSize;
        this.seed = seed;
        this.flip = flip;
        this.labels = labels;
        this.batchesPerEpoch = images.count() / batchSize;
    }

    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** The image indices of step {@code step}'s batch, in batch order. */
    public int[] indices(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step: expected >= 0, got " + step);
        }
        int[] order = order(step / batchesPerEpoch);
        int from = (int) (step % batchesPerEpoch) * batchSize;
        int[] out = new int[batchSize];
        System.arraycopy(order, from, out, 0, batchSize);
        return out;
    }

    @Override
    public TrainingBatch batch(long step, NDManager stepManager) {
        int[] idx = indices(step);
        int c = images.channels();
        int h = images.height();
        int w = images.width();
        int per = images.imageBytes();
        byte[] px = images.pixelsUnsafe();
        NoiseSource flips = flip ? NoiseSource.seeded(mix(seed ^ 0x5DEECE66DL, step)) : null;
        float[] x = new float[batchSize * per];
        for (int k = 0; k < batchSize; k++) {
            boolean mirror = flips != null && flips.nextDouble() < 0.5;
            int src0 = idx[k] * per;
            int dst0 = k * per;
            for (int row = 0; row < c * h; row++) {
                for (int col = 0; col < w; col++) {
                    int v = px[src0 + row * w + (mirror ? w - 1 - col : col)] & 0xff;
                    x[dst0 + row * w + col] = v / 127.5f - 1f;
                }
            }
        }
        NDArray x0 = NativeArrays.copyOf(stepManager, x, new Shape(batchSize, c, h, w));
        if (!labels) {
            return TrainingBatch.of(x0);
        }
        int[] lab = images.labelsUnsafe();
        long[] y = new long[batchSize];
        for (int k = 0; k < batchSize; k++) {
            y[k] = lab[idx[k]];
        }
        return TrainingBatch.of(x0, NativeArrays.copyOf(stepManager, y));
    }

    private int[] order(long epoch) {
        if (epoch != cachedEpoch) {
            int n = images.count();
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            NoiseSource rng = NoiseSource.seeded(mix(seed, epoch));
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            cachedOrder = order;
            cachedEpoch = epoch;
        }
        return cachedOrder;
    }

    /** SplitMix64 finaliser of (a, b): independent streams per epoch / step. */
    private static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
