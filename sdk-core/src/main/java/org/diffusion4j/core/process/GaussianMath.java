package org.diffusion4j.core.process;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import org.diffusion4j.core.memory.Scalars;

/** Closed forms on diagonal Gaussians used by the variational bound (improved-diffusion's {@code losses.py}). */
public final class GaussianMath {

    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);

    private GaussianMath() {
    }

    /**
     * KL(N(mean1, e^{logVar1}) ‖ N(mean2, e^{logVar2})) elementwise, in nats:
     * ½(−1 + logVar2 − logVar1 + e^{logVar1 − logVar2} + (mean1 − mean2)² e^{−logVar2}).
     * Arguments broadcast against each other only along size-1 axes of the variance arguments.
     */
    public static NDArray normalKl(NDArray mean1, NDArray logVar1, NDArray mean2, NDArray logVar2) {
        // Number arithmetic goes through Scalars: these terms sit in the training graph of the KL objectives.
        NDArray diff = mean1.sub(mean2);
        return Scalars.mul(logVar2.sub(logVar1).sub(1.0)
                .add(logVar1.sub(logVar2).exp())
                .add(diff.mul(diff).mul(logVar2.neg().exp())), 0.5);
    }

    /** Φ(x) ≈ ½(1 + tanh(√(2/π)(x + 0.044715 x³))), the approximation improved-diffusion uses. */
    public static NDArray approxStandardNormalCdf(NDArray x) {
        NDArray cubic = Scalars.mul(x.mul(x).mul(x), 0.044715);
        return Scalars.mul(Scalars.mul(cubic.add(x), SQRT_2_OVER_PI).tanh().add(1.0), 0.5);
    }

    /**
     * log-likelihood of data x ∈ [−1, 1] discretised to 256 bins of width 2/255 under N(mean, e^{2·logScale}):
     * the Gaussian mass of [x − 1/255, x + 1/255], with the edge bins extended to ∓∞ (Ho et al. eq. 13).
     * Probabilities are floored at 1e−12 before the log.
     */
    public static NDArray discretizedGaussianLogLikelihood(NDArray x, NDArray mean, NDArray logScale) {
        if (!x.getShape().equals(mean.getShape())) {
            throw new IllegalArgumentException("mean: expected shape " + x.getShape() + " (as x), got " + mean.getShape());
        }
        NDArray centered = x.sub(mean);
        NDArray invStdv = logScale.neg().exp();
        NDArray cdfPlus = approxStandardNormalCdf(centered.add(1.0 / 255.0).mul(invStdv));
        NDArray cdfMin = approxStandardNormalCdf(centered.sub(1.0 / 255.0).mul(invStdv));
        NDArray logCdfPlus = Scalars.maximum(cdfPlus, 1e-12).log();
        NDArray logOneMinusCdfMin = Scalars.maximum(cdfMin.neg().add(1.0), 1e-12).log();
        NDArray logCdfDelta = Scalars.maximum(cdfPlus.sub(cdfMin), 1e-12).log();
        NDArray upper = NDArrays.where(x.gt(0.999), logOneMinusCdfMin, logCdfDelta);
        return NDArrays.where(x.lt(-0.999), logCdfPlus, upper);
    }

    /** Mean over every axis but the first: [B, ...] → [B]. */
    public static NDArray meanFlat(NDArray x) {
        if (x.getShape().dimension() == 1) {
            return x;
        }
        // The PyTorch engine reduces over one axis at a time: flatten the non-batch axes first.
        return x.reshape(x.getShape().get(0), -1).mean(new int[] {1});
    }
}
