package org.diffusion4j.image.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import org.diffusion4j.image.data.LabeledImages;
import org.junit.jupiter.api.Test;

class MnistSampleEvaluationTest {

    private static NDArray tensor(LabeledImages imgs, NDManager m) {
        float[] px = new float[imgs.count() * 784];
        for (int i = 0; i < imgs.count(); i++) {
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    px[i * 784 + y * 28 + x] = imgs.pixel(i, 0, y, x) / 127.5f - 1f;
                }
            }
        }
        return m.create(px, new Shape(imgs.count(), 1, 28, 28));
    }

    @Test
    void realImagesAsSamplesScoreZeroFidAndTheClassifiersAgreement() throws IOException {
        LabeledImages test = LabeledImages.mnistTest();
        int n = 120;
        try (NDManager m = NDManager.newBaseManager()) {
            MnistClassifier c = MnistClassifier.shipped(m);
            MnistSampleEvaluation eval = new MnistSampleEvaluation(c);
            GaussianStatistics ref = eval.statistics(test, 0, n, m);
            int[] next = {0};
            MnistSampleEvaluation.Result r = eval.evaluate(labels -> {
                NDArray x = tensor(test.slice(next[0], labels.length), m);
                next[0] += labels.length;
                return x;
            }, n, 50, ref, m);
            assertEquals(0.0, r.fid(), 1e-6);
            // expected agreement computed directly: requested label of sample i is i mod 10
            double[][] p = c.probabilities(tensor(test.slice(0, n), m));
            int agree = 0;
            int[] hist = new int[10];
            for (int i = 0; i < n; i++) {
                int best = MnistClassifier.argmax(p[i]);
                hist[best]++;
                agree += best == i % 10 ? 1 : 0;
            }
            assertEquals(agree / (double) n, r.agreement(), 1e-12);
            assertEquals(java.util.Arrays.toString(hist), java.util.Arrays.toString(r.histogram()));
            assertEquals(n, r.count());
            double floor = eval.floor(test, n, m);
            assertTrue(floor > 0, "two different real sets are at a positive distance: " + floor);
            assertThrows(IllegalArgumentException.class, () -> eval.statistics(test, 9990, 20, m));
        }
    }
}
