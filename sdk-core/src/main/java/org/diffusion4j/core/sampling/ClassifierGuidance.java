package org.diffusion4j.core.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.diffusion4j.core.process.GaussianDiffusion;

/**
 * Classifier guidance (Dhariwal &amp; Nichol 2021) by score conditioning (their Algorithm 2, after Song et al.):
 * the noise prediction becomes ε̂' = ε̂ − √(1 − ᾱ_t)·s·∇_x log p(y | x_t, t), i.e. the score of p(x_t)·p(y|x_t)^s.
 * Because it changes the network output rather than the DDPM mean, it works for DDPM, DDIM and DPM-Solver++
 * alike; the guided ε̂' is converted back to the process' parameterisation (ε, x0 or v) before the step.
 *
 * <p>The gradient comes from DJL's {@link GradientCollector} through any differentiable
 * {@link LogProbability}; {@link #fromClassifier} adapts a DJL {@link Block} classifier.
 */
public final class ClassifierGuidance {

    /** log p(y | x_t, t) per sample, [B], differentiable in {@code xt}. */
    @FunctionalInterface
    public interface LogProbability {
        NDArray logProb(NDArray xt, NDArray modelTimesteps, NDList cond);
    }

    private final LogProbability logProbability;
    private final double scale;

    private ClassifierGuidance(LogProbability logProbability, double scale) {
        if (logProbability == null) {
            throw new IllegalArgumentException("logProbability: expected a function, got null");
        }
        if (!(scale >= 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("scale: expected a finite value >= 0, got " + scale);
        }
        this.logProbability = logProbability;
        this.scale = scale;
    }

    /** Guidance by an arbitrary differentiable log-likelihood, with scale s ≥ 0 (0 = unguided). */
    public static ClassifierGuidance of(LogProbability logProbability, double scale) {
        return new ClassifierGuidance(logProbability, scale);
    }

    /**
     * Guidance towards {@code labels} (int64 [B], owned by the caller) by a noise-aware classifier whose forward
     * takes {@code NDList(xt, t, cond...)} and returns logits [B, K]; log p(y|x_t) = log_softmax(logits)[y].
     */
    public static ClassifierGuidance fromClassifier(Block classifier, ParameterStore parameterStore, NDArray labels,
                                                    double scale) {
        if (classifier == null || parameterStore == null || labels == null) {
            throw new IllegalArgumentException("classifier, parameterStore, labels: expected non-null values, got "
                    + classifier + ", " + parameterStore + ", " + labels);
        }
        if (labels.getDataType() != DataType.INT64 || labels.getShape().dimension() != 1) {
            throw new IllegalArgumentException("labels: expected int64 [B], got " + labels.getDataType() + " "
                    + labels.getShape());
        }
        return new ClassifierGuidance((xt, t, cond) -> {
            NDList inputs = new NDList(xt, t);
            inputs.addAll(cond);
            NDArray logits = classifier.forward(parameterStore, inputs, false).head();
            Shape s = logits.getShape();
            if (s.dimension() != 2 || s.get(0) != labels.getShape().get(0)) {
                throw new IllegalArgumentException("classifier output: expected logits [" + labels.getShape().get(0)
                        + ", K], got " + s);
            }
            NDArray oneHot = labels.oneHot((int) s.get(1), logits.getDataType());
            oneHot.attach(logits.getManager());
            return logits.logSoftmax(1).mul(oneHot).sum(new int[] {1});
        }, scale);
    }

    public double scale() {
        return scale;
    }

    /** ∇_x log p(y | x_t, t), shaped like xt, in xt's manager. */
    public NDArray gradient(NDArray xt, NDArray modelTimesteps, NDList cond) {
        NDArray input = xt.duplicate();
        input.setRequiresGradient(true);
        try (GradientCollector collector = xt.getManager().getEngine().newGradientCollector()) {
            NDArray logp = logProbability.logProb(input, modelTimesteps, cond);
            Shape expected = new Shape(xt.getShape().get(0));
            if (!logp.getShape().equals(expected)) {
                throw new IllegalArgumentException("logProbability: expected shape " + expected + ", got "
                        + logp.getShape());
            }
            collector.backward(logp.sum());
        }
        NDArray grad = input.getGradient().duplicate();
        grad.attach(xt.getManager());
        return grad;
    }

    /**
     * The guided network output at (x, t): ε̂' = ε̂ − √(1 − ᾱ_t)·s·∇ log p, expressed back in the process'
     * parameterisation; a learned-variance half is passed through unchanged.
     */
    public NDArray apply(GaussianDiffusion diffusion, NDArray modelOutput, NDArray x, int t, NDArray modelTimesteps,
                         NDList cond) {
        if (scale == 0) {
            return modelOutput;
        }
        NDList parts = diffusion.splitModelOutput(modelOutput, x);
        NDArray tArray = x.getManager().full(new Shape(x.getShape().get(0)), t, DataType.INT64);
        NDArray eps = diffusion.predictEps(parts.get(0), x, tArray);
        NDArray grad = gradient(x, modelTimesteps, cond);
        NDArray guided = eps.sub(grad.mul(Math.sqrt(1 - diffusion.schedule().alphaCumprod(t)) * scale)
                .toType(eps.getDataType(), false));
        NDArray mean = switch (diffusion.prediction()) {
            case EPSILON -> guided;
            case X0 -> diffusion.predictX0FromEps(x, tArray, guided);
            case V -> diffusion.predictVFromEps(x, tArray, guided);
        };
        return parts.size() == 1 ? mean : NDArrays.concat(new NDList(mean, parts.get(1)), 1);
    }
}
