package org.diffusion4j.core.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import org.diffusion4j.core.model.Denoiser;
import org.diffusion4j.core.process.Prediction;
import org.diffusion4j.core.schedule.NoiseSchedule;

/**
 * Bayes-optimal denoisers for data whose posterior E[x0 | x_t] is known in closed form, written independently of
 * the code under test. With x_t = √ᾱ·x0 + √(1−ᾱ)·ε:
 * <ul>
 * <li>x0 ~ N(μ, σ²I): x_t ~ N(√ᾱμ, (ᾱσ² + 1 − ᾱ)I), so E[x0|x_t] = μ + √ᾱσ²(x_t − √ᾱμ)/(ᾱσ² + 1 − ᾱ) and
 * ε* = (x_t − √ᾱ·E[x0|x_t])/√(1−ᾱ) = √(1−ᾱ)(x_t − √ᾱμ)/(ᾱσ² + 1 − ᾱ).</li>
 * <li>x0 ~ ½N(m₁, s²I) + ½N(m₂, s²I) (per coordinate): E[x0|x_t] = Σ_k w_k(x_t)·E_k[x0|x_t] with the posterior
 * weights w_k ∝ N(x_t; √ᾱm_k, ᾱs² + 1 − ᾱ).</li>
 * </ul>
 * The output is expressed as ε, x0 or v (v = √ᾱ·ε − √(1−ᾱ)·x0). ᾱ is read from the un-respaced schedule at the
 * model timestep, per sample. The Gaussian mean may come from conditioning: if {@code cond} is non-empty its first
 * array ([B, 1]) is μ per sample.
 */
final class AnalyticDenoisers {

    private AnalyticDenoisers() {
    }

    /** ᾱ at each sample's timestep as [B, 1, ..., 1] in x's dtype. */
    static NDArray alphaBar(NoiseSchedule schedule, NDArray t, NDArray x) {
        long[] ts = t.toLongArray();
        float[] values = new float[ts.length];
        for (int i = 0; i < ts.length; i++) {
            values[i] = (float) schedule.alphaCumprod((int) ts[i]);
        }
        long[] shape = new long[x.getShape().dimension()];
        java.util.Arrays.fill(shape, 1);
        shape[0] = ts.length;
        return x.getManager().create(values, new Shape(shape));
    }

    static Denoiser gaussian(NoiseSchedule schedule, double mu, double sigma, Prediction prediction) {
        return (xt, t, cond) -> {
            NDArray abar = alphaBar(schedule, t, xt);
            NDArray sa = abar.sqrt();
            NDArray oneMinus = abar.neg().add(1f);
            NDArray mean = cond.isEmpty() ? xt.zerosLike().add((float) mu) : cond.get(0).broadcast(xt.getShape());
            NDArray var = abar.mul((float) (sigma * sigma)).add(oneMinus);
            NDArray centred = xt.sub(sa.mul(mean));
            NDArray x0 = mean.add(sa.mul((float) (sigma * sigma)).mul(centred).div(var));
            NDArray eps = oneMinus.sqrt().mul(centred).div(var);
            return express(prediction, x0, eps, sa, oneMinus.sqrt());
        };
    }

    static Denoiser mixture(NoiseSchedule schedule, double m1, double m2, double s, Prediction prediction) {
        return (xt, t, cond) -> {
            NDArray abar = alphaBar(schedule, t, xt);
            NDArray sa = abar.sqrt();
            NDArray oneMinus = abar.neg().add(1f);
            NDArray var = abar.mul((float) (s * s)).add(oneMinus);
            NDArray d1 = xt.sub(sa.mul((float) m1));
            NDArray d2 = xt.sub(sa.mul((float) m2));
            // w1 = sigmoid(log N1 − log N2), the normalisers cancel (equal variances).
            NDArray w1 = d2.square().sub(d1.square()).div(var.mul(2f)).getNDArrayInternal().sigmoid();
            NDArray gain = sa.mul((float) (s * s)).div(var);
            NDArray post1 = d1.mul(gain).add((float) m1);
            NDArray post2 = d2.mul(gain).add((float) m2);
            NDArray x0 = w1.mul(post1).add(w1.neg().add(1f).mul(post2));
            NDArray sd = oneMinus.sqrt();
            NDArray eps = xt.sub(sa.mul(x0)).div(sd);
            return express(prediction, x0, eps, sa, sd);
        };
    }

    private static NDArray express(Prediction prediction, NDArray x0, NDArray eps, NDArray sa, NDArray sd) {
        return switch (prediction) {
            case EPSILON -> eps;
            case X0 -> x0;
            case V -> sa.mul(eps).sub(sd.mul(x0));
        };
    }

    /** Mean and (biased) variance of all entries. */
    static double[] moments(NDArray x) {
        float[] v = x.toFloatArray();
        double sum = 0;
        for (float f : v) {
            sum += f;
        }
        double mean = sum / v.length;
        double ss = 0;
        for (float f : v) {
            ss += (f - mean) * (f - mean);
        }
        return new double[] {mean, ss / v.length};
    }

    static NDList none() {
        return new NDList();
    }
}
