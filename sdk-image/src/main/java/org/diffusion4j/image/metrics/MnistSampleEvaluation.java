package org.diffusion4j.image.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.Objects;
import org.diffusion4j.image.data.ImageBatch;
import org.diffusion4j.image.data.ImageBatches;
import org.diffusion4j.image.data.LabeledImages;

/**
 * FID-MNIST and classifier agreement of generated digits. The reference statistics come from real MNIST
 * images; the floor is the FID between two disjoint real sets of the same size, which is what a perfect
 * generator would score at that sample size (FID is biased upwards for small sets, so a figure only means
 * something next to its floor).
 *
 * <p>Samples are requested class-balanced (label i mod 10 for sample i) so that agreement measures how often
 * the classifier recognises the requested digit.
 */
public final class MnistSampleEvaluation {

    private final MnistClassifier classifier;

    public MnistSampleEvaluation(MnistClassifier classifier) {
        this.classifier = Objects.requireNonNull(classifier, "classifier");
    }

    /** The result for one sampler. */
    public record Result(double fid, double meanConfidence, double agreement, int[] histogram, int count,
                         double seconds) {
        public Result {
            histogram = histogram.clone();
        }

        @Override
        public int[] histogram() {
            return histogram.clone();
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "FID-MNIST %.3f, agreement %.4f, confidence %.4f, histogram %s,"
                    + " %d samples in %.1f s", fid, agreement, meanConfidence, Arrays.toString(histogram), count, seconds);
        }
    }

    /** Feature statistics of images [from, from + count) of {@code images}. */
    public GaussianStatistics statistics(LabeledImages images, int from, int count, NDManager manager) {
        if (from < 0 || count < 2 || from + count > images.count()) {
            throw new IllegalArgumentException("from/count: expected a range of >= 2 images inside [0, " + images.count()
                    + "), got " + from + "+" + count);
        }
        LabeledImages slice = images.slice(from, count);
        double[][] rows = new double[count][];
        int k = 0;
        try (NDManager scope = manager.newSubManager()) {
            for (ImageBatch b : ImageBatches.sequential(slice, scope, 250)) {
                for (double[] r : classifier.features(b.x0())) {
                    rows[k++] = r;
                }
                b.close();
            }
        }
        return GaussianStatistics.of(rows);
    }

    /** FID between real images [0, n) and [n, 2n) of {@code images}: the floor at sample size n. */
    public double floor(LabeledImages images, int n, NDManager manager) {
        return FrechetDistance.between(statistics(images, 0, n, manager), statistics(images, n, n, manager));
    }

    /**
     * Generates {@code count} samples in batches through {@code generate} (batch index → [B, 1, 28, 28] in [−1, 1],
     * labels (i mod 10) for the batch's samples i), and scores them against {@code reference}.
     *
     * @param generate given the labels of a batch, returns that batch of samples
     */
    public Result evaluate(java.util.function.Function<int[], NDArray> generate, int count, int batch,
                           GaussianStatistics reference, NDManager manager) {
        if (count < 2 || batch < 1) {
            throw new IllegalArgumentException("count/batch: expected >= 2/>= 1, got " + count + "/" + batch);
        }
        long t0 = System.nanoTime();
        double[][] rows = new double[count][];
        int[] hist = new int[10];
        double conf = 0;
        int agree = 0;
        for (int from = 0; from < count; from += batch) {
            int b = Math.min(batch, count - from);
            int[] labels = new int[b];
            for (int i = 0; i < b; i++) {
                labels[i] = (from + i) % 10;
            }
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = generate.apply(labels);
                x.attach(scope);
                double[][] f = classifier.features(x);
                System.arraycopy(f, 0, rows, from, b);
                double[][] p = classifier.probabilities(x);
                for (int i = 0; i < b; i++) {
                    int c = MnistClassifier.argmax(p[i]);
                    hist[c]++;
                    conf += p[i][c];
                    agree += c == labels[i] ? 1 : 0;
                }
            }
        }
        double fid = FrechetDistance.between(GaussianStatistics.of(rows), reference);
        return new Result(fid, conf / count, (double) agree / count, hist, count, (System.nanoTime() - t0) / 1e9);
    }
}
