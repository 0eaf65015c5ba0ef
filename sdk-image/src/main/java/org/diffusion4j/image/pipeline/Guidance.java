package org.diffusion4j.image.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.diffusion4j.core.model.Denoiser;
import org.diffusion4j.core.sampling.ClassifierFreeGuidance;

/**
 * What to condition a generation on: nothing (a class-conditional model then gets its null class), or class
 * labels with a classifier-free guidance weight w (ε̂ = ε_∅ + w·(ε_c − ε_∅), Ho &amp; Salimans 2022; w = 1 is the
 * plain conditional model, w = 0 the unconditional one, w &gt; 1 sharper and less diverse samples).
 *
 * @param labels one label per image, or one label for the whole batch; empty = unconditional
 * @param scale  w ≥ 0
 */
public record Guidance(int[] labels, double scale) {

    public Guidance {
        labels = labels == null ? new int[0] : labels.clone();
        if (!(scale >= 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("guidance scale: expected a finite value >= 0, got " + scale);
        }
    }

    /** No conditioning. */
    public static Guidance none() {
        return new Guidance(new int[0], 1.0);
    }

    /** Every image of the batch conditioned on {@code label} with weight {@code scale}. */
    public static Guidance of(int label, double scale) {
        return new Guidance(new int[] {label}, scale);
    }

    /** One label per image with weight {@code scale}. */
    public static Guidance of(int[] labels, double scale) {
        return new Guidance(labels, scale);
    }

    public boolean unconditional() {
        return labels.length == 0;
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    /** The denoiser and the conditioning a sampler gets for a batch of {@code batch} images. */
    record Resolved(Denoiser denoiser, NDList conditioning) {
    }

    /**
     * Checks the labels against {@code model} and builds the conditioning arrays in {@code manager}.
     *
     * @throws IllegalArgumentException for labels out of range, a label count that is neither 1 nor B, labels for
     *     an unconditional model, or guidance (w ≠ 1) / unconditional sampling of a model without a null class
     */
    Resolved resolve(ImageModel model, int batch, NDManager manager) {
        if (!model.classConditional()) {
            if (!unconditional()) {
                throw new IllegalArgumentException("labels: expected none for an unconditional model, got "
                        + Arrays.toString(labels));
            }
            return new Resolved(model.denoiser(), new NDList());
        }
        if (unconditional()) {
            requireNull(model, "unconditional sampling of a class-conditional model");
            return new Resolved(model.denoiser(), new NDList(manager.full(new Shape(batch), model.nullClass())
                    .toType(ai.djl.ndarray.types.DataType.INT64, false)));
        }
        if (labels.length != 1 && labels.length != batch) {
            throw new IllegalArgumentException("labels: expected 1 or " + batch + " (the batch size) labels, got "
                    + labels.length);
        }
        long[] y = new long[batch];
        for (int i = 0; i < batch; i++) {
            int l = labels[labels.length == 1 ? 0 : i];
            if (l < 0 || l >= model.numClasses()) {
                throw new IllegalArgumentException("labels[" + (labels.length == 1 ? 0 : i) + "]: expected a class in [0, "
                        + model.numClasses() + "), got " + l);
            }
            y[i] = l;
        }
        NDList cond = new NDList(manager.create(y, new Shape(batch)));
        if (scale == 1.0) {
            return new Resolved(model.denoiser(), cond);
        }
        requireNull(model, "guidance scale " + scale + " (!= 1)");
        NDArray nullLabel = manager.create(new long[] {model.nullClass()}, new Shape(1));
        Denoiser guided = ClassifierFreeGuidance.builder(model.denoiser(), new NDList(nullLabel)).scale(scale)
                .learnedVariance(model.learnedVariance()).build();
        return new Resolved(guided, cond);
    }

    private static void requireNull(ImageModel model, String what) {
        if (model.nullClass() < 0) {
            throw new IllegalArgumentException("model: " + what + " needs a null class (train with nullClass and "
                    + "conditioning dropout), this model has none");
        }
    }
}
