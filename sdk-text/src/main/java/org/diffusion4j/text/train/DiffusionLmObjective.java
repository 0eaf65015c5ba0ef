package org.diffusion4j.text.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import java.util.Objects;
import java.util.function.Supplier;
import org.diffusion4j.core.model.Denoiser;
import org.diffusion4j.core.process.GaussianDiffusion;
import org.diffusion4j.core.process.Prediction;
import org.diffusion4j.core.random.NoiseSource;
import org.diffusion4j.core.training.DiffusionObjective;
import org.diffusion4j.core.training.TrainingBatch;
import org.diffusion4j.text.loss.DiffusionLmLoss;
import org.diffusion4j.text.model.DiffusionLmBlock;

/**
 * Diffusion-LM's end-to-end objective as a {@link DiffusionObjective} for sdk-core's trainer (Li et al. 2022 §4.1
 * with the x0-parameterisation of §4.2; the release's {@code training_losses_e2e}): the batch's x0 holds token
 * ids int64 [B, L]; the embedding is looked up inside the step so that its gradient flows into E, then
 *
 * <pre>
 *   x0 = EMB(w) + σ0·ε0,  x_t = qSample(x0, t, ε)
 *   loss = ‖f(x_t, t) − x0‖² (‖f − EMB(w)‖² at t = 0) − log p(w | x0) + ‖√ᾱ_T·x0‖²
 * </pre>
 *
 * <p>The embedding lives in the trained block, which the trainer creates: {@code block} supplies it once the
 * trainer exists (see {@link DiffusionLmTraining}).
 */
public final class DiffusionLmObjective implements DiffusionObjective {

    private final Supplier<DiffusionLmBlock> block;

    public DiffusionLmObjective(Supplier<DiffusionLmBlock> block) {
        this.block = Objects.requireNonNull(block, "block");
    }

    @Override
    public NDArray losses(GaussianDiffusion diffusion, Denoiser denoiser, TrainingBatch batch, NDArray t, NoiseSource noise) {
        return terms(diffusion, denoiser, batch, t, noise).total();
    }

    /** The three terms, each [B] (for telemetry and tests). */
    public DiffusionLmLoss.Terms terms(GaussianDiffusion diffusion, Denoiser denoiser, TrainingBatch batch, NDArray t,
            NoiseSource noise) {
        if (diffusion.prediction() != Prediction.X0) {
            throw new IllegalArgumentException("diffusion: expected the X0 parameterisation, got " + diffusion.prediction());
        }
        NDArray ids = batch.x0();
        if (ids.getShape().dimension() != 2 || (ids.getDataType() != DataType.INT64 && ids.getDataType() != DataType.INT32)) {
            throw new IllegalArgumentException("batch.x0: expected token ids int64 [B, L], got " + ids.getDataType() + " "
                    + ids.getShape());
        }
        DiffusionLmBlock net = Objects.requireNonNull(block.get(), "block");
        ParameterStore ps = new ParameterStore(ids.getManager(), false);
        double[] alphaBar = diffusion.schedule().alphasCumprod();
        NDArray x0Mean = net.embed(ps, ids, true);
        NDArray x0 = DiffusionLmLoss.sampleX0(x0Mean, alphaBar[0], noise.normalLike(x0Mean));
        NDArray xt = diffusion.qSample(x0, t, noise.normalLike(x0));
        NDArray predicted = denoiser.predict(xt, t);
        NDArray logits = net.logits(ps, x0, true);
        return DiffusionLmLoss.terms(predicted, x0, x0Mean, t, logits, ids, alphaBar[alphaBar.length - 1]);
    }
}
