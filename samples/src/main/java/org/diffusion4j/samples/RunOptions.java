package org.diffusion4j.samples;

import org.diffusion4j.core.training.RunSettings;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The run options every {@code train} command shares (a picocli mixin), one per field of core's {@link RunSettings}.
 * Each command starts from its domain's recipe: it names a {@link Defaults} subclass as its
 * {@code defaultValueProvider}, so {@code --help} prints the recipe's values, and {@link #settings} lays what was given
 * over the recipe.
 */
public final class RunOptions {

    @Option(names = "--steps", description = "total optimiser steps of the run, counting those of earlier runs in the "
            + "run directory (default: ${DEFAULT-VALUE})")
    Long steps;

    @Option(names = "--batch", description = "examples per step (default: ${DEFAULT-VALUE})")
    Integer batch;

    @Option(names = "--seed", description = "seed of the weights, batches and noise (default: ${DEFAULT-VALUE})")
    Long seed;

    @Option(names = "--lr", description = "peak AdamW learning rate (default: ${DEFAULT-VALUE})")
    Double learningRate;

    @Option(names = "--warmup", description = "linear learning-rate warm-up steps (default: ${DEFAULT-VALUE})")
    Integer warmup;

    @Option(names = "--ema", description = "EMA decay of the exported weights (default: ${DEFAULT-VALUE})")
    Double ema;

    @Option(names = "--checkpoint-every", description = "steps between checkpoints (default: ${DEFAULT-VALUE})")
    Integer checkpointEvery;

    @Option(names = "--lr-decay-from", paramLabel = "STEP", description = "decay the learning rate linearly from this "
            + "step to 0 at --steps (0: improved-diffusion's lr_anneal_steps; a later step anneals a run resumed at "
            + "constant rate, with --change-settings); default: constant after the warm-up")
    Long lrDecayFrom;

    /**
     * {@code recipe} with every option that has a value in its place.
     *
     * @throws IllegalArgumentException naming the option, if {@code --lr-decay-from} is not a step in [0, --steps), or
     *                                  naming the setting, if another value is out of its range
     */
    public RunSettings settings(RunSettings recipe) {
        RunSettings.Builder b = recipe.toBuilder();
        if (steps != null) {
            b.steps(steps);
        }
        if (batch != null) {
            b.batchSize(batch);
        }
        if (seed != null) {
            b.seed(seed);
        }
        if (learningRate != null) {
            b.learningRate(learningRate);
        }
        if (warmup != null) {
            b.warmupSteps(warmup);
        }
        if (ema != null) {
            b.emaDecay(ema);
        }
        if (checkpointEvery != null) {
            b.checkpointEvery(checkpointEvery);
        }
        long total = steps != null ? steps : recipe.steps();
        if (lrDecayFrom != null) {
            if (lrDecayFrom < 0 || lrDecayFrom >= total) {
                throw new IllegalArgumentException("--lr-decay-from: expected a step in [0, --steps = " + total
                        + "), got " + lrDecayFrom);
            }
            b.lrDecayFrom(lrDecayFrom);
        }
        return b.build();
    }

    /** A command's defaults for these options: its domain's recipe. Subclasses need a public no-argument constructor. */
    public abstract static class Defaults implements IDefaultValueProvider {

        protected abstract RunSettings recipe();

        @Override
        public String defaultValue(ArgSpec arg) {
            if (!(arg instanceof OptionSpec option)) {
                return null;
            }
            RunSettings r = recipe();
            return switch (option.longestName()) {
                case "--steps" -> Long.toString(r.steps());
                case "--batch" -> Integer.toString(r.batchSize());
                case "--seed" -> Long.toString(r.seed());
                case "--lr" -> Double.toString(r.learningRate());
                case "--warmup" -> Integer.toString(r.warmupSteps());
                case "--ema" -> Double.toString(r.emaDecay());
                case "--checkpoint-every" -> Integer.toString(r.checkpointEvery());
                case "--lr-decay-from" -> r.decaysLearningRate() ? Long.toString(r.lrDecayFrom()) : null;
                default -> null;
            };
        }
    }
}
