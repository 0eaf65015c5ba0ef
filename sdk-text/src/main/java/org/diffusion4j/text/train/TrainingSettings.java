package org.diffusion4j.text.train;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of a Diffusion-LM training run on E2E ({@link DiffusionLmTraining}). Defaults are the CPU-sized run
 * the shipped model comes from; the paper's E2E recipe is d = 16, BERT-base, lr 1e−4, batch 64, 200K steps.
 *
 * @param runDir          where the vocabulary, configuration, checkpoints and exported model go
 * @param seed            seed of the weights, batches, timesteps and noise
 * @param steps           total optimiser steps of the run (a resumed run continues up to this number)
 * @param batchSize       sentences per step
 * @param learningRate    AdamW peak learning rate
 * @param warmupSteps     linear warm-up steps
 * @param emaDecay        EMA decay of the exported weights
 * @param checkpointEvery steps between checkpoints
 * @param minCount        vocabulary rule: words seen more than this many times
 * @param sequenceLength  L, positions per sentence (START + words + END + PAD); longer sentences are skipped
 * @param embeddingDim    d
 * @param hiddenSize      h
 * @param layers          transformer layers
 * @param heads           attention heads
 * @param dropout         dropout rate
 * @param lrDecayFrom     −1 for a constant learning rate after warm-up, else the step from which it decays linearly to 0
 *                        at {@code steps} (0: improved-diffusion's {@code lr_anneal_steps}, Diffusion-LM's recipe)
 */
public record TrainingSettings(Path runDir, long seed, long steps, int batchSize, double learningRate, int warmupSteps,
        double emaDecay, int checkpointEvery, int minCount, int sequenceLength, int embeddingDim, int hiddenSize,
        int layers, int heads, float dropout, long lrDecayFrom) {

    public TrainingSettings {
        Objects.requireNonNull(runDir, "runDir");
        if (steps < 0) {
            throw new IllegalArgumentException("steps: expected >= 0, got " + steps);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize: expected >= 1, got " + batchSize);
        }
        if (minCount < 0) {
            throw new IllegalArgumentException("minCount: expected >= 0, got " + minCount);
        }
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("checkpointEvery: expected >= 1, got " + checkpointEvery);
        }
        if (lrDecayFrom != -1 && (lrDecayFrom < 0 || lrDecayFrom >= steps)) {
            throw new IllegalArgumentException("lrDecayFrom: expected -1 (no decay) or a step in [0, steps = " + steps
                    + "), got " + lrDecayFrom);
        }
    }

    /** Whether the learning rate decays linearly to 0 at {@link #steps()}. */
    public boolean decaysLearningRate() {
        return lrDecayFrom >= 0;
    }

    /** The shipped run's settings in {@code runDir}. */
    public static TrainingSettings defaults(Path runDir) {
        return builder(runDir).build();
    }

    /**
     * A builder starting from {@link #defaults}: seed 102, 30,000 steps, batch 64, AdamW 1e-3 after a 500-step warm-up,
     * EMA 0.999, a checkpoint every 500 steps, words seen more than 10 times, L = 40, d = 16, h = 128, 2 layers,
     * 4 heads, dropout 0.1, a constant learning rate after the warm-up.
     */
    public static Builder builder(Path runDir) {
        return new Builder(runDir);
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
        return new Builder(runDir)
                .seed(seed).steps(steps).batchSize(batchSize).learningRate(learningRate).warmupSteps(warmupSteps)
                .emaDecay(emaDecay).checkpointEvery(checkpointEvery).minCount(minCount).sequenceLength(sequenceLength)
                .embeddingDim(embeddingDim).hiddenSize(hiddenSize).layers(layers).heads(heads).dropout(dropout)
                .lrDecayFrom(lrDecayFrom);
    }

    public TrainingSettings withSteps(long v) {
        return toBuilder().steps(v).build();
    }

    /** These settings with the learning rate decaying linearly from step {@code from} to 0 at {@link #steps()}. */
    public TrainingSettings withLrDecayFrom(long from) {
        return toBuilder().lrDecayFrom(from).build();
    }

    /** Settings one at a time; {@link #build} checks them all. */
    public static final class Builder {
        private final Path runDir;
        private long seed = 102;
        private long steps = 30_000;
        private int batchSize = 64;
        private double learningRate = 1e-3;
        private int warmupSteps = 500;
        private double emaDecay = 0.999;
        private int checkpointEvery = 500;
        private int minCount = 10;
        private int sequenceLength = 40;
        private int embeddingDim = 16;
        private int hiddenSize = 128;
        private int layers = 2;
        private int heads = 4;
        private float dropout = 0.1f;
        private long lrDecayFrom = -1;

        private Builder(Path runDir) {
            this.runDir = runDir;
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

        public Builder minCount(int v) {
            minCount = v;
            return this;
        }

        public Builder sequenceLength(int v) {
            sequenceLength = v;
            return this;
        }

        public Builder embeddingDim(int v) {
            embeddingDim = v;
            return this;
        }

        public Builder hiddenSize(int v) {
            hiddenSize = v;
            return this;
        }

        public Builder layers(int v) {
            layers = v;
            return this;
        }

        public Builder heads(int v) {
            heads = v;
            return this;
        }

        public Builder dropout(float v) {
            dropout = v;
            return this;
        }

        public Builder lrDecayFrom(long v) {
            lrDecayFrom = v;
            return this;
        }

        public TrainingSettings build() {
            return new TrainingSettings(runDir, seed, steps, batchSize, learningRate, warmupSteps, emaDecay, checkpointEvery,
                    minCount, sequenceLength, embeddingDim, hiddenSize, layers, heads, dropout, lrDecayFrom);
        }
    }
}
