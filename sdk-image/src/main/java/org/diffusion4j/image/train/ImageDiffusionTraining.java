package org.diffusion4j.image.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.diffusion4j.core.io.AtomicFiles;
import org.diffusion4j.core.training.DiffusionTrainer;
import org.diffusion4j.core.training.NonFiniteLossException;
import org.diffusion4j.core.training.RunSettings;
import org.diffusion4j.core.training.TrainerConfig;
import org.diffusion4j.core.training.TrainingCheckpoint;
import org.diffusion4j.core.training.TrainingListener;
import org.diffusion4j.core.training.TrainingProgress;
import org.diffusion4j.image.data.EpochShuffledBatches;
import org.diffusion4j.image.data.LabeledImages;
import org.diffusion4j.image.model.ImageDiffusionModel;
import org.diffusion4j.image.model.UNet2D;
import org.diffusion4j.image.weights.TorchWeights;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains an {@link ImageDiffusionModel} on a set of images with sdk-core's {@link DiffusionTrainer}, in a run
 * directory that makes it resumable:
 *
 * <pre>
 * run/model.properties        the model description (checked on resume)
 * run/checkpoints/*.d4j       the trainer's checkpoints (weights, EMA, AdamW moments, step)
 * run/ema.safetensors         the bias-corrected EMA weights under improved-diffusion's names, refreshed at
 *                             every checkpoint (see {@link #writeDebiasedEma})
 * </pre>
 *
 * <p>A class-conditional model gets classifier-free-guidance training: each label is replaced by the null class
 * with probability {@code condDropProbability} (Ho &amp; Salimans 2022). Everything random is derived from the
 * trainer's seed, so the same command gives the same weights and a resumed run matches an uninterrupted one.
 */
public final class ImageDiffusionTraining {

    private static final Logger LOG = LoggerFactory.getLogger(ImageDiffusionTraining.class);

    /**
     * The shipped MNIST model's run: seed 0, 3,000 steps, batch 64, AdamW 7e-4 after a 200-step warm-up, EMA 0.998, a
     * checkpoint every 250 steps, a constant learning rate after the warm-up.
     */
    public static final RunSettings MNIST_RUN = RunSettings.builder().seed(0).steps(3_000).batchSize(64).learningRate(7e-4)
            .warmupSteps(200).emaDecay(0.998).checkpointEvery(250).build();

    private final ImageDiffusionModel model;
    private final LabeledImages images;
    private final Path runDir;
    private final TrainerConfig config;
    private final RunSettings run;
    private final boolean flip;
    private final List<TrainingListener> listeners;
    private final int maxRetriesPerStep;
    private final boolean allowSettingChanges;
    private long nonFiniteRetries;

    private ImageDiffusionTraining(Builder b) {
        this.model = Objects.requireNonNull(b.model, "model");
        this.images = Objects.requireNonNull(b.images, "images");
        this.runDir = Objects.requireNonNull(b.runDir, "runDir");
        if (images.channels() != model.unet().inChannels() || images.height() != model.imageSize()
                || images.width() != model.imageSize()) {
            throw new IllegalArgumentException("images: expected " + model.unet().inChannels() + "×" + model.imageSize()
                    + "×" + model.imageSize() + " (channels×height×width of the model), got " + images.channels() + "×"
                    + images.height() + "×" + images.width());
        }
        if (model.unet().classConditional() && !images.hasLabels()) {
            throw new IllegalArgumentException("images: expected labels for a class-conditional model, got none");
        }
        if (b.condDropProbability > 0 && !model.unet().nullClass()) {
            throw new IllegalArgumentException("condDropProbability: expected 0 for a model without a null class, got "
                    + b.condDropProbability);
        }
        this.flip = b.flip;
        this.listeners = List.copyOf(b.listeners);
        if (b.maxRetriesPerStep < 0) {
            throw new IllegalArgumentException("maxRetriesPerStep: expected >= 0, got " + b.maxRetriesPerStep);
        }
        this.maxRetriesPerStep = b.maxRetriesPerStep;
        this.allowSettingChanges = b.allowSettingChanges;
        this.run = Objects.requireNonNull(b.run, "run");
        TrainerConfig.Builder c = run.trainerConfig(runDir.resolve("checkpoints")).gradClipNorm(1.0).keepCheckpoints(2);
        if (model.unet().nullClass()) {
            c.condDropProbability(b.condDropProbability).nullCondition(model.nullClass());
        }
        this.config = c.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Steps that came out non-finite and were run again, over this object's lifetime. */
    public long nonFiniteRetries() {
        return nonFiniteRetries;
    }

    public TrainerConfig trainerConfig() {
        return config;
    }

    /**
     * Trains until the run has {@code totalSteps} optimiser steps, resuming from the newest checkpoint in the run
     * directory if there is one, and writes {@code ema.safetensors}. Returns the step reached.
     *
     * @throws IllegalArgumentException if the run directory holds another model or trainer configuration
     */
    public long trainUntil(long totalSteps) throws IOException {
        if (totalSteps < 1 || totalSteps > run.steps()) {
            throw new IllegalArgumentException("totalSteps: expected a step in [1, run.steps() = " + run.steps()
                    + "], got " + totalSteps);
        }
        return run(totalSteps);
    }

    /**
     * Trains until the run has {@code run.steps()} optimiser steps ({@link #trainUntil} with the run's length).
     *
     * @throws IllegalArgumentException if the run directory holds another model or trainer configuration
     */
    public long train() throws IOException {
        return trainUntil(run.steps());
    }

    /** The run's steps, batch, seed, learning rate and its schedule, EMA decay and checkpoint interval. */
    public RunSettings run() {
        return run;
    }

    /**
     * Rewrites {@code ema.safetensors} from the newest checkpoint without training (e.g. after a run was stopped
     * between checkpoints, or to re-export with this version's bias correction). Returns the checkpoint's step.
     *
     * @throws IOException if the run directory has no checkpoint
     */
    public long exportEma() throws IOException {
        if (TrainingCheckpoint.latest(config.checkpointDir()).isEmpty()) {
            throw new IOException(config.checkpointDir() + ": expected a checkpoint to export, found none");
        }
        return run(0);
    }

    private long run(long totalSteps) throws IOException {
        Files.createDirectories(runDir);
        Path spec = runDir.resolve("model.properties");
        if (Files.exists(spec)) {
            ImageDiffusionModel stored = ImageDiffusionModel.read(runDir);
            if (!stored.equals(model)) {
                throw new IllegalArgumentException("model: expected the run's model " + stored + " (" + spec + "), got "
                        + model);
            }
        } else {
            AtomicFiles.writeString(spec, model.toProperties());
        }
        EpochShuffledBatches data = new EpochShuffledBatches(images, run.batchSize(), config.seed(), flip,
                model.unet().classConditional());
        Shape[] shapes = model.unet().classConditional()
                ? new Shape[] {new Shape(run.batchSize(), images.channels(), images.height(), images.width()),
                    new Shape(run.batchSize()), new Shape(run.batchSize())}
                : new Shape[] {new Shape(run.batchSize(), images.channels(), images.height(), images.width()),
                    new Shape(run.batchSize())};
        long initSeed = config.seed();
        EmaExport export = new EmaExport(runDir.resolve(ImageDiffusionModel.WEIGHTS_FILE), model, initSeed, config.emaDecay());
        DiffusionTrainer.Builder tb = DiffusionTrainer.builder().diffusion(model.diffusion())
                .architecture(() -> new UNet2D(model.unet(), initSeed)).inputShapes(shapes).listener(export)
                .allowSettingChanges(allowSettingChanges);
        for (TrainingListener l : listeners) {
            tb.listener(l);
        }
        Optional<Path> last = TrainingCheckpoint.latest(config.checkpointDir());
        try (NDManager manager = NDManager.newBaseManager();
                DiffusionTrainer trainer = last.isPresent() ? tb.config(config).resume(manager, last.get())
                        : tb.config(config).build(manager)) {
            export.trainer = trainer;
            long failedStep = -1;
            int failures = 0;
            while (trainer.step() < totalSteps) {
                try {
                    trainer.train(data, totalSteps - trainer.step());
                } catch (NonFiniteLossException e) {
                    // The trainer keeps the state of the failed step, so the step can be run again with the same
                    // batch and noise. On this machine the same step has come out finite on a second try (a
                    // sporadic NaN gradient, see docs/image.md); a step that fails repeatedly is a real divergence.
                    failures = e.step() == failedStep ? failures + 1 : 1;
                    failedStep = e.step();
                    nonFiniteRetries++;
                    LOG.warn("{}; retrying the step ({} of {})", e.getMessage(), failures, maxRetriesPerStep);
                    if (failures > maxRetriesPerStep) {
                        throw e;
                    }
                }
            }
            export.write();
            return trainer.step();
        }
    }

    /**
     * The EMA with its start-up bias removed. The trainer's EMA starts at the initial weights θ₀, so after s steps
     * θ_ema = ρ^s·θ₀ + (1 − ρ)·Σ_k ρ^(s−k)·θ_k: for s not much larger than 1/(1 − ρ) it is still partly the
     * random initialisation (the zero-initialised output convolution makes the network's output too small).
     * Dividing out that share, θ̂ = (θ_ema − ρ^s·θ₀)/(1 − ρ^s), leaves a weighted average of the trained weights
     * whose weights sum to one (the bias correction of Adam, Kingma &amp; Ba 2015 §3, applied to the weight
     * average). θ₀ is rebuilt from the seed. For ρ^s below 1e−6 the EMA is returned as it is.
     */
    static void writeDebiasedEma(UNet2D ema, ImageDiffusionModel model, long initSeed, double decay, long steps,
                                 Path file) throws IOException {
        double residual = Math.pow(decay, steps);
        if (steps == 0 || residual < 1e-6) {
            TorchWeights.save(ema.namedParameters(), file);
            return;
        }
        NDManager base = ema.namedParameters().values().iterator().next().getArray().getManager();
        try (NDManager scope = base.newSubManager()) {
            UNet2D init = new UNet2D(model.unet(), initSeed).initialize(scope);
            UNet2D corrected = new UNet2D(model.unet(), initSeed).initialize(scope);
            Map<String, Parameter> e = ema.namedParameters();
            Map<String, Parameter> i0 = init.namedParameters();
            for (Map.Entry<String, Parameter> c : corrected.namedParameters().entrySet()) {
                NDArray theta = e.get(c.getKey()).getArray();
                NDArray start = i0.get(c.getKey()).getArray();
                NDArray fixed = theta.sub(start.mul((float) residual)).div((float) (1 - residual));
                org.diffusion4j.core.memory.NativeArrays.copyInto(c.getValue().getArray(), fixed);
            }
            TorchWeights.save(corrected.namedParameters(), file);
        }
    }

    /** Refreshes the (bias-corrected) EMA weights file whenever the trainer has written a checkpoint. */
    private static final class EmaExport implements TrainingListener {
        private final Path file;
        private final ImageDiffusionModel model;
        private final long initSeed;
        private final double decay;
        private DiffusionTrainer trainer;

        EmaExport(Path file, ImageDiffusionModel model, long initSeed, double decay) {
            this.file = file;
            this.model = model;
            this.initSeed = initSeed;
            this.decay = decay;
        }

        @Override
        public void onStep(TrainingProgress progress) {
        }

        @Override
        public void onCheckpoint(long step, Path checkpoint) {
            try {
                write();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        void write() throws IOException {
            if (trainer != null) {
                writeDebiasedEma((UNet2D) trainer.emaBlock(), model, initSeed, decay, trainer.step(), file);
            }
        }
    }

    public static final class Builder {
        private ImageDiffusionModel model;
        private LabeledImages images;
        private Path runDir;
        private RunSettings run = MNIST_RUN;
        private double condDropProbability = 0.1;
        private boolean flip;
        private int maxRetriesPerStep = 3;
        private boolean allowSettingChanges;
        private final List<TrainingListener> listeners = new ArrayList<>();

        private Builder() {
        }

        public Builder model(ImageDiffusionModel v) { model = v; return this; }
        public Builder images(LabeledImages v) { images = v; return this; }
        public Builder runDir(Path v) { runDir = v; return this; }
        /** Steps, batch, seed, learning rate and its schedule, EMA decay, checkpoint interval ({@link #MNIST_RUN} by default). */
        public Builder run(RunSettings v) { run = v; return this; }
        /** The run settings with the changes {@code edit} makes, e.g. {@code r -> r.steps(25_000).learningRate(1e-4)}. */
        public Builder run(UnaryOperator<RunSettings.Builder> edit) { run = run.with(edit); return this; }
        /** Probability of replacing a label by the null class (classifier-free guidance); 0.1 by default. */
        public Builder condDropProbability(double v) { condDropProbability = v; return this; }
        public Builder flip(boolean v) { flip = v; return this; }
        /** How often one step may come out non-finite and be run again before the run stops (default 3). */
        public Builder maxRetriesPerStep(int v) { maxRetriesPerStep = v; return this; }
        /** Lets a resumed run take a new learning rate, warm-up or checkpoint interval (see
         *  {@link DiffusionTrainer.Builder#allowSettingChanges}). */
        public Builder allowSettingChanges(boolean v) { allowSettingChanges = v; return this; }
        public Builder listener(TrainingListener v) { listeners.add(Objects.requireNonNull(v, "listener")); return this; }

        public ImageDiffusionTraining build() {
            return new ImageDiffusionTraining(this);
        }
    }
}
