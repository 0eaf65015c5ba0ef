package org.diffusion4j.audio.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Objects;

/**
 * An inference forward of {@link WaveGrad} over a long input, a window of mel frames at a time. Its output equals one
 * whole forward's up to float rounding, and its peak memory depends on the window, not on the length of the input.
 *
 * <p>Why: a forward holds activations of channels × samples floats. lmnt's base model peaks at about 390 MB per
 * second of 22.05 kHz audio (3.9 GB for 10 s; docs/benchmarks.md, "Long inputs"), so one forward over a minute of
 * speech would need about 23 GB.
 *
 * <p>How: the network is convolutional with a finite reach R ({@link WaveGradConfig#reachSamples()}). Each window of
 * {@code framesPerCall} frames runs with ⌈R / hop⌉ frames of context on either side, and only its own frames' samples
 * are kept. At the two ends of the input there is no context to add: the window ends where the input ends, and is
 * zero-padded there as the whole forward is. The output at sample p reads only inputs within R of p, and all of those
 * lie inside the window, so it is the same as the whole forward's. Windows start on frame boundaries, so every
 * resampling grid inside the network (rates 1, 2, 4, 12, 60 and 300 for lmnt's factors) falls on the same samples as
 * in the whole forward.
 *
 * <p>Each window runs in its own sub-manager, so only the kept samples outlive it. Inference only: a training forward
 * runs whole (crops are short).
 */
public final class ChunkedForward {

    /**
     * Floats the widest activation of a window may hold under {@link #defaultFramesPerCall}: that of a 128-frame window of
     * lmnt's base model (128 channels × 300 samples per frame in its last UBlock), the fastest window measured for it
     * (docs/benchmarks.md, "Long inputs"), about 19.7 MB.
     */
    public static final long DEFAULT_WINDOW_FLOATS = 128L * 128 * 300;

    private final WaveGrad model;
    private final int framesPerCall;
    private final int contextFrames;

    /**
     * @param framesPerCall frames each network call produces (≥ 1); an input of at most this many frames runs as
     *                      one call
     */
    public ChunkedForward(WaveGrad model, int framesPerCall) {
        this.model = Objects.requireNonNull(model, "model");
        if (framesPerCall < 1) {
            throw new IllegalArgumentException("framesPerCall: expected >= 1, got " + framesPerCall);
        }
        this.framesPerCall = framesPerCall;
        int hop = model.config().hop();
        this.contextFrames = (model.config().reachSamples() + hop - 1) / hop;
    }

    /**
     * Frames per call that give a window's widest activation (channels × samples per frame, the largest over the UBlocks)
     * at most {@link #DEFAULT_WINDOW_FLOATS} floats: 128 for lmnt's base model, 1,024 for the shipped small one, whose
     * narrow layers make each call cheap enough that its fixed cost dominates in short windows (its held-out clips, 130 to
     * 186 frames, vocoded about 30 % slower in 128-frame windows than in one call each: docs/benchmarks.md, "Long inputs").
     */
    public static int defaultFramesPerCall(WaveGradConfig config) {
        long widest = 0;
        int samplesPerPosition = config.hop();
        int[] channels = config.upChannels();
        int[] factors = config.upFactors();
        for (int i = 0; i < channels.length; i++) {
            samplesPerPosition /= factors[i];
            widest = Math.max(widest, (long) channels[i] * (config.hop() / samplesPerPosition));
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, DEFAULT_WINDOW_FLOATS / widest));
    }

    public int framesPerCall() {
        return framesPerCall;
    }

    /** Frames of context on each side of a window: ⌈reach / hop⌉. */
    public int contextFrames() {
        return contextFrames;
    }

    /**
     * ε̂ {@code [N, 1, T]} in {@code audio}'s manager, for audio [N, T] or [N, 1, T], noise level [N] and mel
     * [N, nMels, F] as {@link WaveGrad}'s forward takes them.
     */
    public NDArray forward(ParameterStore parameterStore, NDArray audio, NDArray level, NDArray mel) {
        Shape out = model.getOutputShapes(new Shape[] {audio.getShape(), level.getShape(), mel.getShape()})[0];
        long frames = mel.getShape().get(2);
        if (frames <= framesPerCall) {
            return model.forward(parameterStore, new NDList(audio, level, mel), false).head();
        }
        long hop = model.config().hop();
        NDManager owner = audio.getManager();
        NDArray x = audio.reshape(out);
        NDList kept = new NDList();
        try {
            for (long start = 0; start < frames; start += framesPerCall) {
                long end = Math.min(frames, start + framesPerCall);
                long lo = Math.max(0, start - contextFrames);
                long hi = Math.min(frames, end + contextFrames);
                try (NDManager window = owner.newSubManager()) {
                    NDArray xs = x.get(new NDIndex(":, :, {}:{}", lo * hop, hi * hop));
                    xs.attach(window);
                    NDArray ms = mel.get(new NDIndex(":, :, {}:{}", lo, hi));
                    ms.attach(window);
                    // ops on the level create their results in its manager: borrow it so they close with the window
                    window.tempAttachAll(level);
                    NDArray eps = model.forward(parameterStore, new NDList(xs, level, ms), false).head();
                    NDArray own = eps.get(new NDIndex(":, :, {}:{}", (start - lo) * hop, (end - lo) * hop)).duplicate();
                    own.attach(owner);
                    kept.add(own);
                }
            }
            return NDArrays.concat(kept, 2);
        } finally {
            x.close();
            kept.close();
        }
    }
}
