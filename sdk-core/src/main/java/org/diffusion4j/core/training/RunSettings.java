package org.diffusion4j.core.training;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The settings every domain's training run states the same way: how long it runs, on how many examples a step, how
 * fast it learns, what it exports and how often it checkpoints. Each domain's training options hold one of these
 * beside their own settings (network, data, objective) and turn it into a {@link TrainerConfig} with
 * {@link #trainerConfig(Path)}, adding what their recipe fixes (AdamW's β, clipping, how many checkpoints to keep).
 *
 * @param seed            seed of every random draw of the run (weights, batches, t, noise)
 * @param steps           total optimiser steps of the run: a resumed run continues up to this number
 * @param batchSize       examples per step
 * @param learningRate    peak AdamW learning rate η
 * @param warmupSteps     linear warm-up steps (0: none)
 * @param emaDecay        EMA decay ρ ∈ [0, 1) of the exported weights
 * @param checkpointEvery steps between checkpoints
 * @param lrDecayFrom     −1 for a constant η after the warm-up, else the step from which η decays linearly to 0 at
 *                        {@code steps} (0: improved-diffusion's {@code lr_anneal_steps})
 */
public record RunSettings(long seed, long steps, int batchSize, double learningRate, int warmupSteps, double emaDecay,
                          int checkpointEvery, long lrDecayFrom) {

    /** {@code lrDecayFrom} of a run whose learning rate stays constant after the warm-up. */
    public static final long NO_DECAY = -1;

    public RunSettings {
        if (steps < 0) {
            throw new IllegalArgumentException("steps: expected >= 0, got " + steps);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize: expected >= 1, got " + batchSize);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate: expected a finite value > 0, got " + learningRate);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmupSteps: expected >= 0, got " + warmupSteps);
        }
        if (!(emaDecay >= 0 && emaDecay < 1)) {
            throw new IllegalArgumentException("emaDecay: expected a value in [0, 1), got " + emaDecay);
        }
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("checkpointEvery: expected >= 1, got " + checkpointEvery);
        }
        if (lrDecayFrom != NO_DECAY && (lrDecayFrom < 0 || lrDecayFrom >= steps)) {
            throw new IllegalArgumentException("lrDecayFrom: expected -1 (no decay) or a step in [0, steps = " + steps
                    + "), got " + lrDecayFrom);
        }
    }

    /**
     * A builder starting from generic defaults: seed 0, 10,000 steps, batch 32, η = 2e-4 after a 200-step warm-up,
     * EMA 0.999, a checkpoint every 500 steps, no decay. Each domain's options start from their own recipe instead.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
        return new Builder().seed(seed).steps(steps).batchSize(batchSize).learningRate(learningRate)
                .warmupSteps(warmupSteps).emaDecay(emaDecay).checkpointEvery(checkpointEvery).lrDecayFrom(lrDecayFrom);
    }

    /** These settings with the changes {@code edit} makes to a builder holding them, e.g. {@code r -> r.steps(500)}. */
    public RunSettings with(UnaryOperator<Builder> edit) {
        return Objects.requireNonNull(edit, "edit").apply(toBuilder()).build();
    }

    /** Whether the learning rate decays linearly to 0 at {@link #steps()}. */
    public boolean decaysLearningRate() {
        return lrDecayFrom != NO_DECAY;
    }

    /**
     * A {@link TrainerConfig} builder holding these settings: the seed, η, the warm-up, the EMA decay, checkpoints
     * every {@code checkpointEvery} steps in {@code checkpointDir}, and the linear decay from {@code lrDecayFrom} to 0
     * at {@code steps} (none without it). The rest keeps {@link TrainerConfig#builder()}'s defaults for the caller
     * to set.
     */
    public TrainerConfig.Builder trainerConfig(Path checkpointDir) {
        Objects.requireNonNull(checkpointDir, "checkpointDir");
        return TrainerConfig.builder().seed(seed).learningRate(learningRate).warmupSteps(warmupSteps).emaDecay(emaDecay)
                .checkpointDir(checkpointDir).checkpointEvery(checkpointEvery)
                .lrDecay(decaysLearningRate() ? lrDecayFrom : 0, decaysLearningRate() ? steps : 0);
    }

    /** Settings one at a time; {@link #build} checks them all. */
    public static final class Builder {
        private long seed;
        private long steps = 10_000;
        private int batchSize = 32;
        private double learningRate = 2e-4;
        private int warmupSteps = 200;
        private double emaDecay = 0.999;
        private int checkpointEvery = 500;
        private long lrDecayFrom = NO_DECAY;

        private Builder() {
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder steps(long v) {
            steps = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder learningRate(double v) {
            learningRate = v;
            return this;
        }

        public Builder warmupSteps(int v) {
            warmupSteps = v;
            return this;
        }

        public Builder emaDecay(double v) {
            emaDecay = v;
            return this;
        }

        public Builder checkpointEvery(int v) {
            checkpointEvery = v;
            return this;
        }

        /** {@link #NO_DECAY} for a constant learning rate after the warm-up, else the step the linear decay starts. */
        public Builder lrDecayFrom(long v) {
            lrDecayFrom = v;
            return this;
        }

        public RunSettings build() {
            return new RunSettings(seed, steps, batchSize, learningRate, warmupSteps, emaDecay, checkpointEvery,
                    lrDecayFrom);
        }
    }
}
