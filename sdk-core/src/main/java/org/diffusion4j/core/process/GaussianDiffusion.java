package org.diffusion4j.core.process;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.diffusion4j.core.model.Denoiser;
import org.diffusion4j.core.random.NoiseSource;
import org.diffusion4j.core.schedule.NoiseSchedule;
import org.diffusion4j.core.memory.NativeArrays;
import org.diffusion4j.core.memory.Scalars;

/**
 * The Gaussian diffusion process of Ho et al. (2020) with the improvements of Nichol & Dhariwal (2021), stated
 * once over tensors x of shape [B, ...] of any rank (points [B, D], audio [B, C, L], images [B, C, H, W], text
 * [B, L, D]). Timesteps t are int64 [B] in [0, T). Each per-sample coefficient is looked up in the schedule's
 * double table at t and cast to x's dtype, then broadcast as [B, 1, ..., 1].
 *
 * <p>Every stochastic method takes its noise as an argument (an NDArray shaped like x, or a {@link NoiseSource}),
 * so a run can be replayed exactly. Semantics follow openai/improved-diffusion's {@code gaussian_diffusion.py};
 * the equations are in docs/math.md.
 *
 * <p>Arithmetic with Java numbers on arrays that may carry gradients goes through
 * {@link org.diffusion4j.core.memory.Scalars} (DJL's {@code mul(Number)} frees a scalar autograd still needs).
 *
 * <p>When the schedule was respaced, the network is always called with the original timesteps
 * ({@link #modelTimesteps(NDArray)}), as improved-diffusion's {@code SpacedDiffusion} does.
 */
public final class GaussianDiffusion {

    private final NoiseSchedule schedule;
    private final Prediction prediction;
    private final VarianceType varianceType;
    private final LossType lossType;
    private final int numTimesteps;

    // Tables in double precision, indexed by t.
    private final double[] sqrtAlphasCumprod;
    private final double[] sqrtOneMinusAlphasCumprod;
    private final double[] logOneMinusAlphasCumprod;
    private final double[] sqrtRecipAlphasCumprod;
    private final double[] sqrtRecipm1AlphasCumprod;
    private final double[] posteriorVariance;
    private final double[] posteriorLogVarianceClipped;
    private final double[] posteriorMeanCoef1;
    private final double[] posteriorMeanCoef2;
    private final double[] logBetas;
    private final double[] largeVariance;
    private final double[] largeLogVariance;

    private GaussianDiffusion(Builder b) {
        this.schedule = Objects.requireNonNull(b.schedule, "schedule");
        this.prediction = Objects.requireNonNull(b.prediction, "prediction");
        this.varianceType = Objects.requireNonNull(b.variance, "variance");
        this.lossType = Objects.requireNonNull(b.loss, "loss");
        if (prediction == Prediction.EPSILON && schedule.terminalAlphaCumprod() == 0.0) {
            throw new IllegalArgumentException("prediction: EPSILON is ill-posed on a zero-terminal-SNR schedule "
                    + "(x0 = (x_t - sqrt(1 - abar) eps) / sqrt(abar) divides by abar_{T-1} = 0); use V or X0");
        }
        numTimesteps = schedule.numTimesteps();
        double[] abar = schedule.alphasCumprod();
        double[] betas = schedule.betas();
        sqrtAlphasCumprod = new double[numTimesteps];
        sqrtOneMinusAlphasCumprod = new double[numTimesteps];
        logOneMinusAlphasCumprod = new double[numTimesteps];
        sqrtRecipAlphasCumprod = new double[numTimesteps];
        sqrtRecipm1AlphasCumprod = new double[numTimesteps];
        logBetas = new double[numTimesteps];
        for (int t = 0; t < numTimesteps; t++) {
            sqrtAlphasCumprod[t] = Math.sqrt(abar[t]);
            sqrtOneMinusAlphasCumprod[t] = Math.sqrt(1.0 - abar[t]);
            logOneMinusAlphasCumprod[t] = Math.log(1.0 - abar[t]);
            sqrtRecipAlphasCumprod[t] = Math.sqrt(1.0 / abar[t]);
            sqrtRecipm1AlphasCumprod[t] = Math.sqrt(1.0 / abar[t] - 1.0);
            logBetas[t] = Math.log(betas[t]);
        }
        posteriorVariance = schedule.posteriorVariance();
        posteriorLogVarianceClipped = schedule.posteriorLogVarianceClipped();
        posteriorMeanCoef1 = schedule.posteriorMeanCoef1();
        posteriorMeanCoef2 = schedule.posteriorMeanCoef2();
        // FIXED_LARGE: Σ = β_t, except that t = 0 uses β̃_1 so the decoder's variance is not needlessly large.
        largeVariance = betas.clone();
        if (numTimesteps > 1) {
            largeVariance[0] = posteriorVariance[1];
        }
        largeLogVariance = new double[numTimesteps];
        for (int t = 0; t < numTimesteps; t++) {
            largeLogVariance[t] = Math.log(largeVariance[t]);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public NoiseSchedule schedule() {
        return schedule;
    }

    public Prediction prediction() {
        return prediction;
    }

    public VarianceType varianceType() {
        return varianceType;
    }

    public LossType lossType() {
        return lossType;
    }

    public int numTimesteps() {
        return numTimesteps;
    }

    /** A copy of this process with another schedule (e.g. a respaced one) and the same settings. */
    public GaussianDiffusion withSchedule(NoiseSchedule other) {
        return builder().schedule(other).prediction(prediction).variance(varianceType).loss(lossType).build();
    }

    // ================================================================= forward process q

    /** q(x_t | x0) = N(√ᾱ_t·x0, (1 − ᾱ_t)·I)  (Ho et al. eq. 4). x0: [B, ...]; variances [B, 1, ...]. */
    public Gaussian qMeanVariance(NDArray x0, NDArray t) {
        NDArray mean = x0.mul(extract(sqrtAlphasCumprod, t, x0));
        NDArray variance = extract(sqrtOneMinusAlphasCumprod, t, x0).square();
        NDArray logVariance = extract(logOneMinusAlphasCumprod, t, x0);
        return new Gaussian(mean, variance, logVariance);
    }

    /** x_t = √ᾱ_t·x0 + √(1 − ᾱ_t)·ε, the closed-form jump to step t (Ho et al. eq. 4). All [B, ...]. */
    public NDArray qSample(NDArray x0, NDArray t, NDArray noise) {
        requireSameShape("noise", x0, noise);
        return x0.mul(extract(sqrtAlphasCumprod, t, x0)).add(noise.mul(extract(sqrtOneMinusAlphasCumprod, t, x0)));
    }

    /** {@link #qSample(NDArray, NDArray, NDArray)} with ε drawn from {@code noise}. */
    public NDArray qSample(NDArray x0, NDArray t, NoiseSource noise) {
        return qSample(x0, t, noise.normalLike(x0));
    }

    /**
     * q(x_{t−1} | x_t, x0) = N(μ̃_t, β̃_t·I), μ̃_t = coef1·x0 + coef2·x_t (Ho et al. eq. 6–7). The log variance is
     * the clipped one (log β̃_1 at t = 0).
     */
    public Gaussian qPosterior(NDArray x0, NDArray xt, NDArray t) {
        requireSameShape("xt", x0, xt);
        NDArray mean = x0.mul(extract(posteriorMeanCoef1, t, x0)).add(xt.mul(extract(posteriorMeanCoef2, t, x0)));
        return new Gaussian(mean, extract(posteriorVariance, t, x0), extract(posteriorLogVarianceClipped, t, x0));
    }

    // ================================================================= parameterisations

    /** x0 = √(1/ᾱ_t)·x_t − √(1/ᾱ_t − 1)·ε  (inverting eq. 4). */
    public NDArray predictX0FromEps(NDArray xt, NDArray t, NDArray eps) {
        requireSameShape("eps", xt, eps);
        return xt.mul(extract(sqrtRecipAlphasCumprod, t, xt)).sub(eps.mul(extract(sqrtRecipm1AlphasCumprod, t, xt)));
    }

    /** ε = (√(1/ᾱ_t)·x_t − x0) / √(1/ᾱ_t − 1). Undefined at ᾱ_t = 1. */
    public NDArray predictEpsFromX0(NDArray xt, NDArray t, NDArray x0) {
        requireSameShape("x0", xt, x0);
        return xt.mul(extract(sqrtRecipAlphasCumprod, t, xt)).sub(x0).div(extract(sqrtRecipm1AlphasCumprod, t, xt));
    }

    /** v = √ᾱ_t·ε − √(1 − ᾱ_t)·x0 (Salimans & Ho 2022), the regression target of V prediction. */
    public NDArray velocity(NDArray x0, NDArray t, NDArray eps) {
        requireSameShape("eps", x0, eps);
        return eps.mul(extract(sqrtAlphasCumprod, t, x0)).sub(x0.mul(extract(sqrtOneMinusAlphasCumprod, t, x0)));
    }

    /** x0 = √ᾱ_t·x_t − √(1 − ᾱ_t)·v. */
    public NDArray predictX0FromV(NDArray xt, NDArray t, NDArray v) {
        requireSameShape("v", xt, v);
        return xt.mul(extract(sqrtAlphasCumprod, t, xt)).sub(v.mul(extract(sqrtOneMinusAlphasCumprod, t, xt)));
    }

    /** ε = √(1 − ᾱ_t)·x_t + √ᾱ_t·v. */
    public NDArray predictEpsFromV(NDArray xt, NDArray t, NDArray v) {
        requireSameShape("v", xt, v);
        return xt.mul(extract(sqrtOneMinusAlphasCumprod, t, xt)).add(v.mul(extract(sqrtAlphasCumprod, t, xt)));
    }

    /** v from x_t and ε: v = √ᾱ_t·ε − √(1 − ᾱ_t)·x0(x_t, ε) = (ε − √(1 − ᾱ_t)·x_t) / √ᾱ_t. */
    public NDArray predictVFromEps(NDArray xt, NDArray t, NDArray eps) {
        return velocity(predictX0FromEps(xt, t, eps), t, eps);
    }

    /** The x0 implied by a network output (the mean half when the variance is learned). */
    public NDArray predictX0(NDArray modelMean, NDArray xt, NDArray t) {
        return switch (prediction) {
            case EPSILON -> predictX0FromEps(xt, t, modelMean);
            case X0 -> {
                requireSameShape("model output", xt, modelMean);
                yield modelMean;
            }
            case V -> predictX0FromV(xt, t, modelMean);
        };
    }

    /** The ε implied by a network output (the mean half when the variance is learned). */
    public NDArray predictEps(NDArray modelMean, NDArray xt, NDArray t) {
        return switch (prediction) {
            case EPSILON -> {
                requireSameShape("model output", xt, modelMean);
                yield modelMean;
            }
            case X0 -> predictEpsFromX0(xt, t, modelMean);
            case V -> predictEpsFromV(xt, t, modelMean);
        };
    }

    // ================================================================= reverse process p

    /**
     * p_θ(x_{t−1} | x_t) from a network output: the implied x0 (optionally clipped to [−1, 1]), the posterior
     * mean μ̃_t(x0, x_t), and Σ per the variance type. For learned variances the output is [B, 2C, ...] and the
     * second half of axis 1 holds log Σ (LEARNED) or the interpolation value v (LEARNED_RANGE).
     */
    public ModelDistribution pMeanVariance(NDArray modelOutput, NDArray xt, NDArray t, boolean clipDenoised) {
        return pMeanVariance(modelOutput, xt, t, clipDenoised ? x -> x.clip(-1, 1) : null);
    }

    /**
     * As {@link #pMeanVariance(NDArray, NDArray, NDArray, boolean)}, with an arbitrary transform of the predicted
     * x0 applied before the posterior mean (clipping, thresholding, Diffusion-LM's clamping to the nearest word
     * embedding). {@code x0Transform} may be null (identity).
     */
    public ModelDistribution pMeanVariance(NDArray modelOutput, NDArray xt, NDArray t,
                                           UnaryOperator<NDArray> x0Transform) {
        NDList parts = splitModelOutput(modelOutput, xt);
        NDArray meanOut = parts.get(0);
        NDArray variance;
        NDArray logVariance;
        switch (varianceType) {
            case LEARNED -> {
                logVariance = parts.get(1);
                variance = logVariance.exp();
            }
            case LEARNED_RANGE -> {
                NDArray minLog = extract(posteriorLogVarianceClipped, t, xt);
                NDArray maxLog = extract(logBetas, t, xt);
                NDArray frac = Scalars.mul(parts.get(1).add(1.0), 0.5);
                logVariance = frac.mul(maxLog).add(frac.neg().add(1.0).mul(minLog));
                variance = logVariance.exp();
            }
            case FIXED_LARGE -> {
                variance = extract(largeVariance, t, xt);
                logVariance = extract(largeLogVariance, t, xt);
            }
            case FIXED_SMALL -> {
                variance = extract(posteriorVariance, t, xt);
                logVariance = extract(posteriorLogVarianceClipped, t, xt);
            }
            default -> throw new IllegalStateException("unknown variance type " + varianceType);
        }
        NDArray predX0 = predictX0(meanOut, xt, t);
        if (x0Transform != null) {
            predX0 = x0Transform.apply(predX0);
        }
        NDArray mean = qPosterior(predX0, xt, t).mean();
        return new ModelDistribution(mean, variance, logVariance, predX0);
    }

    /**
     * Splits a network output into its mean part (x's shape) and, for learned variances, its variance part.
     * Refuses outputs whose shape does not match the variance type.
     */
    public NDList splitModelOutput(NDArray modelOutput, NDArray xt) {
        Shape x = xt.getShape();
        Shape out = modelOutput.getShape();
        if (!varianceType.isLearned()) {
            if (!out.equals(x)) {
                throw new IllegalArgumentException("modelOutput: expected shape " + x + " (as x_t, variance "
                        + varianceType + "), got " + out);
            }
            return new NDList(modelOutput);
        }
        if (x.dimension() < 2) {
            throw new IllegalArgumentException("xt: learned variances need a channel axis 1, got shape " + x);
        }
        long[] expected = x.getShape().clone(); // Shape#getShape exposes its internal array
        expected[1] *= 2;
        if (!out.equals(new Shape(expected))) {
            throw new IllegalArgumentException("modelOutput: variance " + varianceType
                    + " needs doubled channels on axis 1: expected shape " + new Shape(expected) + ", got " + out);
        }
        return modelOutput.split(2, 1);
    }

    // ================================================================= losses

    /**
     * Training losses at timesteps t (improved-diffusion's {@code training_losses}): draws x_t = q_sample(x0, t, ε),
     * calls the denoiser with the model's timesteps and the conditioning, and returns the per-sample loss.
     * MSE regresses the prediction target (ε, x0 or v); with learned variances the L_vlb term is added with a
     * stop-gradient on the mean ("L_hybrid", Nichol & Dhariwal §3.1); KL losses use L_vlb alone.
     */
    public TrainingLosses trainingLosses(Denoiser denoiser, NDArray x0, NDArray t, NDArray noise, NDList cond) {
        Objects.requireNonNull(denoiser, "denoiser");
        NDArray xt = qSample(x0, t, noise);
        NDArray output = denoiser.predict(xt, modelTimesteps(t), cond == null ? new NDList() : cond);
        return trainingLosses(output, x0, xt, t, noise);
    }

    /** {@link #trainingLosses(Denoiser, NDArray, NDArray, NDArray, NDList)} with ε drawn from {@code noise}. */
    public TrainingLosses trainingLosses(Denoiser denoiser, NDArray x0, NDArray t, NoiseSource noise, NDList cond) {
        return trainingLosses(denoiser, x0, t, noise.normalLike(x0), cond);
    }

    /** The losses of a network output already computed at x_t = q_sample(x0, t, noise). */
    public TrainingLosses trainingLosses(NDArray modelOutput, NDArray x0, NDArray xt, NDArray t, NDArray noise) {
        requireSameShape("xt", x0, xt);
        requireSameShape("noise", x0, noise);
        if (lossType.isVb()) {
            NDArray vb = vbTerms(modelOutput, x0, xt, t, false).vb();
            if (lossType == LossType.RESCALED_KL) {
                vb = Scalars.mul(vb, numTimesteps);
            }
            return new TrainingLosses(vb, null, vb, modelOutput);
        }
        NDList parts = splitModelOutput(modelOutput, xt);
        NDArray meanOut = parts.get(0);
        NDArray vb = null;
        if (varianceType.isLearned()) {
            // The vb term trains only the variance: the mean's gradient comes from L_simple alone.
            NDArray frozen = NDArrays.concat(new NDList(meanOut.stopGradient(), parts.get(1)), 1);
            vb = vbTerms(frozen, x0, xt, t, false).vb();
            if (lossType == LossType.RESCALED_MSE) {
                vb = Scalars.mul(vb, numTimesteps / 1000.0);
            }
        }
        NDArray target = switch (prediction) {
            case EPSILON -> noise;
            case X0 -> x0;
            case V -> velocity(x0, t, noise);
        };
        NDArray mse = GaussianMath.meanFlat(target.sub(meanOut).square());
        NDArray loss = vb == null ? mse : mse.add(vb);
        return new TrainingLosses(loss, mse, vb, modelOutput);
    }

    /** One term of the variational bound, in bits per dimension, and the x0 the model implies. */
    public record VbTerm(NDArray vb, NDArray predX0) {
    }

    /**
     * L_{t} in bits/dim for each sample (improved-diffusion's {@code _vb_terms_bpd}): KL(q(x_{t−1}|x_t,x0) ‖
     * p_θ(x_{t−1}|x_t)) for t > 0, and the discretised decoder NLL −log p_θ(x0 | x_1) at t = 0 (Ho et al. §3.3).
     */
    public VbTerm vbTerms(NDArray modelOutput, NDArray x0, NDArray xt, NDArray t, boolean clipDenoised) {
        long[] ts = checkTimesteps(t, x0);
        Gaussian truePosterior = qPosterior(x0, xt, t);
        ModelDistribution p = pMeanVariance(modelOutput, xt, t, clipDenoised);
        NDArray kl = GaussianMath.normalKl(truePosterior.mean(), truePosterior.logVariance(), p.mean(), p.logVariance());
        kl = Scalars.div(GaussianMath.meanFlat(kl), Math.log(2.0));
        NDArray nll = GaussianMath.discretizedGaussianLogLikelihood(x0, p.mean(), Scalars.mul(p.logVariance(), 0.5)
                .broadcast(x0.getShape())).neg();
        nll = Scalars.div(GaussianMath.meanFlat(nll), Math.log(2.0));
        boolean[] isZero = new boolean[ts.length];
        for (int i = 0; i < ts.length; i++) {
            isZero[i] = ts[i] == 0;
        }
        NDArray mask = NativeArrays.copyOf(x0.getManager(), isZero);
        return new VbTerm(NDArrays.where(mask, nll, kl), p.predX0());
    }

    /** L_T = KL(q(x_{T−1} | x0) ‖ N(0, I)) in bits/dim, per sample [B]; ≈ 0 for a well-designed schedule. */
    public NDArray priorBpd(NDArray x0) {
        long b = x0.getShape().get(0);
        long[] last = new long[Math.toIntExact(b)];
        java.util.Arrays.fill(last, numTimesteps - 1);
        NDArray tLast = NativeArrays.copyOf(x0.getManager(), last);
        Gaussian q = qMeanVariance(x0, tLast);
        NDArray zeros = x0.zerosLike();
        NDArray kl = GaussianMath.normalKl(q.mean(), q.logVariance().broadcast(x0.getShape()), zeros, zeros);
        return Scalars.div(GaussianMath.meanFlat(kl), Math.log(2.0));
    }

    /**
     * The full negative ELBO in bits/dim (improved-diffusion's {@code calc_bpd_loop}): for every t from T−1 down to
     * 0, draws x_t from q with noise from {@code noise}, evaluates L_t with clipped x0 predictions, and records the
     * x0 and ε errors. See {@link BitsPerDim} for the column order. Each step runs in its own sub-manager; the
     * result lives in x0's manager.
     */
    public BitsPerDim bitsPerDim(Denoiser denoiser, NDArray x0, NDList cond, NoiseSource noise) {
        Objects.requireNonNull(denoiser, "denoiser");
        Objects.requireNonNull(noise, "noise");
        NDList conditioning = cond == null ? new NDList() : cond;
        int batch = Math.toIntExact(x0.getShape().get(0));
        float[] vb = new float[batch * numTimesteps];
        float[] x0Mse = new float[batch * numTimesteps];
        float[] mse = new float[batch * numTimesteps];
        NDManager parent = x0.getManager();
        for (int j = 0; j < numTimesteps; j++) {
            int tIndex = numTimesteps - 1 - j;
            try (NDManager step = parent.newSubManager()) {
                step.tempAttachAll(x0, conditioning);
                long[] ts = new long[batch];
                java.util.Arrays.fill(ts, tIndex);
                NDArray t = NativeArrays.copyOf(step, ts);
                NDArray eps = noise.normal(step, x0.getShape(), x0.getDataType());
                NDArray xt = qSample(x0, t, eps);
                NDArray out = denoiser.predict(xt, modelTimesteps(t), conditioning);
                VbTerm term = vbTerms(out, x0, xt, t, true);
                NDArray epsHat = predictEpsFromX0(xt, t, term.predX0());
                float[] vbRow = term.vb().toType(DataType.FLOAT32, false).toFloatArray();
                float[] x0Row = GaussianMath.meanFlat(term.predX0().sub(x0).square())
                        .toType(DataType.FLOAT32, false).toFloatArray();
                float[] mseRow = GaussianMath.meanFlat(epsHat.sub(eps).square())
                        .toType(DataType.FLOAT32, false).toFloatArray();
                for (int i = 0; i < batch; i++) {
                    vb[i * numTimesteps + j] = vbRow[i];
                    x0Mse[i * numTimesteps + j] = x0Row[i];
                    mse[i * numTimesteps + j] = mseRow[i];
                }
            }
        }
        Shape table = new Shape(batch, numTimesteps);
        NDArray vbArr = NativeArrays.copyOf(parent, vb, table);
        NDArray prior = priorBpd(x0).toType(DataType.FLOAT32, false);
        NDArray total = vbArr.sum(new int[] {1}).add(prior);
        return new BitsPerDim(total, prior, vbArr, NativeArrays.copyOf(parent, x0Mse, table),
                NativeArrays.copyOf(parent, mse, table));
    }

    // ================================================================= timesteps

    /**
     * The timesteps to show the network: t itself, or, on a respaced schedule, the original timesteps the
     * network was trained on ({@link NoiseSchedule#timestepMap()}). Returns int64 [B].
     */
    public NDArray modelTimesteps(NDArray t) {
        if (schedule.isIdentityMap()) {
            return t;
        }
        long[] ts = checkTimesteps(t, null);
        long[] mapped = new long[ts.length];
        for (int i = 0; i < ts.length; i++) {
            mapped[i] = schedule.timestepMapAt((int) ts[i]);
        }
        return NativeArrays.copyOf(t.getManager(), mapped);
    }

    /**
     * Gathers {@code table[t]} per sample, cast to {@code like}'s dtype, on its device, shaped [B, 1, ..., 1] to
     * broadcast against {@code like} ([B, ...]).
     */
    public NDArray extract(double[] table, NDArray t, NDArray like) {
        long[] ts = checkTimesteps(t, like);
        long[] shape = new long[like.getShape().dimension()];
        java.util.Arrays.fill(shape, 1L);
        shape[0] = ts.length;
        NDManager manager = like.getManager();
        DataType dtype = like.getDataType();
        NDArray out;
        if (dtype == DataType.FLOAT64) {
            double[] values = new double[ts.length];
            for (int i = 0; i < ts.length; i++) {
                values[i] = table[(int) ts[i]];
            }
            out = NativeArrays.copyOf(manager, values, new Shape(shape));
        } else {
            float[] values = new float[ts.length];
            for (int i = 0; i < ts.length; i++) {
                values[i] = (float) table[(int) ts[i]];
            }
            out = NativeArrays.copyOf(manager, values, new Shape(shape));
            if (dtype != DataType.FLOAT32) {
                out = out.toType(dtype, false);
            }
        }
        return out;
    }

    /** Validates t (int64 [B], values in [0, T)) against x ([B, ...]; null skips the batch check). */
    public long[] checkTimesteps(NDArray t, NDArray x) {
        if (t == null) {
            throw new IllegalArgumentException("t: expected an int64 array [B], got null");
        }
        if (t.getDataType() != DataType.INT64) {
            throw new IllegalArgumentException("t: expected dtype int64, got " + t.getDataType());
        }
        Shape s = t.getShape();
        if (s.dimension() != 1) {
            throw new IllegalArgumentException("t: expected shape [B], got " + s);
        }
        if (x != null) {
            if (x.getShape().dimension() < 1) {
                throw new IllegalArgumentException("x: expected shape [B, ...], got a scalar");
            }
            if (s.get(0) != x.getShape().get(0)) {
                throw new IllegalArgumentException("t: expected shape [" + x.getShape().get(0) + "] (batch of x "
                        + x.getShape() + "), got " + s);
            }
        }
        long[] ts = t.toLongArray();
        for (long v : ts) {
            if (v < 0 || v >= numTimesteps) {
                throw new IllegalArgumentException("t: expected values in [0, " + numTimesteps + "), got " + v);
            }
        }
        return ts;
    }

    private static void requireSameShape(String name, NDArray reference, NDArray other) {
        if (other == null) {
            throw new IllegalArgumentException(name + ": expected shape " + reference.getShape() + ", got null");
        }
        if (!reference.getShape().equals(other.getShape())) {
            throw new IllegalArgumentException(name + ": expected shape " + reference.getShape() + ", got "
                    + other.getShape());
        }
        if (reference.getDataType() != other.getDataType()) {
            throw new IllegalArgumentException(name + ": expected dtype " + reference.getDataType() + ", got "
                    + other.getDataType());
        }
    }

    @Override
    public String toString() {
        return "GaussianDiffusion[" + schedule + ", " + prediction + ", " + varianceType + ", " + lossType + "]";
    }

    /** Builder; defaults are EPSILON, FIXED_SMALL, MSE (Ho et al.'s L_simple). */
    public static final class Builder {
        private NoiseSchedule schedule;
        private Prediction prediction = Prediction.EPSILON;
        private VarianceType variance = VarianceType.FIXED_SMALL;
        private LossType loss = LossType.MSE;

        private Builder() {
        }

        public Builder schedule(NoiseSchedule schedule) {
            this.schedule = schedule;
            return this;
        }

        public Builder prediction(Prediction prediction) {
            this.prediction = prediction;
            return this;
        }

        public Builder variance(VarianceType variance) {
            this.variance = variance;
            return this;
        }

        public Builder loss(LossType loss) {
            this.loss = loss;
            return this;
        }

        public GaussianDiffusion build() {
            if (schedule == null) {
                throw new IllegalArgumentException("schedule: expected a NoiseSchedule, got null");
            }
            return new GaussianDiffusion(this);
        }
    }
}
