package org.diffusion4j.text.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;
import org.diffusion4j.core.memory.NativeArrays;
import org.diffusion4j.core.memory.Scalars;

/**
 * Embedding look-up, the tied rounding head and nearest-embedding rounding as batched NDArray ops. These
 * are also the clamping step of decoding: replace a predicted x̂0 by the embedding of its nearest word
 * (Li et al. 2022 §4.2) before the posterior mean is computed.
 *
 * <p>The embedding is usually a parameter: every op here works on a view of it owned by the manager of the other
 * operand (ids or x0), so that per-step results die with the caller's scope instead of accumulating in the model's
 * manager ({@link NativeArrays#viewIn}).
 */
public final class RoundingOps {

    private RoundingOps() {
    }

    /** The result of rounding: token ids [B, L] int64 and their embeddings E[ids] [B, L, d]. */
    public record Rounded(NDArray ids, NDArray embeddings) {
    }

    /** E[ids]: ids int64 of any shape [...] → [..., d]; differentiable with respect to E. */
    public static NDArray embed(NDArray embeddings, NDArray ids) {
        checkEmbeddings(embeddings);
        if (ids.getDataType() != DataType.INT64 && ids.getDataType() != DataType.INT32) {
            throw new IllegalArgumentException("ids: expected an integer array, got " + ids.getDataType());
        }
        long v = embeddings.getShape().get(0);
        if (ids.size() > 0) {
            long min = ids.min().toType(DataType.INT64, false).getLong();
            long max = ids.max().toType(DataType.INT64, false).getLong();
            if (min < 0 || max >= v) {
                throw new IllegalArgumentException("ids: expected values in 0.." + (v - 1) + ", got range " + min + ".." + max);
            }
        }
        Shape out = ids.getShape().add(embeddings.getShape().get(1));
        return NativeArrays.viewIn(embeddings, ids.getManager()).get(ids.flatten().toType(DataType.INT64, false)).reshape(out);
    }

    /** logits = x0·Eᵀ + b: [..., d] → [..., V]. */
    public static NDArray logits(NDArray x0, NDArray embeddings, NDArray bias) {
        checkEmbeddings(embeddings);
        checkLastDim("x0", x0, embeddings.getShape().get(1));
        Objects.requireNonNull(bias, "bias");
        if (!bias.getShape().equals(new Shape(embeddings.getShape().get(0)))) {
            throw new IllegalArgumentException("bias: expected [" + embeddings.getShape().get(0) + "], got " + bias.getShape());
        }
        NDManager scope = x0.getManager();
        return x0.matMul(NativeArrays.viewIn(embeddings, scope).transpose()).add(NativeArrays.viewIn(bias, scope));
    }

    /**
     * Nearest row of E by L2 for every vector of x0 [..., d], via ‖x‖² + ‖e‖² − 2·x·eᵀ (argmin over the
     * vocabulary; ‖x‖² is constant per row and dropped). Ties go to the lowest id.
     */
    public static Rounded nearest(NDArray x0, NDArray embeddings) {
        checkEmbeddings(embeddings);
        checkLastDim("x0", x0, embeddings.getShape().get(1));
        NDArray e = NativeArrays.viewIn(embeddings, x0.getManager());
        NDArray eNorm = e.square().sum(new int[] {1});                            // [V]
        NDArray score = eNorm.sub(Scalars.mul(x0.matMul(e.transpose()), 2));      // [..., V]
        NDArray ids = score.argMin(-1).toType(DataType.INT64, false);
        return new Rounded(ids, embed(embeddings, ids));
    }

    private static void checkEmbeddings(NDArray e) {
        Objects.requireNonNull(e, "embeddings");
        if (e.getShape().dimension() != 2) {
            throw new IllegalArgumentException("embeddings: expected [V, d], got " + e.getShape());
        }
    }

    private static void checkLastDim(String name, NDArray a, long d) {
        Objects.requireNonNull(a, name);
        Shape s = a.getShape();
        if (s.dimension() < 1 || s.get(s.dimension() - 1) != d) {
            throw new IllegalArgumentException(name + ": expected last dimension " + d + ", got shape " + s);
        }
    }
}
