package org.diffusion4j.core.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDResource;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.diffusion4j.core.model.Denoiser;
import org.diffusion4j.core.process.GaussianDiffusion;
import org.diffusion4j.core.random.NoiseSource;

/**
 * The loop shared by every {@link Sampler}: x_T ~ N(0, I) from the options' seed (or the given initial sample),
 * then for each timestep t: network output at (x_t, model t), optional classifier guidance, the sampler's step,
 * optional masked replacement (with RePaint jumps), listener.
 *
 * <p>Memory: each step runs in a sub-manager of the run's manager; the caller's arrays (conditioning, mask data)
 * are only temporarily attached to it and the step's result is returned to the run with {@code ret}, so the number
 * of live arrays is the same after every step. Every array is created on the options' manager's device; nothing
 * is copied to the host except the [B] timestep vector read by the process' lookups.
 */
public final class SamplingLoop {

    private final Sampler sampler;

    public SamplingLoop(Sampler sampler) {
        this.sampler = Objects.requireNonNull(sampler, "sampler");
    }

    /** One move of the (possibly RePaint) schedule over positions 0..n of the timestep list (n = x0). */
    record Move(boolean down, int from, int to) {
    }

    /** Samples a batch of the given shape; the result is attached to the options' manager. */
    public NDArray run(Denoiser denoiser, Shape shape, SamplingOptions options) {
        if (denoiser == null) {
            throw new IllegalArgumentException("denoiser: expected a Denoiser, got null");
        }
        if (options == null) {
            throw new IllegalArgumentException("options: expected SamplingOptions, got null");
        }
        validateShape(shape);
        DataType dtype = options.dataType();
        GaussianDiffusion diffusion = sampler.diffusion();
        int[] ts = sampler.timesteps();
        int n = ts.length;
        options.initialSample().ifPresent(init -> requireLike("initial sample", init, shape, dtype));
        int start = startIndex(ts, options);
        MaskedGeneration mask = options.mask().orElse(null);
        if (mask != null) {
            mask.validate(shape, dtype);
        }
        List<Move> moves = plan(n, start, mask);
        int evaluations = (int) moves.stream().filter(Move::down).count();
        NDList cond = options.conditioning();
        List<NDResource> borrowed = borrowedArrays(cond, mask);
        SamplingListener listener = options.listener();
        NoiseSource noise = NoiseSource.seeded(options.seed());
        NDManager outer = options.manager();
        listener.onStart(evaluations);
        try (NDManager run = outer.newSubManager(); SamplerState state = sampler.start()) {
            NDArray x;
            if (options.initialSample().isPresent()) {
                x = run.create(shape, dtype);
                options.initialSample().get().copyTo(x);
            } else {
                x = noise.normal(run, shape, dtype);
            }
            if (mask != null) {
                x = inScope(run, x, borrowed, (scope, cur) -> replaceKnown(diffusion, mask, cur, ts[start], noise));
            }
            int index = 0;
            for (Move move : moves) {
                if (move.down()) {
                    int t = ts[move.from()];
                    int stepIndex = index++;
                    x = inScope(run, x, borrowed, (scope, cur) -> {
                        NDArray next = denoiseStep(scope, diffusion, denoiser, options, state, cur, t, noise);
                        if (mask != null) {
                            int tNext = move.to() < n ? ts[move.to()] : -1;
                            next = replaceKnown(diffusion, mask, next, tNext, noise);
                        }
                        listener.onStep(stepIndex, t, listener.wantsSamples() ? next : null);
                        return next;
                    });
                } else {
                    double from = levelAlphaBar(diffusion, ts, move.from());
                    double to = levelAlphaBar(diffusion, ts, move.to());
                    x = inScope(run, x, borrowed, (scope, cur) -> {
                        // q(x_{to} | x_{from}) = N(√(ᾱ_to/ᾱ_from)·x, (1 − ᾱ_to/ᾱ_from)·I): RePaint's jump back.
                        NDArray z = noise.normal(scope, shape, dtype);
                        return AbstractSampler.combine(cur, Math.sqrt(to / from), z, Math.sqrt(1 - to / from));
                    });
                    state.reset();
                }
            }
            x.attach(outer);
            return x;
        } finally {
            listener.onEnd();
        }
    }

    private static int startIndex(int[] ts, SamplingOptions options) {
        return options.initialSample().isPresent() ? indexOf(ts, options.startTimestep()) : 0;
    }

    /** One network evaluation and sampler step at t, inside the step's scope. */
    private NDArray denoiseStep(NDManager scope, GaussianDiffusion diffusion, Denoiser denoiser,
                                SamplingOptions options, SamplerState state, NDArray x, int t, NoiseSource noise) {
        long batch = x.getShape().get(0);
        NDArray tArray = scope.full(new Shape(batch), t, DataType.INT64);
        NDArray modelT = diffusion.modelTimesteps(tArray);
        NDList cond = options.conditioning();
        NDArray out = denoiser.predict(x, modelT, cond);
        if (out == null) {
            throw new IllegalStateException("denoiser returned null at t = " + t);
        }
        out.attach(scope);
        if (options.classifierGuidance().isPresent()) {
            out = options.classifierGuidance().get().apply(diffusion, out, x, t, modelT, cond);
        }
        NDArray z = sampler.usesNoise(t) ? noise.normal(scope, x.getShape(), x.getDataType()) : null;
        return sampler.step(state, out, t, x, z);
    }

    /** Known entries ← q(x_t | known) (or the known data itself when t = −1, the final result). */
    private static NDArray replaceKnown(GaussianDiffusion diffusion, MaskedGeneration mask, NDArray x, int t,
                                        NoiseSource noise) {
        NDArray known;
        if (t < 0) {
            known = mask.known();
        } else {
            NDArray tArray = x.getManager().full(new Shape(x.getShape().get(0)), t, DataType.INT64);
            known = diffusion.qSample(mask.known(), tArray, noise.normal(x.getManager(), x.getShape(),
                    x.getDataType()));
        }
        // libtorch's where does not broadcast the condition here: expand the mask to x's shape first.
        NDArray condition = mask.mask().getShape().equals(x.getShape()) ? mask.mask() : mask.mask().broadcast(x.getShape());
        return NDArrays.where(condition, known, x);
    }

    /** ᾱ at position p of the timestep list; p = n is the data (ᾱ = 1). */
    private static double levelAlphaBar(GaussianDiffusion diffusion, int[] ts, int position) {
        return position >= ts.length ? 1.0 : diffusion.schedule().alphaCumprod(ts[position]);
    }

    /**
     * The moves from position {@code start} to n. Without resampling: n − start denoising steps. With RePaint
     * (jump length j, count r): after reaching level L (L = n − position) where L is a multiple of j below the
     * start level minus j, jump back j levels, r − 1 times per such level (RePaint's {@code get_schedule_jump}).
     */
    static List<Move> plan(int n, int start, MaskedGeneration mask) {
        List<Move> moves = new ArrayList<>();
        int jump = mask == null ? 1 : mask.jumpLength();
        int repeats = mask == null ? 0 : mask.jumpCount() - 1;
        int top = n - start;
        Map<Integer, Integer> jumps = new java.util.HashMap<>();
        if (repeats > 0) {
            for (int level = 0; level < top - jump; level += jump) {
                jumps.put(level, repeats);
            }
        }
        int level = top;
        while (level >= 1) {
            moves.add(new Move(true, n - level, n - level + 1));
            level--;
            int left = jumps.getOrDefault(level, 0);
            if (left > 0) {
                jumps.put(level, left - 1);
                moves.add(new Move(false, n - level, n - level - jump));
                level += jump;
            }
        }
        return moves;
    }

    /** A computation on x inside a fresh sub-manager of {@code run}. */
    @FunctionalInterface
    interface ScopedStep {
        NDArray apply(NDManager scope, NDArray x);
    }

    /**
     * Runs {@code body} in a sub-manager: borrowed arrays are temporarily attached (and go back to their owners),
     * the old x is freed with the scope, and the result is returned to {@code run}.
     */
    static NDArray inScope(NDManager run, NDArray x, List<NDResource> borrowed, ScopedStep body) {
        try (NDManager scope = run.newSubManager()) {
            if (!borrowed.isEmpty()) {
                scope.tempAttachAll(borrowed.toArray(new NDResource[0]));
            }
            x.attach(scope);
            NDArray next = body.apply(scope, x);
            return scope.ret(next);
        }
    }

    /** The caller's arrays used inside steps, each once (a second temporary attach would lose its owner). */
    private static List<NDResource> borrowedArrays(NDList cond, MaskedGeneration mask) {
        Map<NDArray, Boolean> seen = new IdentityHashMap<>();
        List<NDResource> out = new ArrayList<>();
        List<NDArray> all = new ArrayList<>(cond);
        if (mask != null) {
            all.add(mask.known());
            all.add(mask.mask());
        }
        for (NDArray a : all) {
            if (seen.put(a, Boolean.TRUE) == null) {
                out.add(a);
            }
        }
        return out;
    }

    /**
     * DDIM-style inversion driver: x starts as a copy of {@code x0}; step k evaluates the network at
     * {@code ascending[max(k − 1, 0)]} and moves x to the level of {@code ascending[k]}.
     */
    NDArray runInversion(Denoiser denoiser, NDArray x0, SamplingOptions options, int[] ascending,
                         InversionStep step) {
        if (denoiser == null || x0 == null || options == null) {
            throw new IllegalArgumentException("denoiser, x0, options: expected non-null values");
        }
        validateShape(x0.getShape());
        GaussianDiffusion diffusion = sampler.diffusion();
        List<NDResource> borrowed = borrowedArrays(options.conditioning(), null);
        SamplingListener listener = options.listener();
        NDManager outer = options.manager();
        listener.onStart(ascending.length);
        try (NDManager run = outer.newSubManager()) {
            NDArray x = run.create(x0.getShape(), x0.getDataType());
            x0.copyTo(x);
            for (int k = 0; k < ascending.length; k++) {
                int from = ascending[Math.max(k - 1, 0)];
                int to = ascending[k];
                int index = k;
                x = inScope(run, x, borrowed, (scope, cur) -> {
                    NDArray tArray = scope.full(new Shape(cur.getShape().get(0)), from, DataType.INT64);
                    NDArray out = denoiser.predict(cur, diffusion.modelTimesteps(tArray), options.conditioning());
                    out.attach(scope);
                    NDArray next = step.apply(cur, out, from, to);
                    listener.onStep(index, from, listener.wantsSamples() ? next : null);
                    return next;
                });
            }
            x.attach(outer);
            return x;
        } finally {
            listener.onEnd();
        }
    }

    /** One inversion update from the level of {@code from} to that of {@code to}. */
    @FunctionalInterface
    interface InversionStep {
        NDArray apply(NDArray x, NDArray modelOutput, int from, int to);
    }

    private static int indexOf(int[] ts, int t) {
        for (int i = 0; i < ts.length; i++) {
            if (ts[i] == t) {
                return i;
            }
        }
        throw new IllegalArgumentException("startTimestep: expected one of the sampler's timesteps, got " + t);
    }

    private static void validateShape(Shape shape) {
        if (shape == null || shape.dimension() < 1) {
            throw new IllegalArgumentException("shape: expected [B, ...] with rank >= 1, got " + shape);
        }
        for (long d : shape.getShape()) {
            if (d < 1) {
                throw new IllegalArgumentException("shape: expected every axis >= 1, got " + shape);
            }
        }
    }

    private static void requireLike(String name, NDArray a, Shape shape, DataType dtype) {
        if (!a.getShape().equals(shape) || a.getDataType() != dtype) {
            throw new IllegalArgumentException(name + ": expected " + dtype + " " + shape + ", got " + a.getDataType()
                    + " " + a.getShape());
        }
    }
}
