package org.diffusion4j.core.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.diffusion4j.core.model.Denoiser;
import org.diffusion4j.core.nn.MlpDenoiserBlock;
import org.diffusion4j.core.process.GaussianDiffusion;
import org.diffusion4j.core.random.NoiseSource;
import org.diffusion4j.core.schedule.NoiseSchedule;
import org.diffusion4j.core.toy.ToyDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiffusionTrainerTest {

    private static final int BATCH = 128;

    /** A fixed set of two-moons batches (labels: which moon, via the generator's alternation). */
    private static List<TrainingBatch> moonBatches(NDManager manager, int count, int batch, long seed, boolean labels) {
        NoiseSource noise = NoiseSource.seeded(seed);
        List<TrainingBatch> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            NDArray x = ToyDistribution.MOONS.sample(manager, batch, noise);
            if (labels) {
                long[] l = new long[batch];
                for (int i = 0; i < batch; i++) {
                    l[i] = i % 2;
                }
                out.add(TrainingBatch.of(x, manager.create(l)));
            } else {
                out.add(TrainingBatch.of(x));
            }
        }
        return out;
    }

    private static float[] flatten(List<NDArray> arrays) {
        int n = 0;
        List<float[]> parts = new ArrayList<>();
        for (NDArray a : arrays) {
            float[] f = a.toFloatArray();
            parts.add(f);
            n += f.length;
        }
        float[] out = new float[n];
        int o = 0;
        for (float[] f : parts) {
            System.arraycopy(f, 0, out, o, f.length);
            o += f.length;
        }
        return out;
    }

    private static List<NDArray> weights(ai.djl.nn.Block block) {
        List<NDArray> out = new ArrayList<>();
        for (int i = 0; i < block.getParameters().size(); i++) {
            out.add(block.getParameters().valueAt(i).getArray());
        }
        return out;
    }

    /**
     * The bound: the loss of the best *linear* ε-predictor, i.e. what the exact denoiser of a Gaussian with the
     * data's covariance Σ achieves. With x_t = a·x0 + s·ε, E[ε | x_t] restricted to affine maps has error
     * covariance I − s²(a²Σ + s²I)⁻¹, so its per-dimension MSE is (1/D)·Σ_i a²λ_i / (a²λ_i + s²), averaged over
     * uniform t. Two moons is far from Gaussian, so a nonlinear network must beat it; predicting 0 gives 1.
     */
    private static double bestLinearLoss(float[] points, double[] alphaBar) {
        int n = points.length / 2;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += points[2 * i];
            my += points[2 * i + 1];
        }
        mx /= n;
        my /= n;
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        for (int i = 0; i < n; i++) {
            double dx = points[2 * i] - mx;
            double dy = points[2 * i + 1] - my;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
        }
        sxx /= n;
        syy /= n;
        sxy /= n;
        double tr = sxx + syy;
        double det = sxx * syy - sxy * sxy;
        double disc = Math.sqrt(Math.max(0, tr * tr / 4 - det));
        double[] lambda = {tr / 2 + disc, tr / 2 - disc};
        double total = 0;
        for (double ab : alphaBar) {
            double sum = 0;
            for (double l : lambda) {
                sum += ab * l / (ab * l + (1 - ab));
            }
            total += sum / 2;
        }
        return total / alphaBar.length;
    }

    /**
     * Predicting ε̂ = 0 costs exactly E[ε²] = 1 per dimension; the best linear (Gaussian-optimal) denoiser costs
     * {@link #bestLinearLoss} (≈ 0.27 here). The network must land at least halfway from the trivial predictor to the
     * Gaussian-optimal one: a loss below (1 + L_lin)/2.
     */
    @Test
    void toyMlpOnTwoMoonsLearnsMostOfTheLinearDenoisersGain() throws IOException {
        NoiseSchedule schedule = NoiseSchedule.linear(1000);
        GaussianDiffusion diffusion = GaussianDiffusion.builder().schedule(schedule).build();
        TrainerConfig config = TrainerConfig.builder().seed(7).learningRate(3e-3).warmupSteps(50).emaDecay(0.99).build();
        try (NDManager manager = NDManager.newBaseManager();
             DiffusionTrainer trainer = DiffusionTrainer.builder().diffusion(diffusion)
                     .architecture(() -> MlpDenoiserBlock.builder().width(64).depth(3).build())
                     .inputShapes(new Shape(BATCH, 2), new Shape(BATCH)).config(config).build(manager)) {
            trainer.train(TrainingData.cycling(moonBatches(manager, 32, BATCH, 1, false)), 300);

            // Evaluate on fresh data, timesteps and noise (not seen in training), over all t equally.
            NoiseSource eval = NoiseSource.seeded(99);
            float[] fresh = ToyDistribution.MOONS.sample(4000, eval);
            double bound = bestLinearLoss(fresh, schedule.alphasCumprod());
            double loss = evaluate(diffusion, trainer.emaDenoiser(), manager, fresh, eval);
            assertTrue(bound > 0.05 && bound < 1.0, "sanity of the linear bound: " + bound);
            double required = (1.0 + bound) / 2.0;
            assertTrue(loss < required, "eval loss " + loss + " should be below " + required + " (zero predictor 1, best"
                    + " linear denoiser " + bound + ")");
        }
    }

    private static double evaluate(GaussianDiffusion diffusion, Denoiser denoiser, NDManager parent, float[] points,
                                   NoiseSource noise) {
        try (NDManager m = parent.newSubManager()) {
            int n = points.length / 2;
            NDArray x0 = m.create(points, new Shape(n, 2));
            NDArray t = m.create(noise.uniformTimesteps(n, diffusion.numTimesteps()));
            NDArray loss = diffusion.trainingLosses(denoiser, x0, t, noise.normal(m, x0.getShape(), DataType.FLOAT32),
                    new NDList()).loss();
            return loss.mean().getFloat();
        }
    }

    private static DiffusionTrainer.Builder smallConditional(GaussianDiffusion diffusion, TrainerConfig config) {
        return DiffusionTrainer.builder().diffusion(diffusion)
                .architecture(() -> MlpDenoiserBlock.builder().width(32).depth(2).numClasses(2).build())
                .inputShapes(new Shape(32, 2), new Shape(32), new Shape(32)).config(config);
    }

    /** Trains the {@link #everythingOn} run for 2 steps into {@code dir}; returns its checkpoint. */
    private static Path checkpointAfterTwoSteps(NDManager manager, GaussianDiffusion diffusion, Path dir)
            throws IOException {
        try (DiffusionTrainer t = smallConditional(diffusion, everythingOn(dir)).build(manager)) {
            t.train(TrainingData.cycling(moonBatches(manager, 2, 32, 3, true)), 2);
        }
        return TrainingCheckpoint.latest(dir).orElseThrow();
    }

    private static TrainerConfig everythingOn(Path dir) {
        // Every stateful feature on: importance sampling (short history so it warms up), warm-up, weight decay,
        // clipping that binds, EMA, conditioning dropout.
        return TrainerConfig.builder().seed(11).learningRate(3e-3).warmupSteps(4).weightDecay(0.01).gradClipNorm(0.5)
                .emaDecay(0.9).timestepSampling(TimestepSampling.LOSS_SECOND_MOMENT).historyPerTimestep(2)
                .condDropProbability(0.3).nullCondition(2).checkpointDir(dir).build();
    }

    /** An MLP denoiser whose output goes through DJL's Dropout, which draws from libtorch's global generator. */
    private static final class DropoutMlp extends ai.djl.nn.AbstractBlock {
        private final ai.djl.nn.Block mlp;
        private final ai.djl.nn.Block dropout;

        DropoutMlp() {
            mlp = addChildBlock("mlp", MlpDenoiserBlock.builder().width(32).depth(2).build());
            dropout = addChildBlock("dropout", ai.djl.nn.norm.Dropout.builder().optRate(0.5f).build());
        }

        @Override
        protected ai.djl.ndarray.NDList forwardInternal(ai.djl.training.ParameterStore ps, ai.djl.ndarray.NDList in,
                boolean training, ai.djl.util.PairList<String, Object> params) {
            return dropout.forward(ps, mlp.forward(ps, in, training), training);
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, ai.djl.ndarray.types.DataType type, Shape... shapes) {
            mlp.initialize(manager, type, shapes);
            dropout.initialize(manager, type, shapes[0]);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }
    }

    @Test
    void networkDropoutIsReproducibleWhateverLibtorchsGeneratorHeldBefore() throws IOException {
        GaussianDiffusion diffusion = GaussianDiffusion.builder().schedule(NoiseSchedule.linear(40)).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            List<TrainingBatch> batches = moonBatches(manager, 3, 32, 5, false);
            float[][] runs = new float[3][];
            for (int r = 0; r < 3; r++) {
                // a different history of libtorch's global generator before each run
                manager.getEngine().setRandomSeed(1000 + r);
                manager.randomNormal(new Shape(17 * (r + 1))).close();
                try (DiffusionTrainer t = DiffusionTrainer.builder().diffusion(diffusion).architecture(DropoutMlp::new)
                        .inputShapes(new Shape(32, 2), new Shape(32))
                        .config(TrainerConfig.builder().seed(3).learningRate(1e-2).build()).build(manager)) {
                    t.train(TrainingData.cycling(batches), 6);
                    runs[r] = flatten(weights(t.block()));
                }
            }
            assertArrayEquals(runs[0], runs[1], "same seed, same weights after 6 steps with dropout");
            assertArrayEquals(runs[0], runs[2], "same seed, same weights after 6 steps with dropout");
        }
    }

    @Test
    void resumeFromACheckpointGivesIdenticalWeights(@TempDir Path dir) throws IOException {
        GaussianDiffusion diffusion = GaussianDiffusion.builder().schedule(NoiseSchedule.linear(40)).build();
        int n = 12;
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainingData data = TrainingData.cycling(moonBatches(manager, 5, 32, 3, true));
            float[] straightW;
            float[] straightEma;
            try (DiffusionTrainer straight = smallConditional(diffusion, everythingOn(dir.resolve("a"))).build(manager)) {
                straight.train(data, 2L * n);
                straightW = flatten(weights(straight.block()));
                straightEma = flatten(weights(straight.emaBlock()));
            }
            Path checkpoint;
            float[] halfW;
            try (DiffusionTrainer first = smallConditional(diffusion, everythingOn(dir.resolve("b"))).build(manager)) {
                first.train(TrainingData.cycling(moonBatches(manager, 5, 32, 3, true)), n);
                checkpoint = TrainingCheckpoint.latest(dir.resolve("b")).orElseThrow();
                halfW = flatten(weights(first.block()));
            }
            assertEquals(n, TrainingCheckpoint.stepOf(checkpoint));
            try (DiffusionTrainer second = smallConditional(diffusion, null).resume(manager, checkpoint)) {
                assertEquals(n, second.step());
                assertArrayEquals(halfW, flatten(weights(second.block())));
                second.train(TrainingData.cycling(moonBatches(manager, 5, 32, 3, true)), n);
                assertEquals(2L * n, second.step());
                assertArrayEquals(straightW, flatten(weights(second.block())), "weights after resume");
                assertArrayEquals(straightEma, flatten(weights(second.emaBlock())), "EMA weights after resume");
            }
            assertFalse(java.util.Arrays.equals(halfW, straightW), "training must change the weights");
        }
    }

    @Test
    void aMovedRunResumesAndCheckpointsIntoItsNewFolder(@TempDir Path dir) throws IOException {
        GaussianDiffusion diffusion = GaussianDiffusion.builder().schedule(NoiseSchedule.linear(40)).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            try (DiffusionTrainer t = smallConditional(diffusion, everythingOn(dir.resolve("old"))).build(manager)) {
                t.train(TrainingData.cycling(moonBatches(manager, 2, 32, 3, true)), 2);
            }
            Path moved = dir.resolve("new");
            Files.createDirectories(moved);
            Path original = TrainingCheckpoint.latest(dir.resolve("old")).orElseThrow();
            Path ckpt = Files.copy(original, moved.resolve(original.getFileName()));
            try (DiffusionTrainer t = smallConditional(diffusion, everythingOn(moved)).resume(manager, ckpt)) {
                assertEquals(moved, t.config().checkpointDir());
                t.train(TrainingData.cycling(moonBatches(manager, 2, 32, 3, true)), 1);
            }
            assertEquals(3, TrainingCheckpoint.stepOf(TrainingCheckpoint.latest(moved).orElseThrow()));
            assertEquals(2, TrainingCheckpoint.stepOf(TrainingCheckpoint.latest(dir.resolve("old")).orElseThrow()));
        }
    }

    @Test
    void resumeRefusesAnotherProcessOrConfig(@TempDir Path dir) throws IOException {
        GaussianDiffusion diffusion = GaussianDiffusion.builder().schedule(NoiseSchedule.linear(40)).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            Path ckpt = checkpointAfterTwoSteps(manager, diffusion, dir);
            GaussianDiffusion other = GaussianDiffusion.builder().schedule(NoiseSchedule.linear(50)).build();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> smallConditional(other, null).resume(manager, ckpt));
            assertTrue(e.getMessage().startsWith("diffusion:"), e.getMessage());
            TrainerConfig changed = everythingOn(dir).toBuilder().seed(12).build();
            e = assertThrows(IllegalArgumentException.class, () -> smallConditional(diffusion, changed).resume(manager, ckpt));
            assertTrue(e.getMessage().startsWith("config:"), e.getMessage());
            Path garbage = dir.resolve("garbage.d4j");
            Files.writeString(garbage, "not a checkpoint");
            assertThrows(IOException.class, () -> smallConditional(diffusion, null).resume(manager, garbage));
        }
    }

    @Test
    void aResumedRunChangesItsLearningRateOnlyWhenAskedAndOnlyChangeableSettings(@TempDir Path dir) throws IOException {
        GaussianDiffusion diffusion = GaussianDiffusion.builder().schedule(NoiseSchedule.linear(40)).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            Path ckpt = checkpointAfterTwoSteps(manager, diffusion, dir);
            double oldLr = everythingOn(dir).learningRate();
            TrainerConfig lower = everythingOn(dir).toBuilder().learningRate(oldLr / 4).build();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> smallConditional(diffusion, lower).resume(manager, ckpt));
            assertTrue(e.getMessage().contains("learningRate=" + oldLr) && e.getMessage().contains("learningRate="
                    + oldLr / 4), e.getMessage());
            TrainerConfig otherEma = lower.toBuilder().emaDecay(0.5).build();
            e = assertThrows(IllegalArgumentException.class,
                    () -> smallConditional(diffusion, otherEma).allowSettingChanges(true).resume(manager, ckpt));
            assertTrue(e.getMessage().contains("emaDecay") && !e.getMessage().contains("learningRate="),
                    e.getMessage());
            // Allowed: the run continues from the checkpoint's step and weights with the new learning rate, and
            // its next checkpoint records it.
            float[] before;
            try (DiffusionTrainer strict = smallConditional(diffusion, null).resume(manager, ckpt)) {
                before = flatten(weights(strict.block()));
            }
            try (DiffusionTrainer t = smallConditional(diffusion, lower).allowSettingChanges(true).resume(manager, ckpt)) {
                assertEquals(2, t.step());
                assertArrayEquals(before, flatten(weights(t.block())));
                assertEquals(lower, t.config());
                t.train(TrainingData.cycling(moonBatches(manager, 2, 32, 3, true)), 1);
            }
            Path next = TrainingCheckpoint.latest(dir).orElseThrow();
            assertEquals(3, TrainingCheckpoint.stepOf(next));
            try (DiffusionTrainer t = smallConditional(diffusion, null).resume(manager, next)) {
                assertEquals(oldLr / 4, t.config().learningRate(), 0.0);
            }
        }
    }

    @Test
    void eachStepUsesTheConfiguredDecayedLearningRateAndTrainingStopsWhereItReachesZero() throws IOException {
        GaussianDiffusion diffusion = GaussianDiffusion.builder().schedule(NoiseSchedule.linear(40)).build();
        TrainerConfig config = everythingOn(null).toBuilder().lrDecay(3, 6).build();
        List<Double> seen = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager();
             DiffusionTrainer t = smallConditional(diffusion, config).listener(p -> seen.add(p.learningRate()))
                     .build(manager)) {
            TrainingData data = TrainingData.cycling(moonBatches(manager, 2, 32, 3, true));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.train(data, 7));
            assertTrue(e.getMessage().startsWith("steps:") && e.getMessage().contains("6"), e.getMessage());
            assertEquals(0, t.step(), "a refused call runs no step");
            t.train(data, 6);
            // warm-up 4 then decay from step 3 to 0 at step 6: η·min(1,(s+1)/4)·d(s), d = 1, 1, 1, 1, 2/3, 1/3
            double eta = config.learningRate();
            double[] expected = {eta / 4, eta / 2, eta * 3 / 4, eta, eta * 2 / 3, eta / 3};
            assertEquals(expected.length, seen.size());
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], seen.get(i), 1e-15, "step " + i);
            }
            assertThrows(IllegalArgumentException.class, () -> t.train(data, 1));
            assertEquals(6, t.step());
        }
    }

    @Test
    void nonFiniteLossStopsWithTheStepAndKeepsTheLastCheckpoint(@TempDir Path dir) throws IOException {
        GaussianDiffusion diffusion = GaussianDiffusion.builder().schedule(NoiseSchedule.linear(40)).build();
        TrainerConfig config = everythingOn(dir).toBuilder().checkpointEvery(3).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            List<TrainingBatch> good = moonBatches(manager, 4, 32, 5, true);
            long poisoned = 7;
            TrainingData data = (step, scope) -> {
                TrainingBatch b = good.get((int) (step % good.size()));
                if (step != poisoned) {
                    return b;
                }
                NDArray x = b.x0().duplicate();
                x.attach(scope);
                x.set(new ai.djl.ndarray.index.NDIndex("0, 0"), Float.NaN);
                return new TrainingBatch(x, b.cond());
            };
            float[] before;
            try (DiffusionTrainer trainer = smallConditional(diffusion, config).build(manager)) {
                NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> trainer.train(data, 20));
                assertEquals(poisoned, e.step());
                assertTrue(e.getMessage().contains("step " + poisoned), e.getMessage());
                assertEquals(poisoned, trainer.step(), "the failed step is not counted");
                before = flatten(weights(trainer.block()));
                for (float f : before) {
                    assertTrue(Float.isFinite(f), "weights stay finite");
                }
            }
            Path latest = TrainingCheckpoint.latest(dir).orElseThrow();
            assertEquals(6, TrainingCheckpoint.stepOf(latest));
            try (Stream<Path> files = Files.list(dir)) {
                assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
            }
            try (DiffusionTrainer resumed = smallConditional(diffusion, null).resume(manager, latest)) {
                assertEquals(6, resumed.step());
                // One more good step from the checkpoint reproduces the state the failed trainer had at step 7.
                resumed.train((step, scope) -> good.get((int) (step % good.size())), 1);
                assertArrayEquals(before, flatten(weights(resumed.block())));
            }
        }
    }

    @Test
    void nativeMemoryDoesNotGrowAcrossSteps() throws IOException {
        GaussianDiffusion diffusion = GaussianDiffusion.builder().schedule(NoiseSchedule.linear(40)).build();
        TrainerConfig config = everythingOn(null);
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainingData data = TrainingData.cycling(moonBatches(manager, 3, 32, 9, true));
            try (DiffusionTrainer trainer = smallConditional(diffusion, config).build(manager)) {
                trainer.train(data, 2);
                int after2 = manager.getManagedArrays().size();
                trainer.train(data, 40);
                int after42 = manager.getManagedArrays().size();
                assertEquals(after2, after42, "live arrays after 2 and after 42 steps");
            }
        }
    }
}
