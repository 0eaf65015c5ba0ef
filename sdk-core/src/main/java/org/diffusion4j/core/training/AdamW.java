package org.diffusion4j.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * AdamW (Loshchilov &amp; Hutter 2019, Algorithm 2) written over NDArrays, with the update of PyTorch's
 * {@code torch.optim.AdamW} (single-tensor path): θ ← θ·(1 − ηλ); m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²;
 * θ ← θ − (η / (1 − β₁ᵏ))·m / (√v / √(1 − β₂ᵏ) + ε), k the 1-based update count.
 *
 * <p>It exists because DJL's {@code Optimizer.adamW()} keeps m and v in private maps that cannot be saved or
 * restored, so a resumed run would restart the moments from zero. Here m, v and k are plain state that a
 * checkpoint stores exactly. Arrays in {@code manager}; not thread-safe.
 */
public final class AdamW implements AutoCloseable {

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final List<NDArray> m = new ArrayList<>();
    private final List<NDArray> v = new ArrayList<>();
    private long updates;

    /** Zero moments shaped like {@code params}, created in {@code manager}. */
    public AdamW(NDManager manager, List<NDArray> params, double beta1, double beta2, double epsilon, double weightDecay) {
        Objects.requireNonNull(manager, "manager");
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        for (NDArray p : params) {
            m.add(manager.zeros(p.getShape(), p.getDataType()));
            v.add(manager.zeros(p.getShape(), p.getDataType()));
        }
    }

    /** The number of updates applied so far (k after the k-th update). */
    public long updates() {
        return updates;
    }

    /** First moments m, in parameter order (live arrays). */
    public NDList firstMoments() {
        return new NDList(m);
    }

    /** Second moments v, in parameter order (live arrays). */
    public NDList secondMoments() {
        return new NDList(v);
    }

    /**
     * Replaces the state by a saved one (values copied into this optimiser's arrays).
     *
     * @throws IllegalArgumentException if the counts or shapes differ
     */
    public void restore(long savedUpdates, NDList savedM, NDList savedV) {
        if (savedUpdates < 0) {
            throw new IllegalArgumentException("updates: expected a value >= 0, got " + savedUpdates);
        }
        copyInto("m", savedM, m);
        copyInto("v", savedV, v);
        updates = savedUpdates;
    }

    private static void copyInto(String name, NDList source, List<NDArray> target) {
        if (source.size() != target.size()) {
            throw new IllegalArgumentException(name + ": expected " + target.size() + " arrays, got " + source.size());
        }
        for (int i = 0; i < target.size(); i++) {
            if (!source.get(i).getShape().equals(target.get(i).getShape())) {
                throw new IllegalArgumentException(name + "[" + i + "]: expected shape " + target.get(i).getShape()
                        + ", got " + source.get(i).getShape());
            }
        }
        for (int i = 0; i < target.size(); i++) {
            org.diffusion4j.core.memory.NativeArrays.copyInto(target.get(i), source.get(i));
        }
    }

    /**
     * One update of every parameter in place. {@code grads.get(i)} is the gradient of {@code params.get(i)} (null:
     * that parameter got no gradient and is left untouched, as PyTorch does), multiplied by {@code gradScale}
     * (the clipping factor) before use. Temporaries go to {@code scope}, to which the moments are lent.
     *
     * <p>The per-step scalars are created once per step as 0-d arrays: a DJL operation with a Java number argument
     * creates its scalar again on every call, which costs several times the operation itself on small tensors.
     * The clipping factor s is folded into the moment coefficients: (1 − β₁)·s·g and (1 − β₂)·s²·g².
     */
    public void step(NDManager scope, List<NDArray> params, List<NDArray> grads, double learningRate, double gradScale) {
        if (params.size() != m.size() || grads.size() != m.size()) {
            throw new IllegalArgumentException("params: expected " + m.size() + " parameters and gradients, got "
                    + params.size() + " and " + grads.size());
        }
        scope.tempAttachAll(new NDList(m));
        scope.tempAttachAll(new NDList(v));
        updates++;
        double bc1 = 1.0 - Math.pow(beta1, updates);
        double bc2 = 1.0 - Math.pow(beta2, updates);
        NDArray b1 = scope.create((float) beta1);
        NDArray g1 = scope.create((float) ((1.0 - beta1) * gradScale));
        NDArray b2 = scope.create((float) beta2);
        NDArray g2 = scope.create((float) ((1.0 - beta2) * gradScale * gradScale));
        NDArray invSqrtBc2 = scope.create((float) (1.0 / Math.sqrt(bc2)));
        NDArray eps = scope.create((float) epsilon);
        NDArray stepSize = scope.create((float) (learningRate / bc1));
        NDArray decay = weightDecay != 0.0 ? scope.create((float) (1.0 - learningRate * weightDecay)) : null;
        for (int i = 0; i < params.size(); i++) {
            NDArray g = grads.get(i);
            if (g == null) {
                continue;
            }
            NDArray p = params.get(i);
            if (decay != null) {
                p.muli(decay);
            }
            m.get(i).muli(b1).addi(g.mul(g1));
            v.get(i).muli(b2).addi(g.square().muli(g2));
            NDArray denom = v.get(i).sqrt().muli(invSqrtBc2).addi(eps);
            p.subi(m.get(i).div(denom).muli(stepSize));
        }
    }

    @Override
    public void close() {
        m.forEach(NDArray::close);
        v.forEach(NDArray::close);
    }
}
