package org.diffusion4j.core.memory;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Creates NDArrays from Java data in memory that libtorch owns.
 *
 * <p>Why: DJL's PyTorch engine builds an array made with {@code NDManager.create(float[] ...)} on a direct
 * {@code ByteBuffer} that only the Java {@code NDArray} keeps alive ({@code torch::from_blob}). Once that NDArray is
 * closed, a garbage collection frees the buffer even when libtorch still uses it: as the storage of a view
 * ({@code reshape}, {@code broadcast}, same-dtype {@code toType}), or as a tensor autograd saved for the backward
 * pass. A forward pass that runs in a sub-manager which closes before {@code backward} then reads freed memory:
 * gradients turn NaN at random (seen in this project's U-Net before this class existed). The copies made here live
 * in libtorch's allocator and are reference-counted like any other tensor, so closing them early is safe.
 */
public final class NativeArrays {

    private NativeArrays() {
    }

    /** A float32 array of the given shape holding a copy of {@code data}, owned by libtorch, in {@code manager}. */
    public static NDArray copyOf(NDManager manager, float[] data, Shape shape) {
        ByteBuffer staged = DirectBuffers.allocate(Math.multiplyExact(data.length, Float.BYTES));
        staged.asFloatBuffer().put(data);
        return copyStaged(manager, staged, shape, DataType.FLOAT32);
    }

    /** A float64 array of the given shape holding a copy of {@code data}, owned by libtorch, in {@code manager}. */
    public static NDArray copyOf(NDManager manager, double[] data, Shape shape) {
        ByteBuffer staged = DirectBuffers.allocate(Math.multiplyExact(data.length, Double.BYTES));
        staged.asDoubleBuffer().put(data);
        return copyStaged(manager, staged, shape, DataType.FLOAT64);
    }

    /** An int64 array [n] holding a copy of {@code data}, owned by libtorch, in {@code manager}. */
    public static NDArray copyOf(NDManager manager, long[] data) {
        return copyOf(manager, data, new Shape(data.length));
    }

    /** An int64 array of the given shape holding a copy of {@code data}, owned by libtorch, in {@code manager}. */
    public static NDArray copyOf(NDManager manager, long[] data, Shape shape) {
        ByteBuffer staged = DirectBuffers.allocate(Math.multiplyExact(data.length, Long.BYTES));
        staged.asLongBuffer().put(data);
        return copyStaged(manager, staged, shape, DataType.INT64);
    }

    /**
     * A libtorch-owned copy of the staged bytes, then the staging buffer freed at once ({@link DirectBuffers}): per-step
     * copies (noise, batches) would otherwise hold native memory until a garbage collection.
     */
    private static NDArray copyStaged(NDManager manager, ByteBuffer staged, Shape shape, DataType dataType) {
        if (shape.size() * dataType.getNumOfBytes() != staged.capacity()) {
            DirectBuffers.free(staged);
            throw new IllegalArgumentException("shape: expected " + staged.capacity() / dataType.getNumOfBytes()
                    + " elements (the data's), got " + shape + " (" + shape.size() + ")");
        }
        try {
            try (NDArray javaBacked = manager.create(staged, shape, dataType)) {
                return javaBacked.duplicate();
            }
        } finally {
            DirectBuffers.free(staged);
        }
    }

    /** A boolean array [n] holding a copy of {@code data}, owned by libtorch, in {@code manager}. */
    public static NDArray copyOf(NDManager manager, boolean[] data) {
        try (NDArray javaBacked = manager.create(data)) {
            return javaBacked.duplicate();
        }
    }

    /**
     * Overwrites {@code target}'s values with {@code source}'s (cast to target's dtype) by an in-place copy into
     * target's existing storage. Use this instead of {@code NDArray.set(Buffer)}/{@code set(float[])}, which
     * re-point the array at a Java direct buffer that only that NDArray object keeps alive: parameters filled that
     * way were read after being freed (NaN forward passes in this project's training tests).
     */
    public static void copyInto(NDArray target, NDArray source) {
        if (!target.getShape().equals(source.getShape())) {
            throw new IllegalArgumentException("source: expected shape " + target.getShape() + ", got "
                    + source.getShape());
        }
        NDArray typed = source.getDataType() == target.getDataType() ? source
                : source.toType(target.getDataType(), false);
        target.set(new ai.djl.ndarray.index.NDIndex("..."), typed);
        if (typed != source) {
            typed.close();
        }
    }

    /** {@link #copyInto(NDArray, NDArray)} from Java values laid out in target's shape. */
    public static void copyInto(NDArray target, float[] values) {
        try (NDArray src = copyOf(target.getManager(), values, target.getShape())) {
            copyInto(target, src);
        }
    }

    /**
     * A view of {@code a} (same storage, same autograd history) owned by {@code manager}, or {@code a} itself when
     * {@code manager} already owns it. Use it before computing on a parameter inside a per-call scope: DJL creates
     * the result of an op in the manager of its first operand, so {@code embedding.transpose()} or
     * {@code weight.reshape(...)} inside a sampling step would otherwise pile up in the model's manager until the
     * model is closed. Closing the view does not free the parameter.
     */
    public static NDArray viewIn(NDArray a, NDManager manager) {
        return a.getManager() == manager ? a : viewIn(a, manager, a.getShape());
    }

    /** As {@link #viewIn(NDArray, NDManager)}, reshaped to {@code shape} (one libtorch op for both). */
    public static NDArray viewIn(NDArray a, NDManager manager, Shape shape) {
        NDArray view = a.reshape(shape);
        if (view.getManager() != manager) {
            view.attach(manager);
        }
        return view;
    }

    /**
     * Computes {@code layer(input)} in a sub-manager of {@code input}'s manager and returns the result attached to
     * that manager, so every intermediate array the layer creates is freed when it returns.
     *
     * <p>Why: DJL frees an op's result only when its manager closes, so a network forward run in one scope keeps
     * every activation of every layer until the forward ends (a Python forward frees each as soon as nothing refers
     * to it). Scoping each layer bounds the peak to what the network still needs (its skip connections) plus one
     * layer's intermediates. Safe under autograd with the PyTorch engine: closing a DJL handle drops one reference,
     * and the graph keeps its own references to what backward needs (as when a whole forward scope closes before
     * {@code backward}; arrays made from Java data must still be made with this class, see the class comment).
     *
     * @param input         the layer's input; with {@code consumeInput} it is closed with the layer's scope (pass
     *                      true only for an array nothing else reads later), otherwise it returns to its manager
     * @param layer         the computation; results of ops on {@code input} or {@code borrowed} land in the scope
     * @param borrowed      other arrays the layer reads (e.g. a time embedding): moved into the scope for the call
     *                      and returned to their managers afterwards, so results derived from them are freed too
     * @return the layer's output, owned by {@code input}'s manager (before the call)
     */
    public static NDArray freeingIntermediates(NDArray input, boolean consumeInput, UnaryOperator<NDArray> layer,
            NDArray... borrowed) {
        Objects.requireNonNull(layer, "layer");
        return freeingIntermediatesList(input, consumeInput, in -> new NDList(layer.apply(in)), borrowed).head();
    }

    /** As {@link #freeingIntermediates}, for a layer with several outputs (all attached to input's manager). */
    public static NDList freeingIntermediatesList(NDArray input, boolean consumeInput, Function<NDArray, NDList> layer,
            NDArray... borrowed) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(layer, "layer");
        NDManager owner = input.getManager();
        try (NDManager scope = owner.newSubManager()) {
            if (consumeInput) {
                input.attach(scope);
            } else {
                input.tempAttach(scope);
            }
            for (NDArray b : borrowed) {
                if (b == input) {
                    throw new IllegalArgumentException("borrowed: expected arrays other than input, got input itself");
                }
                b.tempAttach(scope);
            }
            NDList out = layer.apply(input);
            for (NDArray o : out) {
                for (NDArray b : borrowed) {
                    if (o == b) {
                        throw new IllegalStateException("layer: returned a borrowed array; expected a new array or input");
                    }
                }
            }
            out.attach(owner);
            return out;
        }
    }
}
