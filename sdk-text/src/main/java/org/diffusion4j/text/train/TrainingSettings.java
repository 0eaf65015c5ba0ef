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

    /** Settings with a constant learning rate after warm-up. */
    public TrainingSettings(Path runDir, long seed, long steps, int batchSize, double learningRate, int warmupSteps,
            double emaDecay, int checkpointEvery, int minCount, int sequenceLength, int embeddingDim, int hiddenSize,
            int layers, int heads, float dropout) {
        this(runDir, seed, steps, batchSize, learningRate, warmupSteps, emaDecay, checkpointEvery, minCount,
                sequenceLength, embeddingDim, hiddenSize, layers, heads, dropout, -1);
    }

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
        return new TrainingSettings(runDir, 102, 30_000, 64, 1e-3, 500, 0.999, 500, 10, 40, 16, 128, 2, 4, 0.1f);
    }

    public TrainingSettings withSteps(long v) {
        return new TrainingSettings(runDir, seed, v, batchSize, learningRate, warmupSteps, emaDecay, checkpointEvery,
                minCount, sequenceLength, embeddingDim, hiddenSize, layers, heads, dropout, lrDecayFrom);
    }

    /** These settings with the learning rate decaying linearly from step {@code from} to 0 at {@link #steps()}. */
    public TrainingSettings withLrDecayFrom(long from) {
        return new TrainingSettings(runDir, seed, steps, batchSize, learningRate, warmupSteps, emaDecay, checkpointEvery,
                minCount, sequenceLength, embeddingDim, hiddenSize, layers, heads, dropout, from);
    }
}
