package org.diffusion4j.text.train;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.diffusion4j.core.training.RunSettings;

/**
 * Settings of a Diffusion-LM training run on E2E ({@link DiffusionLmTraining}): the run settings every domain
 * shares ({@link RunSettings}) and the vocabulary and network of this one. Defaults are the CPU-sized run the shipped
 * model comes from; the paper's E2E recipe is d = 16, BERT-base, lr 1e−4, batch 64, 200K steps.
 *
 * @param runDir          where the vocabulary, configuration, checkpoints and exported model go
 * @param run             seed (of the weights, batches, timesteps and noise), steps, sentences per step, AdamW
 *                        learning rate and its schedule, EMA decay, checkpoint interval
 * @param minCount        vocabulary rule: words seen more than this many times
 * @param sequenceLength  L, positions per sentence (START + words + END + PAD); longer sentences are skipped
 * @param embeddingDim    d
 * @param hiddenSize      h
 * @param layers          transformer layers
 * @param heads           attention heads
 * @param dropout         dropout rate
 */
public record TrainingSettings(Path runDir, RunSettings run, int minCount, int sequenceLength, int embeddingDim,
        int hiddenSize, int layers, int heads, float dropout) {

    /**
     * The shipped model's run: seed 102, 30,000 steps, batch 64, AdamW 1e-3 after a 500-step warm-up, EMA 0.999, a
     * checkpoint every 500 steps, a constant learning rate after the warm-up.
     */
    public static final RunSettings E2E_RUN = RunSettings.builder().seed(102).steps(30_000).batchSize(64)
            .learningRate(1e-3).warmupSteps(500).emaDecay(0.999).checkpointEvery(500).build();

    public TrainingSettings {
        Objects.requireNonNull(runDir, "runDir");
        Objects.requireNonNull(run, "run");
        if (minCount < 0) {
            throw new IllegalArgumentException("minCount: expected >= 0, got " + minCount);
        }
    }

    /** The shipped run's settings in {@code runDir}. */
    public static TrainingSettings defaults(Path runDir) {
        return builder(runDir).build();
    }

    /**
     * A builder starting from {@link #defaults}: {@link #E2E_RUN}, words seen more than 10 times, L = 40, d = 16,
     * h = 128, 2 layers, 4 heads, dropout 0.1.
     */
    public static Builder builder(Path runDir) {
        return new Builder(runDir);
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
        return new Builder(runDir).run(run).minCount(minCount).sequenceLength(sequenceLength).embeddingDim(embeddingDim)
                .hiddenSize(hiddenSize).layers(layers).heads(heads).dropout(dropout);
    }

    /** These settings with the run settings changed by {@code edit}, e.g. {@code r -> r.steps(4).lrDecayFrom(2)}. */
    public TrainingSettings withRun(UnaryOperator<RunSettings.Builder> edit) {
        return toBuilder().run(edit).build();
    }

    /** Settings one at a time; {@link #build} checks them all. */
    public static final class Builder {
        private final Path runDir;
        private RunSettings run = E2E_RUN;
        private int minCount = 10;
        private int sequenceLength = 40;
        private int embeddingDim = 16;
        private int hiddenSize = 128;
        private int layers = 2;
        private int heads = 4;
        private float dropout = 0.1f;

        private Builder(Path runDir) {
            this.runDir = runDir;
        }

        public Builder run(RunSettings v) {
            run = v;
            return this;
        }

        /** The run settings with the changes {@code edit} makes, e.g. {@code r -> r.steps(500).learningRate(1e-4)}. */
        public Builder run(UnaryOperator<RunSettings.Builder> edit) {
            run = run.with(edit);
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

        public TrainingSettings build() {
            return new TrainingSettings(runDir, run, minCount, sequenceLength, embeddingDim, hiddenSize, layers, heads,
                    dropout);
        }
    }
}
