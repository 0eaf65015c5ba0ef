package org.diffusion4j.core.memory;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic between an NDArray and a Java number that is safe inside an autograd graph.
 *
 * <p>Why: DJL's PyTorch engine implements {@code x.mul(Number)} (and {@code div}, {@code pow}, {@code maximum},
 * {@code minimum}, and {@code Activation.swish}, which calls {@code mul(Number)}) by wrapping the number in a
 * temporary array backed by a Java direct buffer and closing it right after the op. Autograd keeps that scalar
 * for the backward pass (d(x·c)/dx = c); once a garbage collection frees the buffer, backward reads freed memory
 * and gradients come out wrong or NaN at random. (Addition and subtraction do not keep the scalar and are safe.)
 * The scalars made here live in libtorch's memory, so they stay valid for as long as autograd holds them.
 * Outside autograd (sampling loops, optimiser updates) the plain DJL calls are fine and cheaper.
 */
public final class Scalars {

    private Scalars() {
    }

    /** A 0-d array holding {@code value} in {@code like}'s dtype, owned by libtorch. */
    public static NDArray scalarLike(NDArray like, double value) {
        NDManager manager = like.getManager();
        DataType dtype = like.getDataType();
        if (dtype == DataType.FLOAT64) {
            return NativeArrays.copyOf(manager, new double[] {value}, new Shape());
        }
        return manager.full(new Shape(), (float) value, dtype.isFloating() ? dtype : DataType.FLOAT32);
    }

    /** x · c. */
    public static NDArray mul(NDArray x, double c) {
        try (NDArray s = scalarLike(x, c)) {
            return x.mul(s);
        }
    }

    /** x / c. */
    public static NDArray div(NDArray x, double c) {
        try (NDArray s = scalarLike(x, c)) {
            return x.div(s);
        }
    }

    /** x^e. */
    public static NDArray pow(NDArray x, double e) {
        try (NDArray s = scalarLike(x, e)) {
            return x.pow(s);
        }
    }

    /** max(x, c) elementwise. */
    public static NDArray maximum(NDArray x, double c) {
        try (NDArray s = scalarLike(x, c)) {
            return x.maximum(s);
        }
    }

    /** min(x, c) elementwise. */
    public static NDArray minimum(NDArray x, double c) {
        try (NDArray s = scalarLike(x, c)) {
            return x.minimum(s);
        }
    }
}
