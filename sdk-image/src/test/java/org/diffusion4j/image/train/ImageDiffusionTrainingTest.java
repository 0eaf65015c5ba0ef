package org.diffusion4j.image.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.diffusion4j.core.random.NoiseSource;
import org.diffusion4j.core.training.TrainingBatch;
import org.diffusion4j.image.data.EpochShuffledBatches;
import org.diffusion4j.image.data.LabeledImages;
import org.diffusion4j.image.model.ImageDiffusionModel;
import org.diffusion4j.image.model.UNet2DConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDiffusionTrainingTest {

    private static LabeledImages tinyImages(int n, int side, long seed) {
        NoiseSource r = NoiseSource.seeded(seed);
        byte[] px = new byte[n * side * side];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(3);
            for (int j = 0; j < side * side; j++) {
                px[i * side * side + j] = (byte) r.nextInt(256);
            }
        }
        return new LabeledImages(n, 1, side, side, px, labels);
    }

    private static ImageDiffusionModel tinyModel() {
        UNet2DConfig u = UNet2DConfig.builder().inChannels(1).outChannels(1).modelChannels(8).channelMult(1, 2)
                .numResBlocks(1).numHeads(2).normGroups(4).useScaleShiftNorm(true).numClasses(3).nullClass(true).build();
        return new ImageDiffusionModel(u, "linear", 50, 8);
    }

    @Test
    void everyEpochVisitsEveryImageOnceAndAnyStepCanBeRebuilt() {
        LabeledImages images = tinyImages(10, 4, 1);
        EpochShuffledBatches data = new EpochShuffledBatches(images, 3, 7, false, true);
        assertEquals(3, data.batchesPerEpoch());
        for (int epoch = 0; epoch < 3; epoch++) {
            boolean[] seen = new boolean[10];
            for (int s = 0; s < 3; s++) {
                for (int i : data.indices(epoch * 3L + s)) {
                    assertTrue(!seen[i], "image " + i + " twice in epoch " + epoch);
                    seen[i] = true;
                }
            }
        }
        EpochShuffledBatches fresh = new EpochShuffledBatches(images, 3, 7, false, true);
        assertArrayEquals(data.indices(7), fresh.indices(7)); // random access equals sequential access
        assertTrue(!Arrays.equals(data.indices(0), data.indices(3)) || !Arrays.equals(data.indices(1), data.indices(4)),
                "epochs are shuffled differently");
        try (NDManager m = NDManager.newBaseManager()) {
            TrainingBatch b = data.batch(4, m);
            int[] idx = data.indices(4);
            float[] x = b.x0().toFloatArray();
            long[] y = b.cond().get(0).toLongArray();
            for (int k = 0; k < 3; k++) {
                assertEquals(images.label(idx[k]), y[k]);
                assertEquals(images.pixel(idx[k], 0, 1, 2) / 127.5f - 1f, x[k * 16 + 4 + 2], 1e-6f);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new EpochShuffledBatches(images, 11, 0, false, true));
    }

    @Test
    void modelDescriptionRoundTripsAndRejectsBadText() throws IOException {
        ImageDiffusionModel m = ImageDiffusionModel.mnistShippedConfig();
        assertEquals(m, ImageDiffusionModel.fromProperties(m.toProperties(), "test"));
        assertEquals(tinyModel(), ImageDiffusionModel.fromProperties(tinyModel().toProperties(), "test"));
        String noKey = m.toProperties().replaceAll("(?m)^numHeads=.*$", "");
        IOException e = assertThrows(IOException.class, () -> ImageDiffusionModel.fromProperties(noKey, "x.properties"));
        assertTrue(e.getMessage().contains("numHeads"), e.getMessage());
        assertThrows(IOException.class,
                () -> ImageDiffusionModel.fromProperties(m.toProperties().replace("schedule=linear", "schedule=sigmoid"), "x"));
        assertThrows(IllegalArgumentException.class, () -> new ImageDiffusionModel(m.unet(), "linear", 1000, 30));
    }

    @Test
    void exportedEmaIsTheBiasCorrectedAverageOfTheTrainedWeights(@TempDir Path dir) throws IOException {
        // ρ = 0 exports the raw weights θ_s; with ρ = 0.5 after 2 steps the EMA is 0.25·θ₀ + 0.25·θ₁ + 0.5·θ₂ and its
        // bias-corrected form (θ₁ + 2·θ₂)/3. The EMA rate does not change the weight trajectory.
        LabeledImages images = tinyImages(12, 8, 5);
        ImageDiffusionTraining.Builder b = ImageDiffusionTraining.builder().model(tinyModel()).images(images)
                .run(r -> r.seed(4).steps(2).batchSize(4).learningRate(1e-2).warmupSteps(1).checkpointEvery(1));
        b.run(r -> r.emaDecay(0)).runDir(dir.resolve("one")).build().trainUntil(1);
        b.run(r -> r.emaDecay(0)).runDir(dir.resolve("two")).build().train();
        b.run(r -> r.emaDecay(0.5)).runDir(dir.resolve("ema")).build().train();
        try (NDManager m = NDManager.newBaseManager()) {
            java.util.Map<String, float[]> t1 = weights(dir.resolve("one"), m);
            java.util.Map<String, float[]> t2 = weights(dir.resolve("two"), m);
            java.util.Map<String, float[]> ema = weights(dir.resolve("ema"), m);
            double maxErr = 0;
            double maxMove = 0;
            for (String k : ema.keySet()) {
                float[] a = t1.get(k);
                float[] c = t2.get(k);
                float[] e = ema.get(k);
                for (int i = 0; i < e.length; i++) {
                    maxErr = Math.max(maxErr, Math.abs(e[i] - (a[i] + 2 * c[i]) / 3));
                    maxMove = Math.max(maxMove, Math.abs(a[i] - c[i]));
                }
            }
            assertTrue(maxMove > 1e-4, "the weights moved between steps 1 and 2: " + maxMove);
            assertTrue(maxErr < 1e-5, "bias-corrected EMA error " + maxErr);
            // re-exporting from the checkpoint gives the same file
            byte[] before = Files.readAllBytes(dir.resolve("ema/ema.safetensors"));
            assertEquals(2, b.run(r -> r.emaDecay(0.5)).runDir(dir.resolve("ema")).build().exportEma());
            assertArrayEquals(before, Files.readAllBytes(dir.resolve("ema/ema.safetensors")));
        }
    }

    private static java.util.Map<String, float[]> weights(Path run, NDManager m) throws IOException {
        org.diffusion4j.image.model.UNet2D net = tinyModel().load(m, run.resolve("ema.safetensors"));
        java.util.Map<String, float[]> out = new java.util.TreeMap<>();
        net.namedParameters().forEach((k, v) -> out.put(k, v.getArray().toFloatArray()));
        return out;
    }

    @Test
    void resumedRunEndsWithTheSameEmaWeightsAsAnUninterruptedOne(@TempDir Path dir) throws IOException {
        LabeledImages images = tinyImages(12, 8, 2);
        ImageDiffusionTraining.Builder b = ImageDiffusionTraining.builder().model(tinyModel()).images(images)
                .run(r -> r.seed(3).steps(6).batchSize(4).learningRate(1e-3).warmupSteps(2).checkpointEvery(2));
        long straight = b.runDir(dir.resolve("a")).build().trainUntil(4);
        assertEquals(4, straight);
        b.runDir(dir.resolve("b")).build().trainUntil(2);
        assertEquals(4, b.runDir(dir.resolve("b")).build().trainUntil(4));
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/ema.safetensors")),
                Files.readAllBytes(dir.resolve("b/ema.safetensors")));
        assertEquals(tinyModel(), ImageDiffusionModel.read(dir.resolve("a")));
        // another model in the same run directory is refused
        ImageDiffusionModel other = new ImageDiffusionModel(tinyModel().unet(), "cosine", 50, 8);
        assertThrows(IllegalArgumentException.class,
                () -> b.model(other).runDir(dir.resolve("a")).build().trainUntil(6));
        assertThrows(IllegalArgumentException.class,
                () -> ImageDiffusionTraining.builder().model(tinyModel()).images(tinyImages(12, 4, 1)).runDir(dir).build());
        // a stop past the run's length is refused before anything is trained
        IllegalArgumentException past = assertThrows(IllegalArgumentException.class,
                () -> b.runDir(dir.resolve("c")).build().trainUntil(7));
        assertTrue(past.getMessage().startsWith("totalSteps:") && past.getMessage().contains("6"), past.getMessage());
        assertFalse(Files.exists(dir.resolve("c")), "nothing written for a refused stop");
    }
}
