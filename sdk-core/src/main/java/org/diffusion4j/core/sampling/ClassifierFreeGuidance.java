package org.diffusion4j.core.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import org.diffusion4j.core.model.Denoiser;

/**
 * Classifier-free guidance (Ho &amp; Salimans 2022) as a {@link Denoiser} decorator, usable with every sampler.
 *
 * <p>Convention: ε̂ = ε_u + w·(ε_c − ε_u), computed as w·ε_c + (1 − w)·ε_u so that w = 1 is exactly the
 * conditional model and w = 0 exactly the unconditional one (Ho &amp; Salimans write (1 + w')·ε_c − w'·ε_u with
 * w' = w − 1; diffusers' {@code guidance_scale} is our w). It is applied to the network output in its own
 * parameterisation, which is equivalent for ε, x0 and v because each is affine in the others at fixed (x_t, t).
 * With learned variances only the mean half (axis 1) is guided; the variance half comes from the conditional pass.
 *
 * <p>The conditional and unconditional passes run as one forward over a doubled batch by default
 * ([x; x], [t; t], [c; ∅]). {@code nullConditioning} holds, per conditioning array, the "empty" value with batch 1
 * (broadcast) or B; it stays owned by the caller.
 *
 * <p>Guidance rescale φ (Lin et al. 2023, §3.4): ε̂_r = ε̂·std(ε_c)/std(ε̂) per sample, and the output is
 * φ·ε̂_r + (1 − φ)·ε̂ (std over all non-batch axes, unbiased, as in diffusers' {@code rescale_noise_cfg}).
 */
public final class ClassifierFreeGuidance implements Denoiser {

    private final Denoiser model;
    private final NDList nullConditioning;
    private final double scale;
    private final double rescale;
    private final boolean batched;
    private final boolean learnedVariance;

    private ClassifierFreeGuidance(Builder b) {
        this.model = b.model;
        this.nullConditioning = b.nullConditioning;
        this.scale = b.scale;
        this.rescale = b.rescale;
        this.batched = b.batched;
        this.learnedVariance = b.learnedVariance;
    }

    /** A builder for guiding {@code model}; {@code nullConditioning} is the ∅ value of each conditioning array. */
    public static Builder builder(Denoiser model, NDList nullConditioning) {
        return new Builder(model, nullConditioning);
    }

    public double scale() {
        return scale;
    }

    @Override
    public NDArray predict(NDArray xt, NDArray t, NDList cond) {
        if (cond == null || cond.size() != nullConditioning.size()) {
            throw new IllegalArgumentException("cond: expected " + nullConditioning.size()
                    + " arrays (one per null-conditioning array), got " + (cond == null ? "null" : cond.size()));
        }
        NDList uncond = new NDList(cond.size());
        for (int i = 0; i < cond.size(); i++) {
            uncond.add(expandNull(i, cond.get(i)));
        }
        NDArray conditional;
        NDArray unconditional;
        if (batched) {
            NDList both = new NDList(cond.size());
            for (int i = 0; i < cond.size(); i++) {
                both.add(NDArrays.concat(new NDList(cond.get(i), uncond.get(i)), 0));
            }
            NDArray out = model.predict(NDArrays.concat(new NDList(xt, xt), 0), NDArrays.concat(new NDList(t, t), 0),
                    both);
            NDList halves = out.split(2, 0);
            conditional = halves.get(0);
            unconditional = halves.get(1);
        } else {
            conditional = model.predict(xt, t, cond);
            unconditional = model.predict(xt, t, uncond);
        }
        NDArray variance = null;
        if (learnedVariance) {
            NDList c = conditional.split(2, 1);
            conditional = c.get(0);
            variance = c.get(1);
            unconditional = unconditional.split(2, 1).get(0);
        }
        NDArray guided = conditional.mul(scale).add(unconditional.mul(1.0 - scale));
        if (rescale > 0) {
            NDArray ratio = std(conditional).div(std(guided));
            guided = guided.mul(ratio).mul(rescale).add(guided.mul(1.0 - rescale));
        }
        return variance == null ? guided : NDArrays.concat(new NDList(guided, variance), 1);
    }

    /** The null conditioning i as an array of cond's shape, created in cond's manager (never in the caller's). */
    private NDArray expandNull(int i, NDArray cond) {
        NDArray empty = nullConditioning.get(i);
        Shape c = cond.getShape();
        Shape n = empty.getShape();
        boolean ok = n.dimension() == c.dimension() && (n.get(0) == 1 || n.get(0) == c.get(0))
                && n.slice(1).equals(c.slice(1)) && empty.getDataType() == cond.getDataType();
        if (!ok) {
            throw new IllegalArgumentException("nullConditioning[" + i + "]: expected " + cond.getDataType() + " "
                    + c + " (batch 1 or " + c.get(0) + "), got " + empty.getDataType() + " " + n);
        }
        return cond.zerosLike().addi(empty);
    }

    /** Unbiased standard deviation over all non-batch axes, shaped [B, 1, ..., 1]. */
    private static NDArray std(NDArray x) {
        int rank = x.getShape().dimension();
        int[] axes = new int[rank - 1];
        for (int i = 1; i < rank; i++) {
            axes[i - 1] = i;
        }
        long count = x.getShape().size() / x.getShape().get(0);
        NDArray centred = x.sub(x.mean(axes, true));
        return centred.square().sum(axes, true).div(Math.max(1, count - 1)).sqrt();
    }

    /** Builder; defaults: w = 1, no rescale, batched, fixed variance. */
    public static final class Builder {
        private final Denoiser model;
        private final NDList nullConditioning;
        private double scale = 1.0;
        private double rescale;
        private boolean batched = true;
        private boolean learnedVariance;

        private Builder(Denoiser model, NDList nullConditioning) {
            if (model == null) {
                throw new IllegalArgumentException("model: expected a Denoiser, got null");
            }
            if (nullConditioning == null || nullConditioning.isEmpty()) {
                throw new IllegalArgumentException("nullConditioning: expected at least one array, got "
                        + nullConditioning);
            }
            this.model = model;
            this.nullConditioning = nullConditioning;
        }

        /** The guidance weight w (finite; 0 = unconditional, 1 = conditional, &gt; 1 = guided). */
        public Builder scale(double w) {
            if (!Double.isFinite(w)) {
                throw new IllegalArgumentException("scale: expected a finite value, got " + w);
            }
            this.scale = w;
            return this;
        }

        /** Guidance rescale φ ∈ [0, 1] (Lin et al. 2023 recommend 0.7); 0 = off. */
        public Builder rescale(double phi) {
            if (!(phi >= 0 && phi <= 1)) {
                throw new IllegalArgumentException("rescale: expected a value in [0, 1], got " + phi);
            }
            this.rescale = phi;
            return this;
        }

        /** One forward over the doubled batch (default) or two forwards. */
        public Builder batched(boolean batched) {
            this.batched = batched;
            return this;
        }

        /** Whether the model output carries a learned variance in the second half of axis 1. */
        public Builder learnedVariance(boolean learned) {
            this.learnedVariance = learned;
            return this;
        }

        public ClassifierFreeGuidance build() {
            return new ClassifierFreeGuidance(this);
        }
    }
}
