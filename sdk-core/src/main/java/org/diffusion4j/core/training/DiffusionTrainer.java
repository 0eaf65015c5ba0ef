package org.diffusion4j.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.diffusion4j.core.model.BlockDenoiser;
import org.diffusion4j.core.model.Denoiser;
import org.diffusion4j.core.nn.SeededInitializer;
import org.diffusion4j.core.process.GaussianDiffusion;
import org.diffusion4j.core.random.NoiseSource;

/**
 * Trains any {@link Denoiser} DJL block on a {@link GaussianDiffusion} objective: t drawn uniformly or by
 * loss-aware importance sampling, conditioning dropout for classifier-free guidance, AdamW with linear warm-up,
 * global-norm gradient clipping, an EMA copy of the weights, exact checkpoints and resume.
 *
 * <p>Determinism: the weights are initialised by {@link SeededInitializer} (for parameters of type WEIGHT; biases
 * keep DJL's zero initialiser) and each step draws its conditioning dropout, timesteps and noise from a generator
 * seeded by (seed, step), and reseeds libtorch's process-wide generator (which network-internal dropout uses) from
 * (seed, step) too, so a run depends only on its configuration and data, and a resumed run is bit-identical to an
 * uninterrupted one on the same device. A consequence: other code in the process that draws from libtorch's
 * generator while a trainer runs sees it reseeded at every step.
 *
 * <p>Memory: every step runs in its own sub-manager; the persistent state (weights, EMA, moments) lives in the
 * trainer's manager, a sub-manager of the one given at construction, released by {@link #close()}.
 * Not thread-safe; DJL allows one gradient collector per process at a time.
 */
public final class DiffusionTrainer implements AutoCloseable {

    private static final long STREAM_INIT = 1;
    private static final long STREAM_STEP = 2;
    private static final long STREAM_ENGINE = 3;

    private final GaussianDiffusion diffusion;
    private final TrainerConfig config;
    private final DiffusionObjective objective;
    private final List<TrainingListener> listeners;
    private final NDManager manager;
    private final Block block;
    private final Block emaBlock;
    private final List<String> names = new ArrayList<>();
    private final List<NDArray> params = new ArrayList<>();
    private final List<NDArray> emaParams = new ArrayList<>();
    private final AdamW optimizer;
    private final TimestepSampler timestepSampler;
    private final Denoiser trainingDenoiser;
    private long step;

    private DiffusionTrainer(Builder b, TrainerConfig config, NDManager parent) {
        this.diffusion = b.diffusion;
        this.config = config;
        this.objective = b.objective;
        this.listeners = List.copyOf(b.listeners);
        this.manager = parent.newSubManager();
        try {
            block = b.architecture.get();
            emaBlock = b.architecture.get();
            if (block == null || emaBlock == null || block == emaBlock) {
                throw new IllegalArgumentException("architecture: expected a supplier of a new Block per call, got "
                        + (block == null || emaBlock == null ? "null" : "the same instance twice"));
            }
            block.setInitializer(new SeededInitializer(NoiseSource.seeded(mix(config.seed(), STREAM_INIT, 0))),
                    Parameter.Type.WEIGHT);
            block.initialize(manager, DataType.FLOAT32, b.inputShapes);
            // The EMA copy starts equal to the weights; zeros avoid touching libtorch's global generator.
            emaBlock.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
            emaBlock.initialize(manager, DataType.FLOAT32, b.inputShapes);
            ParameterList trained = block.getParameters();
            ParameterList copies = emaBlock.getParameters();
            if (trained.size() != copies.size()) {
                throw new IllegalArgumentException("architecture: two blocks from the supplier have " + trained.size()
                        + " and " + copies.size() + " parameters");
            }
            for (int i = 0; i < trained.size(); i++) {
                NDArray p = trained.valueAt(i).getArray();
                NDArray e = copies.valueAt(i).getArray();
                if (!p.getShape().equals(e.getShape())) {
                    throw new IllegalArgumentException("architecture: parameter " + trained.keyAt(i)
                            + " has shapes " + p.getShape() + " and " + e.getShape() + " in two blocks from the supplier");
                }
                copies.valueAt(i).freeze(true);
                org.diffusion4j.core.memory.NativeArrays.copyInto(e, p);
                names.add(trained.keyAt(i));
                params.add(p);
                emaParams.add(e);
            }
            optimizer = new AdamW(manager, params, config.beta1(), config.beta2(), config.epsilon(), config.weightDecay());
            timestepSampler = config.timestepSampling() == TimestepSampling.UNIFORM
                    ? new UniformTimestepSampler(diffusion.numTimesteps())
                    : new LossSecondMomentResampler(diffusion.numTimesteps(), config.historyPerTimestep(),
                    config.uniformProbability());
            trainingDenoiser = new BlockDenoiser(block, new ParameterStore(manager, false), true);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Completed optimiser steps. */
    public long step() {
        return step;
    }

    public TrainerConfig config() {
        return config;
    }

    public GaussianDiffusion diffusion() {
        return diffusion;
    }

    /** The trained block (live weights). */
    public Block block() {
        return block;
    }

    /** The EMA block: same architecture, EMA weights, updated in place after every step; what sampling should use. */
    public Block emaBlock() {
        return emaBlock;
    }

    /** An inference denoiser over the EMA weights. */
    public Denoiser emaDenoiser() {
        return new BlockDenoiser(emaBlock, new ParameterStore(manager, false), false);
    }

    /** An inference denoiser over the raw (non-averaged) weights. */
    public Denoiser denoiser() {
        return new BlockDenoiser(block, new ParameterStore(manager, false), false);
    }

    /** Parameter names in DJL order (the order of checkpoints). */
    public List<String> parameterNames() {
        return List.copyOf(names);
    }

    /**
     * Runs {@code steps} more optimiser steps on {@code data}, writing checkpoints as configured and one at the end
     * (when a checkpoint directory is set).
     *
     * @throws IllegalArgumentException if the run would go past {@link TrainerConfig#lrDecayEndStep()}, where the
     *                                learning rate is 0 and further steps would only cost time
     * @throws NonFiniteLossException if a step's loss or gradient norm is not finite; the state stays that of the
     *                                step before, and the last checkpoint is intact
     * @throws IOException            if a checkpoint cannot be written
     */
    public void train(TrainingData data, long steps) throws IOException {
        Objects.requireNonNull(data, "data");
        if (steps < 0) {
            throw new IllegalArgumentException("steps: expected a value >= 0, got " + steps);
        }
        long target = step + steps;
        if (steps > 0 && config.decayedToZeroAt(target - 1)) {
            throw new IllegalArgumentException("steps: the learning rate decays to 0 at step " + config.lrDecayEndStep()
                    + " (lrDecayEndStep), so training may go up to that step; got " + steps + " steps from step " + step
                    + " (to " + target + ")");
        }
        long start = System.nanoTime();
        long done = 0;
        while (step < target) {
            StepResult r = runStep(data);
            done++;
            double seconds = Math.max((System.nanoTime() - start) / 1e9, 1e-9);
            double rate = done / seconds;
            Duration eta = Duration.ofMillis((long) ((target - step) / rate * 1000.0));
            TrainingProgress progress = new TrainingProgress(step, target, r.loss, r.learningRate, r.gradNorm, rate, eta);
            for (TrainingListener l : listeners) {
                l.onStep(progress);
            }
            if (config.checkpointDir() != null && config.checkpointEvery() > 0 && step % config.checkpointEvery() == 0
                    && step < target) {
                saveCheckpoint();
            }
        }
        if (config.checkpointDir() != null && steps > 0) {
            saveCheckpoint();
        }
        for (TrainingListener l : listeners) {
            l.onEnd(step);
        }
    }

    private record StepResult(double loss, double learningRate, double gradNorm) {
    }

    private StepResult runStep(TrainingData data) {
        long s = step;
        try (NDManager scope = manager.newSubManager()) {
            scope.tempAttachAll(new NDList(params));
            scope.tempAttachAll(new NDList(emaParams));
            NoiseSource noise = NoiseSource.seeded(mix(config.seed(), STREAM_STEP, s));
            // Randomness inside the network (DJL's Dropout, libtorch's dropout op) draws from libtorch's
            // process-wide generator, which nothing else seeds: reseed it from (seed, step) so that such draws are
            // reproducible and a resumed run repeats them too.
            manager.getEngine().setRandomSeed(engineSeed(config.seed(), s));
            TrainingBatch batch = data.batch(s, scope);
            if (batch == null) {
                throw new IllegalArgumentException("data: expected a batch for step " + s + ", got null");
            }
            lend(scope, batch);
            int b = batch.size();
            TrainingBatch used = dropConditioning(batch, noise, scope);
            TimestepSampler.Draw draw = timestepSampler.sample(b, noise);
            NDArray t = scope.create(draw.timesteps());
            float[] w = new float[b];
            for (int i = 0; i < b; i++) {
                w[i] = (float) draw.weights()[i];
            }
            NDArray weights = scope.create(w);
            NDArray perExample;
            NDArray loss;
            List<NDArray> grads;
            try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                perExample = objective.losses(diffusion, trainingDenoiser, used, t, noise);
                if (perExample == null || !perExample.getShape().equals(new Shape(b))) {
                    throw new IllegalArgumentException("objective: expected per-example losses of shape [" + b + "], got "
                            + (perExample == null ? "null" : perExample.getShape()));
                }
                loss = perExample.mul(weights.toType(perExample.getDataType(), false)).mean();
                gc.backward(loss);
            }
            grads = gradients();
            boolean finite = false;
            try {
                double lossValue = loss.toType(DataType.FLOAT64, false).getDouble();
                if (!Double.isFinite(lossValue)) {
                    throw new NonFiniteLossException(s, "loss", lossValue);
                }
                double norm = globalNorm(grads);
                if (!Double.isFinite(norm)) {
                    throw new NonFiniteLossException(s, "gradient norm", norm);
                }
                double scale = config.gradClipNorm() > 0 ? Math.min(1.0, config.gradClipNorm() / (norm + 1e-6)) : 1.0;
                double lr = config.learningRateAt(s);
                optimizer.step(scope, params, grads, lr, scale);
                updateEma(scope);
                timestepSampler.update(draw.timesteps(), perExample.toType(DataType.FLOAT64, false).toDoubleArray());
                step = s + 1;
                finite = true;
                return new StepResult(lossValue, lr, norm);
            } finally {
                for (NDArray g : grads) {
                    if (g != null) {
                        if (finite) {
                            g.subi(g);
                        } else {
                            // An in-place fill: unlike g − g it also clears NaN and infinities.
                            g.set(new NDIndex("..."), 0f);
                        }
                    }
                }
            }
        }
    }

    private static void lend(NDManager scope, TrainingBatch batch) {
        List<NDArray> arrays = new ArrayList<>();
        arrays.add(batch.x0());
        arrays.addAll(batch.cond());
        for (NDArray a : arrays) {
            if (a.getManager() != scope) {
                scope.tempAttachAll(a);
            }
        }
    }

    /** Replaces each example's conditioning by the null value with probability p (one draw per example). */
    private TrainingBatch dropConditioning(TrainingBatch batch, NoiseSource noise, NDManager scope) {
        double p = config.condDropProbability();
        if (p == 0.0 || batch.cond().isEmpty()) {
            return batch;
        }
        int b = batch.size();
        boolean[] drop = new boolean[b];
        for (int i = 0; i < b; i++) {
            drop[i] = noise.nextDouble() < p;
        }
        NDArray mask = scope.create(drop);
        NDList cond = new NDList();
        for (NDArray c : batch.cond()) {
            long[] shape = new long[c.getShape().dimension()];
            Arrays.fill(shape, 1L);
            shape[0] = b;
            NDArray m = mask.reshape(new Shape(shape));
            NDArray nullValue = scope.full(c.getShape(), (float) config.nullCondition(), c.getDataType());
            cond.add(NDArrays.where(m.broadcast(c.getShape()), nullValue, c));
        }
        return new TrainingBatch(batch.x0(), cond);
    }

    private List<NDArray> gradients() {
        List<NDArray> grads = new ArrayList<>(params.size());
        for (NDArray p : params) {
            NDArray g;
            try {
                g = p.getGradient();
            } catch (IllegalStateException e) {
                g = null; // this parameter did not take part in the loss
            }
            grads.add(g);
        }
        return grads;
    }

    /** √Σ‖g‖² over all parameters, read back to the host once. */
    private static double globalNorm(List<NDArray> grads) {
        NDList squares = new NDList();
        for (NDArray g : grads) {
            if (g != null) {
                squares.add(g.square().sum());
            }
        }
        if (squares.isEmpty()) {
            return 0.0;
        }
        return Math.sqrt(NDArrays.stack(squares).sum().toType(DataType.FLOAT64, false).getDouble());
    }

    /** θ_ema ← θ_ema + (1 − ρ)(θ − θ_ema), i.e. ρ·θ_ema + (1 − ρ)·θ, with one 0-d scalar per step. */
    private void updateEma(NDManager scope) {
        NDArray rate = scope.create((float) (1.0 - config.emaDecay()));
        for (int i = 0; i < params.size(); i++) {
            NDArray e = emaParams.get(i);
            e.addi(params.get(i).sub(e).muli(rate));
        }
    }

    /**
     * Writes a checkpoint of the current state to the configured directory and prunes old ones.
     *
     * @return the file written
     * @throws IllegalStateException if no checkpoint directory is configured
     */
    public Path saveCheckpoint() throws IOException {
        if (config.checkpointDir() == null) {
            throw new IllegalStateException("checkpointDir: not configured, cannot write a checkpoint");
        }
        Path file = TrainingCheckpoint.fileFor(config.checkpointDir(), step);
        saveCheckpoint(file);
        List<Path> all = TrainingCheckpoint.list(config.checkpointDir());
        for (int i = 0; i < all.size() - config.keepCheckpoints(); i++) {
            Files.deleteIfExists(all.get(i));
        }
        for (TrainingListener l : listeners) {
            l.onCheckpoint(step, file);
        }
        return file;
    }

    /** Writes a checkpoint of the current state to {@code file} atomically. */
    public void saveCheckpoint(Path file) throws IOException {
        List<Shape> shapes = new ArrayList<>();
        for (NDArray p : params) {
            shapes.add(p.getShape());
        }
        LossSecondMomentResampler.State state = timestepSampler instanceof LossSecondMomentResampler r ? r.state() : null;
        new TrainingCheckpoint(config, diffusion.toString(), step, names, shapes, new NDList(params),
                new NDList(emaParams), optimizer.updates(), optimizer.firstMoments(), optimizer.secondMoments(), state)
                .write(file);
    }

    private void restore(TrainingCheckpoint ckpt) {
        if (!ckpt.diffusion().equals(diffusion.toString())) {
            throw new IllegalArgumentException("diffusion: the checkpoint was trained with " + ckpt.diffusion()
                    + ", got " + diffusion);
        }
        if (!ckpt.names().equals(names)) {
            throw new IllegalArgumentException("architecture: checkpoint parameters " + ckpt.names()
                    + " differ from the block's " + names);
        }
        for (int i = 0; i < params.size(); i++) {
            if (!ckpt.shapes().get(i).equals(params.get(i).getShape())) {
                throw new IllegalArgumentException("architecture: parameter " + names.get(i) + " has shape "
                        + ckpt.shapes().get(i) + " in the checkpoint, got " + params.get(i).getShape());
            }
        }
        copy(ckpt.weights(), params);
        copy(ckpt.ema(), emaParams);
        optimizer.restore(ckpt.adamUpdates(), ckpt.adamM(), ckpt.adamV());
        if (timestepSampler instanceof LossSecondMomentResampler r) {
            if (ckpt.samplerState() == null) {
                throw new IllegalArgumentException("checkpoint: expected an importance-sampling history, got none");
            }
            r.restore(ckpt.samplerState());
        }
        step = ckpt.step();
    }

    private void copy(NDList source, List<NDArray> target) {
        for (int i = 0; i < target.size(); i++) {
            if (!source.get(i).getShape().equals(target.get(i).getShape())) {
                throw new IllegalArgumentException("checkpoint: array " + names.get(i) + " has shape "
                        + source.get(i).getShape() + ", expected " + target.get(i).getShape());
            }
            org.diffusion4j.core.memory.NativeArrays.copyInto(target.get(i), source.get(i));
        }
    }

    /** The seed libtorch's generator gets before step {@code step}: a non-negative int, as DJL takes it. */
    static int engineSeed(long seed, long step) {
        return (int) (mix(seed, STREAM_ENGINE, step) >>> 33);
    }

    /** SplitMix64's finaliser over (seed, stream, index): independent, reproducible seeds per use and step. */
    static long mix(long seed, long stream, long index) {
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1) + 0xD1B54A32D192ED03L * stream;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public void close() {
        manager.close();
    }

    /** Builder of a trainer: the process, the architecture, the input shapes, and the run's configuration. */
    public static final class Builder {
        private GaussianDiffusion diffusion;
        private Supplier<? extends Block> architecture;
        private Shape[] inputShapes;
        private TrainerConfig config;
        private DiffusionObjective objective = DiffusionObjective.standard();
        private final List<TrainingListener> listeners = new ArrayList<>();
        private boolean allowSettingChanges;

        private Builder() {
        }

        public Builder diffusion(GaussianDiffusion diffusion) {
            this.diffusion = diffusion;
            return this;
        }

        /** A supplier of new, uninitialised blocks of one architecture (called twice: weights and EMA copy). */
        public Builder architecture(Supplier<? extends Block> architecture) {
            this.architecture = architecture;
            return this;
        }

        /** The shapes of the block's inputs (x_t, t, cond...) used to initialise it, e.g. [B, 2] and [B]. */
        public Builder inputShapes(Shape... inputShapes) {
            this.inputShapes = inputShapes == null ? null : inputShapes.clone();
            return this;
        }

        public Builder config(TrainerConfig config) {
            this.config = config;
            return this;
        }

        /**
         * Whether {@link #resume} may continue a run with the settings of {@link #config} where they differ from the
         * checkpoint's in {@link TrainerConfig#CHANGEABLE_ON_RESUME} only (e.g. a lower learning rate for the last
         * stretch of a run). Off by default, so that a resumed run silently continuing with other settings than it
         * was started with (a command-line default that changed, a typo) is an error.
         */
        public Builder allowSettingChanges(boolean allow) {
            this.allowSettingChanges = allow;
            return this;
        }

        public Builder objective(DiffusionObjective objective) {
            this.objective = objective;
            return this;
        }

        public Builder listener(TrainingListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        private void validate() {
            if (diffusion == null) {
                throw new IllegalArgumentException("diffusion: expected a GaussianDiffusion, got null");
            }
            if (architecture == null) {
                throw new IllegalArgumentException("architecture: expected a Block supplier, got null");
            }
            if (inputShapes == null || inputShapes.length == 0) {
                throw new IllegalArgumentException("inputShapes: expected the shapes of (x_t, t, ...), got none");
            }
            if (objective == null) {
                throw new IllegalArgumentException("objective: expected a DiffusionObjective, got null");
            }
        }

        /** A fresh run, its state in a sub-manager of {@code manager}. */
        public DiffusionTrainer build(NDManager manager) {
            validate();
            if (config == null) {
                throw new IllegalArgumentException("config: expected a TrainerConfig, got null");
            }
            return new DiffusionTrainer(this, config, Objects.requireNonNull(manager, "manager"));
        }

        /**
         * Continues the run saved in {@code checkpoint}, with the configuration stored there. A configuration set on
         * this builder must equal it except for {@code checkpointDir}, which it replaces (so a moved run resumes),
         * and, with {@link #allowSettingChanges}, the settings of {@link TrainerConfig#CHANGEABLE_ON_RESUME}: the
         * resumed run and its next checkpoints then use the new values (AdamW moments, EMA, step and random streams
         * carry on).
         *
         * @throws IOException              if the checkpoint cannot be read
         * @throws IllegalArgumentException if the configuration, the process or the architecture differ
         */
        public DiffusionTrainer resume(NDManager manager, Path checkpoint) throws IOException {
            validate();
            Objects.requireNonNull(manager, "manager");
            try (NDManager scratch = manager.newSubManager()) {
                TrainingCheckpoint ckpt = TrainingCheckpoint.read(checkpoint, scratch);
                TrainerConfig effective = ckpt.config();
                if (config != null) {
                    // Where checkpoints go is where the run lives now, not part of what the run is: a run folder
                    // that was moved or copied resumes, and writes its next checkpoints to the new place.
                    List<String> changed = new ArrayList<>(ckpt.config().differences(config));
                    changed.remove("checkpointDir");
                    List<String> fixed = new ArrayList<>(changed);
                    fixed.removeAll(TrainerConfig.CHANGEABLE_ON_RESUME);
                    if (!fixed.isEmpty() || (!changed.isEmpty() && !allowSettingChanges)) {
                        List<String> refused = allowSettingChanges ? fixed : changed;
                        String changeable = new TreeSet<>(TrainerConfig.CHANGEABLE_ON_RESUME).toString();
                        String hint = allowSettingChanges ? "only " + changeable + " may change on resume"
                                : "allowSettingChanges(true) lets " + changeable + " change on resume";
                        throw new IllegalArgumentException("config: expected the checkpoint's settings "
                                + ckpt.config().describe(refused) + ", got " + config.describe(refused)
                                + " (" + hint + ")");
                    }
                    effective = config;
                }
                DiffusionTrainer trainer = new DiffusionTrainer(this, effective, manager);
                try {
                    trainer.restore(ckpt);
                } catch (RuntimeException e) {
                    trainer.close();
                    throw e;
                }
                return trainer;
            }
        }
    }
}
