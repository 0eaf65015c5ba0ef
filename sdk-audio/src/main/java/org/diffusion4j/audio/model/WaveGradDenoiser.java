package org.diffusion4j.audio.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Objects;
import org.diffusion4j.core.model.Denoiser;

/**
 * Runs WaveGrad behind core's {@link Denoiser} contract for one inference schedule: the discrete index t
 * of that schedule is mapped to the continuous level √ᾱ_t = √∏_{i≤t}(1 − β_i) the network is conditioned
 * on (lmnt inference.py passes exactly this), and the mel travels in {@code cond}. Because WaveGrad
 * is conditioned on the level rather than on the index, the same weights run on any schedule; build one
 * adapter per schedule.
 *
 * <p>Shapes: xt [N, T] or [N, 1, T]; t int [N] with values in [0, steps); cond = NDList(mel [N, nMels, F]).
 * The output is ε̂ with xt's shape.
 *
 * <p>An inference adapter built with {@code framesPerCall > 0} runs the network over long inputs a window of frames at a
 * time ({@link ChunkedForward}): the same ε̂ up to float rounding, with memory bounded by the window.
 */
public final class WaveGradDenoiser implements Denoiser {

    private final WaveGrad model;
    private final ParameterStore parameterStore;
    private final boolean training;
    private final float[] levels;
    private final ChunkedForward chunked;

    /** An adapter that runs every call as one whole forward. */
    public WaveGradDenoiser(WaveGrad model, ParameterStore parameterStore, double[] betas, boolean training) {
        this(model, parameterStore, betas, training, null);
    }

    /**
     * An inference adapter whose network calls produce at most {@code framesPerCall} mel frames each
     * ({@link ChunkedForward}).
     *
     * @param framesPerCall ≥ 1
     */
    public WaveGradDenoiser(WaveGrad model, ParameterStore parameterStore, double[] betas, int framesPerCall) {
        this(model, parameterStore, betas, false, new ChunkedForward(Objects.requireNonNull(model, "model"), framesPerCall));
    }

    private WaveGradDenoiser(WaveGrad model, ParameterStore parameterStore, double[] betas, boolean training,
            ChunkedForward chunked) {
        this.model = Objects.requireNonNull(model, "model");
        this.parameterStore = Objects.requireNonNull(parameterStore, "parameterStore");
        this.training = training;
        this.levels = noiseLevels(betas);
        this.chunked = chunked;
    }

    /** √ᾱ_t for each step t of a beta schedule; betas must lie in (0, 1). */
    public static float[] noiseLevels(double[] betas) {
        Objects.requireNonNull(betas, "betas");
        if (betas.length == 0) {
            throw new IllegalArgumentException("betas: expected at least one step, got none");
        }
        float[] out = new float[betas.length];
        double alphaBar = 1;
        for (int i = 0; i < betas.length; i++) {
            if (!(betas[i] > 0 && betas[i] < 1)) {
                throw new IllegalArgumentException("betas[" + i + "]: expected a value in (0, 1), got " + betas[i]);
            }
            alphaBar *= 1 - betas[i];
            out[i] = (float) Math.sqrt(alphaBar);
        }
        return out;
    }

    public int steps() {
        return levels.length;
    }

    @Override
    public NDArray predict(NDArray xt, NDArray t, NDList cond) {
        Objects.requireNonNull(cond, "cond");
        if (cond.size() != 1) {
            throw new IllegalArgumentException("cond: expected NDList(mel [N, nMels, F]), got " + cond.size() + " arrays");
        }
        long[] idx = t.toType(DataType.INT64, false).toLongArray();
        float[] lv = new float[idx.length];
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= levels.length) {
                throw new IllegalArgumentException("t[" + i + "]: expected a step in [0, " + levels.length + "), got " + idx[i]);
            }
            lv[i] = levels[(int) idx[i]];
        }
        NDArray level = xt.getManager().create(lv, new Shape(idx.length)).toType(xt.getDataType(), false);
        NDArray eps = chunked != null ? chunked.forward(parameterStore, xt, level, cond.head())
                : model.forward(parameterStore, new NDList(xt, level, cond.head()), training).head();
        return eps.reshape(xt.getShape());
    }
}
