package org.diffusion4j.text.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;
import org.diffusion4j.core.memory.Scalars;

/**
 * The pieces of Diffusion-LM's end-to-end objective (Li et al. 2022 §4.1, eq. for L_e2e_simple with the
 * x0-parameterisation of §4.2; term by term as the release's {@code training_losses_e2e}) as pure functions
 * over NDArrays. Every term is returned per example, shape [B], averaged over the non-batch elements
 * ("mean_flat"); the caller averages over the batch. The diffusion-specific parts (drawing t, computing x_t
 * with {@code GaussianDiffusion.qSample}) stay in sdk-core.
 *
 * <pre>
 *   x0    = EMB(w) + σ0·ε,  σ0 = √(1 − ᾱ_0)                          (embedding noise, {@link #sampleX0})
 *   mse   = mean‖f(x_t, t) − x0‖², but ‖f(x_1, 1) − EMB(w)‖² where t = 0  ({@link #x0Mse})
 *   nll   = mean over positions of −log softmax(x0·Eᵀ + b)_w             ({@link #roundingNll})
 *   prior = mean‖√ᾱ_T · x0‖²  (q(x_T | x0) should have mean ≈ 0)        ({@link #priorTerm})
 *   loss  = mse + nll + prior
 * </pre>
 */
public final class DiffusionLmLoss {

    private DiffusionLmLoss() {
    }

    /** The three terms, each [B]. */
    public record Terms(NDArray mse, NDArray nll, NDArray prior) {

        /** mse + nll + prior, [B]. */
        public NDArray total() {
            return mse.add(nll).add(prior);
        }
    }

    /** σ0 = √(1 − ᾱ_0), the std of the embedding noise (0.121 for the sqrt schedule with T = 2,000). */
    public static double sigma0(double alphaBar0) {
        checkAlphaBar("alphaBar0", alphaBar0);
        return Math.sqrt(1.0 - alphaBar0);
    }

    /** x0 = EMB(w) + σ0·ε; {@code noise} has the shape of {@code embedded}. */
    public static NDArray sampleX0(NDArray embedded, double alphaBar0, NDArray noise) {
        sameShape("noise", noise, embedded);
        return embedded.add(noise.mul(sigma0(alphaBar0)));
    }

    /** mean over all non-batch elements of (a − b)², [B]. */
    public static NDArray meanFlatSquaredError(NDArray predicted, NDArray target) {
        sameShape("target", target, predicted);
        return meanFlat(predicted.sub(target).square());
    }

    /**
     * The x0-parameterised MSE: ‖f − x0‖² per example, replaced by ‖f − EMB(w)‖² for examples drawn at
     * t = 0 (the ‖EMB(w) − μ_θ(x_1, 1)‖² term, which pulls the first step to the clean embedding).
     *
     * @param predicted f(x_t, t), [B, L, d]
     * @param x0        the noisy embedding x0, [B, L, d]
     * @param x0Mean    EMB(w), [B, L, d]
     * @param t         int64 [B] timesteps of the schedule (index 0 = first noising step)
     */
    public static NDArray x0Mse(NDArray predicted, NDArray x0, NDArray x0Mean, NDArray t) {
        sameShape("x0Mean", x0Mean, x0);
        Objects.requireNonNull(t, "t");
        if (!t.getShape().equals(new Shape(predicted.getShape().get(0)))) {
            throw new IllegalArgumentException("t: expected shape [" + predicted.getShape().get(0) + "], got " + t.getShape());
        }
        NDArray atZero = t.eq(0);
        return NDArrayWhere.where(atZero, meanFlatSquaredError(predicted, x0Mean), meanFlatSquaredError(predicted, x0));
    }

    /**
     * −log p(w | x0) averaged over positions: cross-entropy of the rounding logits against the tokens.
     *
     * @param logits x0·Eᵀ + b, [B, L, V]
     * @param ids    int64 [B, L]
     */
    public static NDArray roundingNll(NDArray logits, NDArray ids) {
        Objects.requireNonNull(logits, "logits");
        Objects.requireNonNull(ids, "ids");
        Shape ls = logits.getShape();
        if (ls.dimension() != 3 || !ids.getShape().equals(ls.slice(0, 2))) {
            throw new IllegalArgumentException("ids: expected shape " + ls.slice(0, 2) + " matching logits " + ls + ", got " + ids.getShape());
        }
        NDArray logp = logits.logSoftmax(2);
        NDArray picked = logp.mul(ids.toType(DataType.INT64, false).oneHot((int) ls.get(2), logp.getDataType())).sum(new int[] {2});
        return picked.neg().mean(new int[] {1});
    }

    /** mean over non-batch elements of (√ᾱ_T·x0)², [B]; ᾱ_T is the last cumulative product of the schedule. */
    public static NDArray priorTerm(NDArray x0, double alphaBarLast) {
        checkAlphaBar("alphaBarLast", alphaBarLast);
        return meanFlat(Scalars.mul(x0, Math.sqrt(alphaBarLast)).square());
    }

    /** All three terms; {@code logitsOfX0} are the rounding logits of the noisy x0 (not of the prediction). */
    public static Terms terms(NDArray predicted, NDArray x0, NDArray x0Mean, NDArray t, NDArray logitsOfX0, NDArray ids,
            double alphaBarLast) {
        return new Terms(x0Mse(predicted, x0, x0Mean, t), roundingNll(logitsOfX0, ids), priorTerm(x0, alphaBarLast));
    }

    private static NDArray meanFlat(NDArray a) {
        int n = a.getShape().dimension();
        if (n < 2) {
            throw new IllegalArgumentException("array: expected [B, ...] with at least 2 dimensions, got " + a.getShape());
        }
        // DJL's PyTorch engine reduces one axis at a time: flatten the non-batch axes first.
        return a.reshape(a.getShape().get(0), -1).mean(new int[] {1});
    }

    private static void sameShape(String name, NDArray a, NDArray like) {
        Objects.requireNonNull(a, name);
        Objects.requireNonNull(like, "reference array");
        if (!a.getShape().equals(like.getShape())) {
            throw new IllegalArgumentException(name + ": expected shape " + like.getShape() + ", got " + a.getShape());
        }
    }

    private static void checkAlphaBar(String name, double v) {
        if (!(v > 0 && v <= 1)) {
            throw new IllegalArgumentException(name + ": expected a cumulative alpha in (0, 1], got " + v);
        }
    }
}
