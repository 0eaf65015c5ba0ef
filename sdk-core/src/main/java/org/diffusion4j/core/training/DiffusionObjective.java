package org.diffusion4j.core.training;

import ai.djl.ndarray.NDArray;
import org.diffusion4j.core.model.Denoiser;
import org.diffusion4j.core.process.GaussianDiffusion;
import org.diffusion4j.core.random.NoiseSource;

/**
 * The per-example loss a {@link DiffusionTrainer} minimises. The default is
 * {@link GaussianDiffusion#trainingLosses} (L_simple, L_hybrid or L_vlb per the process' loss type); domains add
 * terms without forking the trainer, e.g. Diffusion-LM's rounding loss (add −log p(w | x̂₀) computed from
 * {@code trainingLosses(...).modelOutput()}) or WaveGrad's continuous noise level with an L1 loss (ignore t and
 * draw √ᾱ from {@code noise}).
 *
 * <p>Everything the objective creates must live in the batch's manager (the trainer's per-step scope); all its
 * randomness must come from {@code noise}, which the trainer seeds per step so that a resumed run is exact.
 */
@FunctionalInterface
public interface DiffusionObjective {

    /**
     * Per-example losses [B] at timesteps t (int64 [B]) for the batch (conditioning already dropped out where the
     * trainer's configuration asks for it). The trainer multiplies them by the importance weights and averages.
     */
    NDArray losses(GaussianDiffusion diffusion, Denoiser denoiser, TrainingBatch batch, NDArray t, NoiseSource noise);

    /** {@code diffusion.trainingLosses(denoiser, x0, t, ε, cond).loss()} with ε drawn from {@code noise}. */
    static DiffusionObjective standard() {
        return (diffusion, denoiser, batch, t, noise) ->
                diffusion.trainingLosses(denoiser, batch.x0(), t, noise.normalLike(batch.x0()), batch.cond()).loss();
    }
}
