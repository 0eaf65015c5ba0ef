package org.diffusion4j.core.memory;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

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
        try (NDArray javaBacked = manager.create(data, shape)) {
            return javaBacked.duplicate();
        }
    }

    /** A float64 array of the given shape holding a copy of {@code data}, owned by libtorch, in {@code manager}. */
    public static NDArray copyOf(NDManager manager, double[] data, Shape shape) {
        try (NDArray javaBacked = manager.create(data, shape)) {
            return javaBacked.duplicate();
        }
    }

    /** An int64 array [n] holding a copy of {@code data}, owned by libtorch, in {@code manager}. */
    public static NDArray copyOf(NDManager manager, long[] data) {
        try (NDArray javaBacked = manager.create(data)) {
            return javaBacked.duplicate();
        }
    }

    /** A boolean array [n] holding a copy of {@code data}, owned by libtorch, in {@code manager}. */
    public static NDArray copyOf(NDManager manager, boolean[] data) {
        try (NDArray javaBacked = manager.create(data)) {
            return javaBacked.duplicate();
        }
    }
}
