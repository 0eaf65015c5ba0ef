package org.diffusion4j.core.training;

import java.time.Duration;

/**
 * What a {@link TrainingListener} sees after each step.
 *
 * @param step           number of optimiser steps completed in the run (1 after the first step)
 * @param targetStep     the step the current {@link DiffusionTrainer#train} call stops at
 * @param loss           the minimised loss of this step: mean over the batch of w_i·L_i
 * @param learningRate   the learning rate used for this step (after warm-up)
 * @param gradNorm       the global gradient L2 norm before clipping
 * @param stepsPerSecond steps per second since the start of the current call
 * @param eta            estimated time to {@code targetStep} at that rate
 */
public record TrainingProgress(long step, long targetStep, double loss, double learningRate, double gradNorm,
                               double stepsPerSecond, Duration eta) {
}
