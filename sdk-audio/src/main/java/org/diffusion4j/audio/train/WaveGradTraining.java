package org.diffusion4j.audio.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.diffusion4j.audio.data.VocoderDataset;
import org.diffusion4j.audio.mel.MelSpectrogram;
import org.diffusion4j.audio.model.WaveGrad;
import org.diffusion4j.audio.model.WaveGradCheckpoint;
import org.diffusion4j.audio.model.WaveGradConfig;
import org.diffusion4j.audio.prior.MelEnergyPrior;
import org.diffusion4j.audio.schedule.ContinuousNoiseLevels;
import org.diffusion4j.audio.schedule.InferenceSchedule;
import org.diffusion4j.core.io.AtomicFiles;
import org.diffusion4j.core.process.GaussianDiffusion;
import org.diffusion4j.core.random.NoiseSource;
import org.diffusion4j.core.schedule.NoiseSchedule;
import org.diffusion4j.core.training.DiffusionTrainer;
import org.diffusion4j.core.training.NonFiniteLossException;
import org.diffusion4j.core.training.RunSettings;
import org.diffusion4j.core.training.TrainerConfig;
import org.diffusion4j.core.training.TrainingBatch;
import org.diffusion4j.core.training.TrainingCheckpoint;
import org.diffusion4j.core.training.TrainingData;
import org.diffusion4j.core.training.TrainingListener;
import org.diffusion4j.core.training.TrainingProgress;

/**
 * Trains a WaveGrad vocoder through sdk-core's {@link DiffusionTrainer} with {@link WaveGradObjective}
 * (lmnt-com/wavegrad params.py: Adam 2e-4 without weight decay or warm-up, global gradient clipping at 1,
 * 24-frame crops, training schedule linspace(1e-6, 0.01, 1000)).
 *
 * <p>Deviations from lmnt: the learning rate warms up linearly over the first {@code warmupSteps} steps (200 by
 * default), and a new run starts with the FiLM scales at zero ({@link #zeroFilmScales}; {@link FilmInit#LMNT} keeps
 * lmnt's draw). Both were introduced when the small network, with batch 8, diverged after 100 to 200 steps at a
 * constant 2e-4, but those runs predate the fix of libtorch's convolutions (docs/architecture.md, "Known upstream
 * problems"), whose corrupted gradients may have caused the divergence. Since the fix, lmnt's init with the warm-up
 * trains as stably as the zeroed scales: an A/B of 4,000 steps from scratch (docs/benchmarks.md, "FiLM scale
 * initialisation") gave lmnt's init a lower loss for the first 2,000 steps and the zeroed scales a slightly lower loss
 * and better held-out figures at step 4,000, so the zeroed scales stay the default.
 *
 * <p>Layout of a run directory: {@code checkpoints/} holds the trainer's exact, resumable checkpoints;
 * {@code model/} is rewritten at every checkpoint with the EMA weights as a {@link WaveGradCheckpoint}
 * (weights + network config + mel recipe), ready for vocoding. A second call with the same directory resumes
 * from the newest checkpoint and trains up to {@code steps} in total.
 *
 * <p>Data: the batch of step s is drawn from a generator seeded by (seed, s), so it does not depend on what
 * ran before and a resumed run sees the batches the uninterrupted run would have seen.
 */
public final class WaveGradTraining {

    /** How a new run initialises the scale half of each FiLM output conv (a resumed run keeps its weights). */
    public enum FilmInit {
        /** Weights and biases of the scale half set to 0 ({@link #zeroFilmScales}): the modulation starts as a shift. */
        ZERO_SCALE,
        /** lmnt-com/wavegrad's: Xavier-uniform weights, zero bias, for the shift and the scale alike. */
        LMNT
    }

    /** Retries of one step after a non-finite loss or gradient before the run stops. */
    static final int MAX_RETRIES = 3;

    /**
     * Everything a run needs; {@link #defaults(Path, Path)} gives lmnt's settings on the small network.
     * {@code priorStdMin} 0 trains with WaveGrad's N(0, I) noise; a value in (0, 1] trains with PriorGrad's
     * {@link MelEnergyPrior} with that floor, fitted to the training set at the start of the run and stored in the
     * network config (a resumed run must fit the same one).
     */
    public record Options(Path trainList, Path runDir, WaveGradConfig network, RunSettings run, int cropFrames,
                          boolean allowResample, double lowNoiseFraction, FilmInit filmInit, double priorStdMin,
                          double spectralLossWeight, WaveGradObjective.NoiseLoss noiseLoss) {

        /**
         * lmnt's run: 20,000 steps, batch 8, seed 0, Adam 2e-4 after a 200-step warm-up, EMA 0.995, a checkpoint every
         * 50 steps, a constant learning rate.
         */
        public static final RunSettings LMNT_RUN = RunSettings.builder().seed(0).steps(20_000).batchSize(8)
                .learningRate(2e-4).warmupSteps(200).emaDecay(0.995).checkpointEvery(50).build();

        public Options {
            Objects.requireNonNull(trainList, "trainList");
            Objects.requireNonNull(runDir, "runDir");
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(run, "run");
            Objects.requireNonNull(filmInit, "filmInit");
            Objects.requireNonNull(noiseLoss, "noiseLoss");
            if (run.steps() < 1) {
                throw new IllegalArgumentException("steps: expected >= 1, got " + run.steps());
            }
            if (cropFrames < 1) {
                throw new IllegalArgumentException("cropFrames: expected >= 1, got " + cropFrames);
            }
            if (!(lowNoiseFraction >= 0 && lowNoiseFraction <= 1)) {
                throw new IllegalArgumentException("lowNoiseFraction: expected a value in [0, 1], got " + lowNoiseFraction);
            }
            if (!(priorStdMin == 0 || priorStdMin > 0 && priorStdMin <= 1)) {
                throw new IllegalArgumentException("priorStdMin: expected 0 (WaveGrad's N(0, I)) or a PriorGrad floor in "
                        + "(0, 1], got " + priorStdMin);
            }
            if (!(spectralLossWeight >= 0) || Double.isInfinite(spectralLossWeight)) {
                throw new IllegalArgumentException("spectralLossWeight: expected a finite value >= 0, got " + spectralLossWeight);
            }
            if (priorStdMin > 0 && network.prior() != null) {
                throw new IllegalArgumentException("network: expected no prior when priorStdMin is set (the run fits "
                        + "its own), got " + network.prior());
            }
        }

        /**
         * A builder starting from {@link #defaults}: lmnt's settings on the small network ({@link #LMNT_RUN},
         * 24-frame crops, no resampling of the data, WaveGrad's level distribution, zeroed FiLM scales, N(0, I) noise,
         * no spectral loss, L1 on the noise).
         */
        public static Builder builder(Path trainList, Path runDir) {
            return new Builder(trainList, runDir);
        }

        public static Options defaults(Path trainList, Path runDir) {
            return builder(trainList, runDir).build();
        }

        /** A builder holding these options. */
        public Builder toBuilder() {
            return new Builder(trainList, runDir).network(network).run(run).cropFrames(cropFrames)
                    .allowResample(allowResample).lowNoiseFraction(lowNoiseFraction).filmInit(filmInit)
                    .priorStdMin(priorStdMin).spectralLossWeight(spectralLossWeight).noiseLoss(noiseLoss);
        }

        /** Options one setting at a time; {@link #build} checks them all. */
        public static final class Builder {
            private final Path trainList;
            private final Path runDir;
            private WaveGradConfig network = WaveGradConfig.small();
            private RunSettings run = LMNT_RUN;
            private int cropFrames = 24;
            private boolean allowResample;
            private double lowNoiseFraction;
            private FilmInit filmInit = FilmInit.ZERO_SCALE;
            private double priorStdMin;
            private double spectralLossWeight;
            private WaveGradObjective.NoiseLoss noiseLoss = WaveGradObjective.NoiseLoss.L1;

            private Builder(Path trainList, Path runDir) {
                this.trainList = trainList;
                this.runDir = runDir;
            }

            public Builder network(WaveGradConfig v) {
                network = v;
                return this;
            }

            /** Steps, batch, seed, learning rate and its schedule, EMA and checkpoint interval. */
            public Builder run(RunSettings v) {
                run = v;
                return this;
            }

            /** The run settings with the changes {@code edit} makes, e.g. {@code r -> r.steps(500).learningRate(1e-3)}. */
            public Builder run(UnaryOperator<RunSettings.Builder> edit) {
                run = run.with(edit);
                return this;
            }

            public Builder cropFrames(int v) {
                cropFrames = v;
                return this;
            }

            /** Resample clips at another rate to the recipe's (with a warning) instead of refusing them. */
            public Builder allowResample(boolean v) {
                allowResample = v;
                return this;
            }

            /** Fraction of each batch whose levels are drawn log-uniform in the noise variance (low noise). */
            public Builder lowNoiseFraction(double v) {
                lowNoiseFraction = v;
                return this;
            }

            public Builder filmInit(FilmInit v) {
                filmInit = v;
                return this;
            }

            /** 0 for WaveGrad's N(0, I) noise, a floor in (0, 1] for PriorGrad's prior fitted at the start. */
            public Builder priorStdMin(double v) {
                priorStdMin = v;
                return this;
            }

            /** Weight of the auxiliary spectral loss ({@link WaveGradObjective}); 0 for WaveGrad's loss alone. */
            public Builder spectralLossWeight(double v) {
                spectralLossWeight = v;
                return this;
            }

            /** The distance on the noise: L1 (WaveGrad's) or L2 (DDPM's L_simple); see {@link WaveGradObjective}. */
            public Builder noiseLoss(WaveGradObjective.NoiseLoss v) {
                noiseLoss = v;
                return this;
            }

            public Options build() {
                return new Options(trainList, runDir, network, run, cropFrames, allowResample, lowNoiseFraction,
                        filmInit, priorStdMin, spectralLossWeight, noiseLoss);
            }
        }
    }

    private WaveGradTraining() {
    }

    /** The process the trainer carries: only its length matters (WaveGrad ignores the discrete t). */
    public static GaussianDiffusion trainingProcess() {
        return GaussianDiffusion.builder().schedule(NoiseSchedule.fromBetas(InferenceSchedule.train1000().betas())).build();
    }

    /**
     * The trainer's configuration for these options (Adam = AdamW with weight decay 0); with {@code lrDecayFrom ≥ 0}
     * the learning rate decays linearly from that step to 0 at {@code steps}.
     */
    public static TrainerConfig trainerConfig(Options o) {
        return o.run().trainerConfig(o.runDir().resolve("checkpoints")).beta1(0.9).beta2(0.999).epsilon(1e-8)
                .weightDecay(0).gradClipNorm(1.0).keepCheckpoints(10).build();
    }

    /**
     * A resumed run must keep its network: settings that change no parameter shape (the noise-level scale, the
     * LeakyReLU slope) would otherwise load silently and train on with another function. The run's exported model
     * (written at every checkpoint) records the network it was started with.
     */
    private static void requireSameNetwork(Path modelDir, WaveGradConfig requested) throws IOException {
        if (!Files.isRegularFile(modelDir.resolve(WaveGradCheckpoint.META))) {
            return; // a run stopped before its first checkpoint export: the weights' shapes are still checked
        }
        WaveGradConfig trained = WaveGradCheckpoint.readMetadata(modelDir).config();
        if (!trained.equals(requested)) {
            throw new IllegalArgumentException("network: the run in " + modelDir.getParent() + " was started with "
                    + trained + ", got " + requested + " (start a new run directory to train another network)");
        }
    }

    /**
     * The run directory's record of the objective's settings, the noise-level draw, the auxiliary spectral loss and
     * the distance on the noise (the file keeps the name it had when it held the draw alone; runs made before an
     * option lack the file or the key, and had lmnt's draw, 0, no spectral loss, 0, and L1).
     */
    static final String LEVELS_FILE = "noise-levels.properties";

    /** What a run was trained with, as its {@link #LEVELS_FILE} records it. */
    record ObjectiveSettings(double lowNoiseFraction, double spectralLossWeight, WaveGradObjective.NoiseLoss noiseLoss) {

        static ObjectiveSettings of(Options o) {
            return new ObjectiveSettings(o.lowNoiseFraction(), o.spectralLossWeight(), o.noiseLoss());
        }

        /** Refuses {@code requested} naming the first setting that differs from these, the run's own. */
        void requireSameAs(ObjectiveSettings requested, Path runDir) {
            refuseIfDifferent("lowNoiseFraction", lowNoiseFraction, requested.lowNoiseFraction, runDir);
            refuseIfDifferent("spectralLossWeight", spectralLossWeight, requested.spectralLossWeight, runDir);
            refuseIfDifferent("noiseLoss", noiseLoss, requested.noiseLoss, runDir);
        }

        private static void refuseIfDifferent(String name, Object trained, Object requested, Path runDir) {
            if (!trained.equals(requested)) {
                throw new IllegalArgumentException(name + ": the run in " + runDir + " was trained with " + trained
                        + ", got " + requested + " (allow setting changes to continue with another)");
            }
        }
    }

    static ObjectiveSettings readObjectiveSettings(Path runDir) throws IOException {
        Path file = runDir.resolve(LEVELS_FILE);
        if (!Files.isRegularFile(file)) {
            return new ObjectiveSettings(0, 0, WaveGradObjective.NoiseLoss.L1);
        }
        java.util.Properties p = new java.util.Properties();
        try (var in = Files.newBufferedReader(file, java.nio.charset.StandardCharsets.UTF_8)) {
            p.load(in);
        }
        String loss = p.getProperty("noiseLoss", "L1");
        WaveGradObjective.NoiseLoss noiseLoss;
        try {
            noiseLoss = WaveGradObjective.NoiseLoss.valueOf(loss);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": expected noiseLoss=L1 or L2, got " + loss, e);
        }
        return new ObjectiveSettings(number(p, "lowNoiseFraction", null, file), number(p, "spectralLossWeight", "0", file),
                noiseLoss);
    }

    private static double number(java.util.Properties p, String key, String absent, Path file) throws IOException {
        String v = p.getProperty(key, absent);
        try {
            double d = Double.parseDouble(Objects.requireNonNull(v, "missing"));
            if (!(d >= 0) || Double.isInfinite(d)) {
                throw new NumberFormatException("not a finite value >= 0");
            }
            return d;
        } catch (RuntimeException e) {
            throw new IOException(file + ": expected " + key + "=<finite number >= 0>, got " + v, e);
        }
    }

    private static void writeObjectiveSettings(Path runDir, ObjectiveSettings s) throws IOException {
        AtomicFiles.writeString(runDir.resolve(LEVELS_FILE),
                "# WaveGrad training objective: fraction of noise levels drawn log-uniform in 1 - l^2 (0 = lmnt)\n"
                        + "lowNoiseFraction=" + s.lowNoiseFraction() + "\n"
                        + "# weight of the auxiliary log-magnitude STFT loss on the clean estimate (0 = none, lmnt)\n"
                        + "spectralLossWeight=" + s.spectralLossWeight() + "\n"
                        + "# distance on the noise: L1 (WaveGrad, lmnt) or L2 (DDPM's L_simple)\n"
                        + "noiseLoss=" + s.noiseLoss() + "\n");
    }

    /** Crops for step s from a generator seeded by (seed, s). */
    public static TrainingData data(VocoderDataset dataset, long seed, int batchSize, int cropFrames) {
        Objects.requireNonNull(dataset, "dataset");
        return (step, manager) -> {
            NDList b = dataset.randomBatch(manager, NoiseSource.seeded(mix(seed, step)), batchSize, cropFrames);
            return TrainingBatch.of(b.get(0), b.get(1));
        };
    }

    /**
     * Trains (or resumes) up to {@code options.steps()} steps in total and leaves the EMA weights in
     * {@code runDir/model}.
     *
     * @return the step reached
     */
    public static long run(Options o, NDManager manager, PrintStream log) throws IOException {
        return run(o, manager, log, false);
    }

    /**
     * As {@link #run(Options, NDManager, PrintStream)}; with {@code allowSettingChanges} a resumed run continues with
     * {@code o}'s learning rate, warm-up and checkpoint interval where they differ from the checkpoint's (see
     * {@link DiffusionTrainer.Builder#allowSettingChanges}), e.g. to lower the learning rate for the end of a run.
     */
    public static long run(Options requested, NDManager manager, PrintStream log, boolean allowSettingChanges)
            throws IOException {
        MelSpectrogram mel = MelSpectrogram.wavegrad(22050);
        VocoderDataset dataset = VocoderDataset.load(requested.trainList(), mel, requested.allowResample());
        Options o = requested.priorStdMin() > 0 ? withFittedPrior(requested, dataset) : requested;
        WaveGradConfig network = o.network();
        if (mel.recipe().nMels() != o.network().nMels() || mel.recipe().hop() != o.network().hop()) {
            throw new IllegalArgumentException("network: expected nMels " + mel.recipe().nMels() + " and hop "
                    + mel.recipe().hop() + " (the mel recipe), got " + o.network().nMels() + " and " + o.network().hop());
        }
        Files.createDirectories(o.runDir());
        int samples = o.network().hop() * o.cropFrames();
        DiffusionTrainer.Builder builder = DiffusionTrainer.builder().allowSettingChanges(allowSettingChanges)
                .diffusion(trainingProcess())
                .architecture(() -> new WaveGrad(o.network()))
                .inputShapes(new Shape(o.run().batchSize(), samples), new Shape(o.run().batchSize()),
                        new Shape(o.run().batchSize(), o.network().nMels(), o.cropFrames()))
                .objective(new WaveGradObjective(ContinuousNoiseLevels.of(InferenceSchedule.train1000(),
                        o.lowNoiseFraction()), network).withSpectralLoss(o.spectralLossWeight())
                        .withNoiseLoss(o.noiseLoss()));
        Path modelDir = o.runDir().resolve("model");
        long[] lastLogged = {-1};
        long start = System.nanoTime();
        Optional<Path> latest = TrainingCheckpoint.latest(o.runDir().resolve("checkpoints"));
        if (latest.isPresent()) {
            requireSameNetwork(modelDir, o.network());
            ObjectiveSettings trained = readObjectiveSettings(o.runDir());
            if (!allowSettingChanges) {
                trained.requireSameAs(ObjectiveSettings.of(o), o.runDir());
            }
        }
        writeObjectiveSettings(o.runDir(), ObjectiveSettings.of(o));
        try (NDManager scope = manager.newSubManager()) {
            DiffusionTrainer[] holder = new DiffusionTrainer[1];
            builder.listener(new TrainingListener() {
                private double lossSum;
                private int lossCount;

                @Override
                public void onStep(TrainingProgress p) {
                    lossSum += p.loss();
                    lossCount++;
                    if (p.step() % 10 == 0 || p.step() == p.targetStep()) {
                        log.printf(Locale.ROOT, "step %d/%d loss %.4f (mean of last %d) grad-norm %.3f %.3f steps/s %.0f s%n",
                                p.step(), p.targetStep(), lossSum / lossCount, lossCount, p.gradNorm(), p.stepsPerSecond(),
                                (System.nanoTime() - start) / 1e9);
                        log.flush();
                        lossSum = 0;
                        lossCount = 0;
                        lastLogged[0] = p.step();
                    }
                }

                @Override
                public void onCheckpoint(long step, Path file) {
                    try {
                        WaveGradCheckpoint.save(modelDir, (WaveGrad) holder[0].emaBlock(), mel.recipe());
                        log.printf(Locale.ROOT, "checkpoint %s, EMA weights exported to %s%n", file, modelDir);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
            TrainerConfig config = trainerConfig(o);
            try (DiffusionTrainer trainer = latest.isPresent() ? builder.config(config).resume(scope, latest.get())
                    : builder.config(config).build(scope)) {
                holder[0] = trainer;
                if (latest.isPresent()) {
                    log.println("resuming from " + latest.get() + " at step " + trainer.step()
                            + (o.spectralLossWeight() > 0 ? ", spectral loss weight " + o.spectralLossWeight() : "")
                            + ", " + o.noiseLoss() + " on the noise");
                } else {
                    if (o.filmInit() == FilmInit.ZERO_SCALE) {
                        zeroFilmScales((WaveGrad) trainer.block());
                        zeroFilmScales((WaveGrad) trainer.emaBlock());
                    }
                    log.printf(Locale.ROOT, "new run: %s, %d parameters, batch %d x %d frames, seed %d, FiLM init %s, "
                            + "spectral loss weight %s, %s on the noise%n", o.network(),
                            ((WaveGrad) trainer.block()).parameterCount(), o.run().batchSize(), o.cropFrames(), o.run().seed(),
                            o.filmInit(), o.spectralLossWeight(), o.noiseLoss());
                }
                TrainingData data = data(dataset, o.run().seed(), o.run().batchSize(), o.cropFrames());
                long failedStep = -1;
                int retries = 0;
                while (trainer.step() < o.run().steps()) {
                    try {
                        trainer.train(data, o.run().steps() - trainer.step());
                    } catch (NonFiniteLossException e) {
                        // The trainer leaves the state of the step before (nothing of the failed step applied) and
                        // re-derives the step's randomness from (seed, step), so a retry recomputes exactly the same
                        // step. On this machine libtorch CPU produced a NaN gradient now and then that did not recur
                        // on the retry (step 131 of the first shipped run; sdk-text saw the same); a NaN that does
                        // recur is a real divergence and stops the run.
                        retries = e.step() == failedStep ? retries + 1 : 1;
                        failedStep = e.step();
                        if (retries > MAX_RETRIES) {
                            throw e;
                        }
                        log.printf(Locale.ROOT, "%s; retry %d of %d%n", e.getMessage(), retries, MAX_RETRIES);
                    }
                }
                WaveGradCheckpoint.save(modelDir, (WaveGrad) trainer.emaBlock(), mel.recipe());
                return trainer.step();
            }
        }
    }

    /** The options with PriorGrad's prior fitted to the training set put into the network config. */
    private static Options withFittedPrior(Options o, VocoderDataset dataset) {
        List<float[][]> mels = new ArrayList<>();
        dataset.items().forEach(it -> mels.add(it.mel()));
        MelEnergyPrior prior = MelEnergyPrior.fit(mels, dataset.melSpectrogram().recipe(), o.priorStdMin());
        return o.toBuilder().network(o.network().toBuilder().prior(prior).build()).priorStdMin(0).build();
    }

    /**
     * Zeroes the weights and biases of the scale half of every FiLM output conv (the shift half stays as
     * initialised), so that each modulation starts as A(z) = shift and the network starts without the product
     * of fifteen scale factors along the upsampling path. The same idea as DiT's adaLN-Zero (Peebles &amp; Xie
     * 2023, §3.2: zero-initialised modulation for stable training). The scale still gets a gradient, z·∂L/∂A,
     * and grows from zero.
     */
    public static void zeroFilmScales(WaveGrad model) {
        for (int i = 0; i < model.config().blocks(); i++) {
            for (String kind : new String[] {"weight", "bias"}) {
                ai.djl.ndarray.NDArray p = model.parameters().get("film." + i + ".output_conv." + kind).getArray();
                long half = p.getShape().get(0) / 2;
                p.set(new ai.djl.ndarray.index.NDIndex(half + ":"), 0f);
            }
        }
    }

    /** SplitMix64 finaliser of (seed, step): independent generators per step. */
    static long mix(long seed, long step) {
        long z = seed * 0x9E3779B97F4A7C15L + 0xBF58476D1CE4E5B9L * (step + 1) + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * {@code WaveGradTraining TRAIN_LIST RUN_DIR [steps] [batch] [cropFrames] [seed] [checkpointEvery]}: the
     * plain-Java entry point (the samples CLI offers the same as {@code samples audio train}).
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: WaveGradTraining TRAIN_LIST RUN_DIR [steps] [batch] [cropFrames] [seed] [checkpointEvery]");
            System.exit(2);
        }
        Options.Builder b = Options.builder(Path.of(args[0]), Path.of(args[1]));
        if (args.length > 2) {
            b.run(r -> r.steps(Long.parseLong(args[2])));
        }
        if (args.length > 3) {
            b.run(r -> r.batchSize(Integer.parseInt(args[3])));
        }
        if (args.length > 4) {
            b.cropFrames(Integer.parseInt(args[4]));
        }
        if (args.length > 5) {
            b.run(r -> r.seed(Long.parseLong(args[5])));
        }
        if (args.length > 6) {
            b.run(r -> r.checkpointEvery(Integer.parseInt(args[6])));
        }
        Options o = b.build();
        try (NDManager manager = NDManager.newBaseManager()) {
            run(o, manager, System.out);
        }
    }
}
