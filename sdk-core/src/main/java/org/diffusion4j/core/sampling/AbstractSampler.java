package org.diffusion4j.core.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.diffusion4j.core.process.GaussianDiffusion;
import org.diffusion4j.core.schedule.NoiseSchedule;

/**
 * What every sampler shares: the timestep list, the lookup of the next timestep, and the host-side (double)
 * coefficients that express x̂0 and ε̂ as affine functions of (x_t, model output) for each parameterisation, so
 * that a step folds its scalars into a couple of tensor operations.
 */
abstract class AbstractSampler implements Sampler {

    protected final GaussianDiffusion diffusion;
    protected final NoiseSchedule schedule;
    protected final UnaryOperator<NDArray> x0Transform;
    private final int[] timesteps;
    /** position[t] = index of t in timesteps, or −1 when t is not visited. */
    private final int[] position;

    protected AbstractSampler(Builder<?> b) {
        this.diffusion = Objects.requireNonNull(b.diffusion, "diffusion");
        this.schedule = diffusion.schedule();
        int total = diffusion.numTimesteps();
        if (b.timesteps != null) {
            this.timesteps = TimestepSpacing.validateDescending("timesteps", b.timesteps, total);
        } else {
            int steps = b.steps == 0 ? total : b.steps;
            this.timesteps = b.spacing.select(total, steps);
        }
        this.x0Transform = b.x0Transform;
        this.position = new int[total];
        Arrays.fill(position, -1);
        for (int i = 0; i < timesteps.length; i++) {
            position[timesteps[i]] = i;
        }
    }

    @Override
    public final GaussianDiffusion diffusion() {
        return diffusion;
    }

    @Override
    public final int[] timesteps() {
        return timesteps.clone();
    }

    @Override
    public final int nextTimestep(int t) {
        int i = positionOf(t);
        return i + 1 < timesteps.length ? timesteps[i + 1] : -1;
    }

    /** The index of t in {@link #timesteps()}; refuses a timestep this sampler does not visit. */
    protected final int positionOf(int t) {
        if (t < 0 || t >= position.length || position[t] < 0) {
            throw new IllegalArgumentException("t: expected one of this sampler's timesteps "
                    + abbreviate(timesteps) + ", got " + t);
        }
        return position[t];
    }

    protected final int numSteps() {
        return timesteps.length;
    }

    /** ᾱ at t, with t = −1 meaning the clean data (ᾱ = 1). */
    protected final double alphaBar(int t) {
        return t < 0 ? 1.0 : schedule.alphaCumprod(t);
    }

    @Override
    public SamplerState start() {
        return new SamplerState();
    }

    /** The mean part of a model output (the first half of axis 1 for learned variances), shape-checked. */
    protected final NDArray meanOutput(NDArray modelOutput, NDArray x) {
        if (modelOutput == null) {
            throw new IllegalArgumentException("modelOutput: expected shape " + x.getShape() + ", got null");
        }
        NDArray mean = diffusion.splitModelOutput(modelOutput, x).get(0);
        if (mean.getDataType() != x.getDataType()) {
            throw new IllegalArgumentException("modelOutput: expected dtype " + x.getDataType() + ", got "
                    + mean.getDataType());
        }
        return mean;
    }

    protected static void requireNoise(NDArray noise, NDArray x) {
        if (noise == null || !noise.getShape().equals(x.getShape()) || noise.getDataType() != x.getDataType()) {
            throw new IllegalArgumentException("noise: expected " + x.getDataType() + " " + x.getShape() + ", got "
                    + (noise == null ? "null" : noise.getDataType() + " " + noise.getShape()));
        }
    }

    /**
     * x̂0 = a·x + b·m and ε̂ = c·x + d·m for the process' parameterisation at ᾱ (docs/math.md):
     * ε: x̂0 = (x − √(1−ᾱ)·m)/√ᾱ; x0: x̂0 = m, ε̂ = (x − √ᾱ·m)/√(1−ᾱ); v: x̂0 = √ᾱ·x − √(1−ᾱ)·m, ε̂ = √(1−ᾱ)·x + √ᾱ·m.
     */
    protected final Affine outputCoefficients(double abar) {
        double sa = Math.sqrt(abar);
        double s1 = Math.sqrt(1.0 - abar);
        return switch (diffusion.prediction()) {
            case EPSILON -> new Affine(1.0 / sa, -s1 / sa, 0.0, 1.0);
            case X0 -> new Affine(0.0, 1.0, 1.0 / s1, -sa / s1);
            case V -> new Affine(sa, -s1, s1, sa);
        };
    }

    /** x̂0 = a·x + b·m and ε̂ = c·x + d·m. */
    protected record Affine(double x0FromX, double x0FromOut, double epsFromX, double epsFromOut) {
    }

    /** The predicted x0 as a tensor, with the configured transform (clipping, thresholding) applied. */
    protected final NDArray predictX0(NDArray x, NDArray mean, Affine k) {
        NDArray x0 = combine(x, k.x0FromX(), mean, k.x0FromOut());
        return x0Transform == null ? x0 : x0Transform.apply(x0);
    }

    /**
     * a·u + b·v in as few tensor operations as the zero coefficients allow (at most three). The result lives in
     * u's manager (the step's scope), also when v belongs to a longer-lived manager such as the state's history.
     */
    protected static NDArray combine(NDArray u, double a, NDArray v, double b) {
        if (b == 0.0) {
            return scale(u, a);
        }
        if (a == 0.0) {
            return adopt(scale(v, b), u);
        }
        return scale(u, a).addi(adopt(scale(v, b), u));
    }

    /** a·u + b·v + c·w; w may be null when c = 0. The result lives in u's manager. */
    protected static NDArray combine(NDArray u, double a, NDArray v, double b, NDArray w, double c) {
        NDArray out = combine(u, a, v, b);
        return c == 0.0 ? out : out.addi(adopt(scale(w, c), u));
    }

    /** Moves a temporary created by an operation on another manager's array into {@code like}'s manager. */
    private static NDArray adopt(NDArray temporary, NDArray like) {
        if (temporary.getManager() != like.getManager()) {
            temporary.attach(like.getManager());
        }
        return temporary;
    }

    /** c·u as a new array; the scalar is created in u's dtype family (double for float64 tensors). */
    protected static NDArray scale(NDArray u, double c) {
        if (c == 1.0) {
            return u.duplicate();
        }
        return u.getDataType() == DataType.FLOAT64 ? u.mul(c) : u.mul((float) c);
    }

    private static String abbreviate(int[] ts) {
        if (ts.length <= 8) {
            return Arrays.toString(ts);
        }
        return "[" + ts[0] + ", " + ts[1] + ", ..., " + ts[ts.length - 1] + "] (" + ts.length + " steps)";
    }

    /** Settings shared by every sampler's builder. */
    abstract static class Builder<B extends Builder<B>> {
        private final GaussianDiffusion diffusion;
        private int steps;
        private TimestepSpacing spacing = TimestepSpacing.LEADING;
        private int[] timesteps;
        private UnaryOperator<NDArray> x0Transform;

        Builder(GaussianDiffusion diffusion) {
            if (diffusion == null) {
                throw new IllegalArgumentException("diffusion: expected a GaussianDiffusion, got null");
            }
            this.diffusion = diffusion;
        }

        abstract B self();

        /** Number of steps n ∈ [1, T]; default T (every timestep of the process' schedule). */
        public B steps(int steps) {
            if (steps < 1 || steps > diffusion.numTimesteps()) {
                throw new IllegalArgumentException("steps: expected a value in [1, " + diffusion.numTimesteps()
                        + "], got " + steps);
            }
            this.steps = steps;
            return self();
        }

        /** How n timesteps are picked among T; default {@link TimestepSpacing#LEADING}. */
        public B spacing(TimestepSpacing spacing) {
            if (spacing == null) {
                throw new IllegalArgumentException("spacing: expected a TimestepSpacing, got null");
            }
            this.spacing = spacing;
            return self();
        }

        /** An explicit, strictly descending list of timesteps (overrides steps and spacing). */
        public B timesteps(int... timesteps) {
            this.timesteps = TimestepSpacing.validateDescending("timesteps", timesteps, diffusion.numTimesteps());
            return self();
        }

        /** A transform of every predicted x0 before it is used (e.g. {@code x -> x.clip(-1, 1)}); default none. */
        public B x0Transform(UnaryOperator<NDArray> x0Transform) {
            this.x0Transform = x0Transform;
            return self();
        }

        /** Clamps predicted x0 to [−1, 1] (improved-diffusion's {@code clip_denoised}). */
        public B clipDenoised(boolean clip) {
            this.x0Transform = clip ? x -> x.clip(-1, 1) : null;
            return self();
        }
    }
}
