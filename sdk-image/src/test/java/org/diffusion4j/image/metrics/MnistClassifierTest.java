package org.diffusion4j.image.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.List;
import org.diffusion4j.core.random.NoiseSource;
import org.diffusion4j.image.data.ImageBatch;
import org.diffusion4j.image.data.ImageBatches;
import org.diffusion4j.image.data.LabeledImages;
import org.junit.jupiter.api.Test;

class MnistClassifierTest {

    @Test
    void shippedClassifierIsAccurateAndGivesFidFeatures() throws IOException {
        LabeledImages test = LabeledImages.mnistTest().head(1000);
        try (NDManager m = NDManager.newBaseManager()) {
            MnistClassifier c = MnistClassifier.shipped(m);
            assertTrue(c.accuracy(test, m) > 0.95);
            ImageBatch a = ImageBatches.sequential(test.head(500), m, 500).iterator().next();
            double[][] fa = c.features(a.x0());
            assertEquals(500, fa.length);
            assertEquals(MnistClassifier.FEATURES, fa[0].length);
            long[] labels = a.labels().toLongArray();
            ClassifierReport r = ClassifierReport.of(c, a.x0(), labels);
            assertTrue(r.agreement() > 0.95, r.toString());
            assertEquals(500, java.util.Arrays.stream(r.histogram()).sum());
            // FID-MNIST: a set against itself is 0; real digits against noise is large
            GaussianStatistics real = GaussianStatistics.of(fa);
            assertEquals(0, FrechetDistance.between(real, real), 1e-6);
            double[][] noise = c.features(NoiseSource.seeded(1).normal(m, new Shape(500, 1, 28, 28),
                    ai.djl.ndarray.types.DataType.FLOAT32).clip(-1, 1));
            assertTrue(FrechetDistance.between(real, GaussianStatistics.of(noise)) > 10 * 1);
            assertThrows(IllegalArgumentException.class, () -> c.features(m.zeros(new Shape(1, 1, 32, 32))));
        }
    }

    @Test
    void trainingReducesTheLossAndIsSeeded() throws IOException {
        LabeledImages small = LabeledImages.mnistTrain20k().head(512);
        try (NDManager m = NDManager.newBaseManager()) {
            List<Double> a = new MnistClassifier(3).initialize(m).train(small, 2, 64, 1e-3f, NoiseSource.seeded(4), m);
            List<Double> b = new MnistClassifier(3).initialize(m).train(small, 2, 64, 1e-3f, NoiseSource.seeded(4), m);
            assertTrue(a.get(1) < a.get(0), a.toString());
            assertEquals(a, b);
        }
    }
}
