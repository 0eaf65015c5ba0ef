package org.diffusion4j.image.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.diffusion4j.core.memory.NativeArrays;
import org.diffusion4j.core.random.NoiseSource;

/**
 * One epoch of batches over a {@link LabeledImages} set as an {@code Iterable}: pixels mapped to
 * [-1, 1] by {@code x / 127.5 - 1} (improved-diffusion's image_datasets.py), optionally shuffled and
 * randomly flipped left-right with a {@link NoiseSource} (so an epoch is reproducible from a seed).
 * Arrays are created in the caller's manager. The last batch may be smaller ({@code dropLast} false).
 */
public final class ImageBatches implements Iterable<ImageBatch> {

    private final LabeledImages images;
    private final NDManager manager;
    private final int batchSize;
    private final NoiseSource noise;
    private final boolean shuffle;
    private final boolean flip;
    private final boolean dropLast;

    private ImageBatches(LabeledImages images, NDManager manager, int batchSize, NoiseSource noise,
            boolean shuffle, boolean flip, boolean dropLast) {
        this.images = Objects.requireNonNull(images, "images");
        this.manager = Objects.requireNonNull(manager, "manager");
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize: expected > 0, got " + batchSize);
        }
        if ((shuffle || flip) && noise == null) {
            throw new IllegalArgumentException("noise: expected a NoiseSource when shuffling or flipping, got null");
        }
        this.batchSize = batchSize;
        this.noise = noise;
        this.shuffle = shuffle;
        this.flip = flip;
        this.dropLast = dropLast;
    }

    /** Sequential batches, no augmentation. */
    public static ImageBatches sequential(LabeledImages images, NDManager manager, int batchSize) {
        return new ImageBatches(images, manager, batchSize, null, false, false, false);
    }

    /** Shuffled batches with optional random horizontal flip, full batches only (training). */
    public static ImageBatches training(LabeledImages images, NDManager manager, int batchSize, NoiseSource noise,
            boolean flip) {
        return new ImageBatches(images, manager, batchSize, noise, true, flip, true);
    }

    @Override
    public Iterator<ImageBatch> iterator() {
        int n = images.count();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (shuffle) {
            for (int i = n - 1; i > 0; i--) { // Fisher-Yates
                int j = noise.nextInt(i + 1);
                int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
        }
        int batches = dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
        return new Iterator<>() {
            private int next = 0;

            @Override
            public boolean hasNext() {
                return next < batches;
            }

            @Override
            public ImageBatch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int from = next * batchSize;
                int to = Math.min(n, from + batchSize);
                next++;
                return build(order, from, to);
            }
        };
    }

    private ImageBatch build(int[] order, int from, int to) {
        int c = images.channels();
        int h = images.height();
        int w = images.width();
        int per = images.imageBytes();
        byte[] px = images.pixelsUnsafe();
        float[] x = new float[(to - from) * per];
        long[] y = images.hasLabels() ? new long[to - from] : null;
        for (int k = 0; k < to - from; k++) {
            int i = order[from + k];
            boolean mirror = flip && noise.nextDouble() < 0.5;
            for (int ch = 0; ch < c; ch++) {
                for (int r = 0; r < h; r++) {
                    int src = i * per + (ch * h + r) * w;
                    int dst = k * per + (ch * h + r) * w;
                    for (int col = 0; col < w; col++) {
                        int v = px[src + (mirror ? w - 1 - col : col)] & 0xff;
                        x[dst + col] = v / 127.5f - 1f;
                    }
                }
            }
            if (y != null) {
                y[k] = images.labelsUnsafe()[i];
            }
        }
        NDArray x0 = NativeArrays.copyOf(manager, x, new Shape(to - from, c, h, w));
        return new ImageBatch(x0, y == null ? null : NativeArrays.copyOf(manager, y));
    }
}
