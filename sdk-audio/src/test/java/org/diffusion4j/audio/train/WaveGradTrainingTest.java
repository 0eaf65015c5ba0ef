package org.diffusion4j.audio.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.diffusion4j.audio.mel.MelRecipe;
import org.diffusion4j.audio.model.WaveGrad;
import org.diffusion4j.audio.model.WaveGradCheckpoint;
import org.diffusion4j.audio.model.WaveGradConfig;
import org.diffusion4j.core.nn.SeededInitializer;
import org.diffusion4j.core.training.TrainingBatch;
import org.diffusion4j.core.training.TrainingCheckpoint;
import org.diffusion4j.core.training.TrainerConfig;
import java.util.ArrayList;
import java.util.List;
import org.diffusion4j.audio.data.VocoderDataset;
import org.diffusion4j.audio.mel.MelSpectrogram;
import org.diffusion4j.audio.prior.MelEnergyPrior;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WaveGradTrainingTest {

    private static final Path TRAIN = Path.of("data/espeak-30/train.txt");

    @TempDir
    Path dir;

    /** hop 300 and 128 mels (the shipped recipe) with four channels everywhere: fast enough for a unit test. */
    static WaveGradConfig micro() {
        return WaveGradConfig.builder().upChannels(4, 4, 4, 4, 4).firstDownChannels(4).downChannels(4, 4, 4, 4)
                .melEmbedChannels(4).noiseLevelScale(5000).build();
    }

    private WaveGradTraining.Options options(Path run, long steps) {
        return options(run, micro(), steps, 2e-4);
    }

    private WaveGradTraining.Options options(Path run, WaveGradConfig network, long steps, double learningRate) {
        return WaveGradTraining.Options.builder(TRAIN, run).network(network).cropFrames(4)
                .run(r -> r.steps(steps).batchSize(2).seed(7).learningRate(learningRate).warmupSteps(3).emaDecay(0.9)
                        .checkpointEvery(2)).build();
    }

    /** A run trained for 2 steps in {@code dir/run}, its log discarded. */
    private Path twoStepRun(NDManager m, PrintStream out) throws IOException {
        Path run = dir.resolve("run");
        assertEquals(2, WaveGradTraining.run(options(run, 2), m, out));
        return run;
    }

    @Test
    void resumingGivesTheWeightsOfTheUninterruptedRunAndExportsTheEmaModel() throws IOException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (NDManager m = NDManager.newBaseManager(); PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8)) {
            Path straight = dir.resolve("straight");
            assertEquals(4, WaveGradTraining.run(options(straight, 4), m, out));
            Path split = dir.resolve("split");
            assertEquals(2, WaveGradTraining.run(options(split, 2), m, out));
            assertEquals(4, WaveGradTraining.run(options(split, 4), m, out));
            assertTrue(log.toString(StandardCharsets.UTF_8).contains("resuming from"), log.toString(StandardCharsets.UTF_8));
            assertTrue(TrainingCheckpoint.latest(split.resolve("checkpoints")).isPresent());

            MelRecipe recipe = MelRecipe.wavegrad(22050);
            WaveGrad a = WaveGradCheckpoint.load(straight.resolve("model"), m, recipe);
            WaveGrad b = WaveGradCheckpoint.load(split.resolve("model"), m, recipe);
            assertEquals(micro(), a.config());
            for (String name : a.parameters().keySet()) {
                assertArrayEquals(a.parameters().get(name).getArray().toFloatArray(),
                        b.parameters().get(name).getArray().toFloatArray(), 0f, name);
            }
            assertTrue(Files.exists(straight.resolve("model").resolve(WaveGradCheckpoint.WEIGHTS)));
        }
    }

    @Test
    void aResumedRunTakesALowerLearningRateOnlyWhenAsked() throws IOException {
        try (NDManager m = NDManager.newBaseManager(); PrintStream out = new PrintStream(new ByteArrayOutputStream(),
                true, StandardCharsets.UTF_8)) {
            Path run = twoStepRun(m, out);
            WaveGradTraining.Options lower = options(run, micro(), 3, 5e-5);
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> WaveGradTraining.run(lower, m, out));
            assertTrue(e.getMessage().contains("learningRate=2.0E-4") && e.getMessage().contains("learningRate=5.0E-5"),
                    e.getMessage());
            assertEquals(3, WaveGradTraining.run(lower, m, out, true));
            Path newest = TrainingCheckpoint.latest(run.resolve("checkpoints")).orElseThrow();
            assertTrue(Files.readString(newest, java.nio.charset.StandardCharsets.ISO_8859_1)
                    .contains("learningRate=5.0E-5"), "the next checkpoint records the new learning rate");
        }
    }

    @Test
    void aResumedRunRefusesAnotherNetworkEvenWithTheSameParameterShapes() throws IOException {
        try (NDManager m = NDManager.newBaseManager(); PrintStream out = new PrintStream(new ByteArrayOutputStream(),
                true, StandardCharsets.UTF_8)) {
            Path run = twoStepRun(m, out);
            WaveGradTraining.Options other = options(run, micro().toBuilder().noiseLevelScale(1).build(), 3, 2e-4);
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> WaveGradTraining.run(other, m, out, true));
            assertTrue(e.getMessage().startsWith("network: the run in") && e.getMessage().contains("noiseLevelScale=5000.0")
                    && e.getMessage().contains("noiseLevelScale=1.0"), e.getMessage());
            Path checkpoints = run.resolve("checkpoints");
            assertEquals(TrainingCheckpoint.fileFor(checkpoints, 2), TrainingCheckpoint.latest(checkpoints).orElseThrow(),
                    "nothing trained after the refusal");
        }
    }

    /**
     * priorStdMin &gt; 0: the run fits PriorGrad's prior to the training clips, exports it with the weights, and a
     * resume without the prior (another function of the input) is refused like any other network change.
     */
    @Test
    void aPriorGradRunFitsItsPriorToTheTrainingSetAndKeepsIt() throws IOException {
        try (NDManager m = NDManager.newBaseManager(); PrintStream out = new PrintStream(new ByteArrayOutputStream(),
                true, StandardCharsets.UTF_8)) {
            Path run = dir.resolve("prior");
            WaveGradTraining.Options withPrior = options(run, micro(), 2, 2e-4).toBuilder().priorStdMin(0.1).build();
            assertEquals(2, WaveGradTraining.run(withPrior, m, out));
            WaveGrad trained = WaveGradCheckpoint.load(run.resolve("model"), m, MelRecipe.wavegrad(22050));
            MelEnergyPrior prior = trained.config().energyPrior().orElseThrow();
            VocoderDataset data = VocoderDataset.load(TRAIN, MelSpectrogram.wavegrad(22050), false);
            List<float[][]> mels = new ArrayList<>();
            data.items().forEach(it -> mels.add(it.mel()));
            assertEquals(MelEnergyPrior.fit(mels, MelRecipe.wavegrad(22050), 0.1), prior);
            assertEquals(micro(), trained.config().toBuilder().prior(null).build());

            WaveGradTraining.Options resumedPlain = options(run, 3);
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> WaveGradTraining.run(resumedPlain, m, out, true));
            assertTrue(e.getMessage().startsWith("network: the run in") && e.getMessage().contains("prior="), e.getMessage());
            IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> options(run, micro(), 2, 2e-4).toBuilder().priorStdMin(1.5).build());
            assertTrue(bad.getMessage().startsWith("priorStdMin"), bad.getMessage());
        }
    }

    @Test
    void aResumedRunKeepsItsObjectiveSettingsUnlessAskedToChangeThem() throws IOException {
        try (NDManager m = NDManager.newBaseManager(); PrintStream out = new PrintStream(new ByteArrayOutputStream(),
                true, StandardCharsets.UTF_8)) {
            Path run = twoStepRun(m, out);
            var plain = new WaveGradTraining.ObjectiveSettings(0, 0, WaveGradObjective.NoiseLoss.L1);
            assertEquals(plain, WaveGradTraining.readObjectiveSettings(run));
            WaveGradTraining.Options d = options(run, 3);
            WaveGradTraining.Options lowNoise = d.toBuilder().lowNoiseFraction(0.5).build();
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> WaveGradTraining.run(lowNoise, m, out));
            assertTrue(e.getMessage().startsWith("lowNoiseFraction: the run in") && e.getMessage().contains("0.0")
                    && e.getMessage().contains("0.5"), e.getMessage());
            WaveGradTraining.Options spectral = d.toBuilder().spectralLossWeight(0.25).build();
            e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> WaveGradTraining.run(spectral, m, out));
            assertTrue(e.getMessage().startsWith("spectralLossWeight: the run in") && e.getMessage().contains("0.0")
                    && e.getMessage().contains("0.25"), e.getMessage());
            WaveGradTraining.Options squared = d.toBuilder().noiseLoss(WaveGradObjective.NoiseLoss.L2).build();
            e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> WaveGradTraining.run(squared, m, out));
            assertTrue(e.getMessage().startsWith("noiseLoss: the run in") && e.getMessage().contains("L1")
                    && e.getMessage().contains("L2"), e.getMessage());
            assertEquals(plain, WaveGradTraining.readObjectiveSettings(run), "the refusals leave the record as it was");
            assertEquals(3, WaveGradTraining.run(lowNoise.toBuilder().spectralLossWeight(0.25)
                    .noiseLoss(WaveGradObjective.NoiseLoss.L2).build(), m, out, true));
            assertEquals(new WaveGradTraining.ObjectiveSettings(0.5, 0.25, WaveGradObjective.NoiseLoss.L2),
                    WaveGradTraining.readObjectiveSettings(run));
        }
    }

    @Test
    void aRecordFromBeforeTheSpectralLossReadsAsNoSpectralLossAndABadRecordIsRefused() throws IOException {
        Path run = Files.createDirectories(dir.resolve("legacy"));
        Path file = run.resolve(WaveGradTraining.LEVELS_FILE);
        Files.writeString(file, "# as runs before the option wrote it\nlowNoiseFraction=0.5\n");
        assertEquals(new WaveGradTraining.ObjectiveSettings(0.5, 0, WaveGradObjective.NoiseLoss.L1),
                WaveGradTraining.readObjectiveSettings(run));
        Files.writeString(file, "lowNoiseFraction=0.5\nspectralLossWeight=-1\n");
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> WaveGradTraining.readObjectiveSettings(run));
        assertTrue(e.getMessage().contains("spectralLossWeight") && e.getMessage().contains("-1"), e.getMessage());
        Files.writeString(file, "lowNoiseFraction=0.5\nspectralLossWeight=0\nnoiseLoss=L3\n");
        e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> WaveGradTraining.readObjectiveSettings(run));
        assertTrue(e.getMessage().contains("noiseLoss") && e.getMessage().contains("L3"), e.getMessage());
    }

    @Test
    void aLearningRateDecayEndsAtZeroOnTheRunsLastStep() {
        WaveGradTraining.Options constant = options(dir.resolve("run"), 100);
        WaveGradTraining.Options o = constant.toBuilder().network(micro()).run(r -> r.lrDecayFrom(60)).build();
        TrainerConfig c = WaveGradTraining.trainerConfig(o);
        assertEquals(2e-4, c.learningRateAt(59), 1e-18);
        assertEquals(2e-4 * 10 / 40, c.learningRateAt(90), 1e-18);
        assertTrue(c.decayedToZeroAt(100) && !c.decayedToZeroAt(99));
        assertEquals(2e-4, WaveGradTraining.trainerConfig(constant).learningRateAt(1_000_000), 0.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> constant.toBuilder().run(r -> r.lrDecayFrom(100)).build());
        assertTrue(e.getMessage().startsWith("lrDecayFrom:") && e.getMessage().contains("100"), e.getMessage());
    }

    @Test
    void zeroFilmScalesClearsExactlyTheScaleHalfOfEachFilmOutput() {
        try (NDManager m = NDManager.newBaseManager()) {
            WaveGrad model = new WaveGrad(micro());
            model.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32);
            for (var p : model.parameters().values()) {
                p.getArray().set(new ai.djl.ndarray.index.NDIndex("..."), 0.5f);
            }
            WaveGradTraining.zeroFilmScales(model);
            for (var e : model.parameters().entrySet()) {
                float[] v = e.getValue().getArray().toFloatArray();
                long rows = e.getValue().getArray().getShape().get(0);
                int perRow = (int) (v.length / rows);
                boolean filmOut = e.getKey().startsWith("film.") && e.getKey().contains(".output_conv.");
                for (int i = 0; i < v.length; i++) {
                    // rows [0, C) are the shift (lmnt's chunk order), rows [C, 2C) the scale
                    boolean scaleRow = filmOut && i / perRow >= rows / 2;
                    assertEquals(scaleRow ? 0f : 0.5f, v[i], 0f, e.getKey() + "[" + i + "]");
                }
            }
        }
    }

    /**
     * One step at a learning rate of 1e-12 leaves the exported weights at their start: with the same seed, the LMNT run
     * keeps the trainer's Xavier draw in the FiLM scale rows (Glorot bound, nonzero), the ZERO_SCALE run has those rows
     * at 0, and every other weight is the same in both.
     */
    @Test
    void aNewRunStartsItsFilmScalesAsAsked() throws IOException {
        try (NDManager m = NDManager.newBaseManager(); PrintStream out = new PrintStream(new ByteArrayOutputStream(),
                true, StandardCharsets.UTF_8)) {
            Map<WaveGradTraining.FilmInit, WaveGrad> start = new EnumMap<>(WaveGradTraining.FilmInit.class);
            for (WaveGradTraining.FilmInit init : WaveGradTraining.FilmInit.values()) {
                Path run = dir.resolve(init.name());
                WaveGradTraining.run(options(run, micro(), 1, 1e-12).toBuilder().run(r -> r.warmupSteps(0).checkpointEvery(1))
                        .filmInit(init).build(), m, out);
                start.put(init, WaveGradCheckpoint.load(run.resolve("model"), m, MelRecipe.wavegrad(22050)));
            }
            Map<String, Parameter> zero = start.get(WaveGradTraining.FilmInit.ZERO_SCALE).parameters();
            Map<String, Parameter> lmnt = start.get(WaveGradTraining.FilmInit.LMNT).parameters();
            int scaleRowsChecked = 0;
            for (String name : zero.keySet()) {
                float[] z = zero.get(name).getArray().toFloatArray();
                float[] l = lmnt.get(name).getArray().toFloatArray();
                long rows = zero.get(name).getArray().getShape().get(0);
                int perRow = (int) (z.length / rows);
                boolean filmOut = name.startsWith("film.") && name.contains(".output_conv.");
                double scaleAbs = 0;
                for (int i = 0; i < z.length; i++) {
                    if (filmOut && i / perRow >= rows / 2) {
                        assertEquals(0f, z[i], 1e-6f, name + "[" + i + "] (ZERO_SCALE)");
                        scaleAbs += Math.abs(l[i]);
                        scaleRowsChecked++;
                    } else {
                        assertEquals(l[i], z[i], 1e-6f, name + "[" + i + "]");
                    }
                }
                if (filmOut && name.endsWith(".weight")) {
                    double bound = SeededInitializer.bound(lmnt.get(name).getArray().getShape(), 1);
                    // U(−a, a) has mean |w| = a/2; over ≥ 48 draws the mean is within 30 % of it
                    double mean = scaleAbs / (z.length / 2.0);
                    assertTrue(Math.abs(mean - bound / 2) < 0.3 * bound / 2, name + ": mean |scale weight| " + mean
                            + ", Glorot a/2 = " + bound / 2);
                }
            }
            assertTrue(scaleRowsChecked > 0, "no FiLM scale rows found");
        }
    }

    @Test
    void theBatchOfAStepDependsOnlyOnSeedAndStep() throws IOException {
        org.diffusion4j.audio.data.VocoderDataset ds = org.diffusion4j.audio.data.VocoderDataset.load(TRAIN,
                org.diffusion4j.audio.mel.MelSpectrogram.wavegrad(22050), false);
        try (NDManager m = NDManager.newBaseManager()) {
            var data = WaveGradTraining.data(ds, 5, 3, 2);
            TrainingBatch late = data.batch(9, m);
            data.batch(0, m);
            TrainingBatch again = data.batch(9, m);
            assertArrayEquals(late.x0().toFloatArray(), again.x0().toFloatArray(), 0f);
            assertArrayEquals(late.cond().head().toFloatArray(), again.cond().head().toFloatArray(), 0f);
            assertEquals(600, late.x0().getShape().get(1));
            assertNotEquals(late.x0().getFloat(0, 0) + late.x0().getFloat(0, 1),
                    data.batch(10, m).x0().getFloat(0, 0) + data.batch(10, m).x0().getFloat(0, 1));
        }
    }
}
