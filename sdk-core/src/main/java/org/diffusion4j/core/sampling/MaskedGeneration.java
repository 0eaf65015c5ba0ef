package org.diffusion4j.core.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Generation with some entries known (inpainting, audio continuation, infilling a token sequence): generic over
 * shape. {@code known} has the sample's shape; {@code mask} is boolean with the sample's rank, each axis equal
 * to the sample's or 1 (broadcast), true where the entry is known. At every step the known entries of the new
 * sample are replaced by a forward-noised copy of the known data q(x_{t'} | x0 = known) at the level of the step
 * being produced (RePaint, Lugmayr et al. 2022, eq. 8); the final result holds the known data exactly.
 *
 * <p>RePaint resampling: with {@code jumpLength} j and {@code jumpCount} r > 1, at every j-th level the run
 * goes back j levels by forward diffusion, x_{k+j} ~ q(x_{k+j} | x_k), and denoises them again, r − 1 times per
 * jump point (the RePaint paper's schedule, with jump_n_sample = r). r = 1 means no resampling.
 *
 * @param known      the data to keep, the sample's shape; stays owned by the caller
 * @param mask       boolean, true = known; stays owned by the caller
 * @param jumpLength j ≥ 1 levels per jump
 * @param jumpCount  r ≥ 1 traversals of each jumped segment
 */
public record MaskedGeneration(NDArray known, NDArray mask, int jumpLength, int jumpCount) {

    public MaskedGeneration {
        if (known == null) {
            throw new IllegalArgumentException("known: expected an array, got null");
        }
        if (mask == null) {
            throw new IllegalArgumentException("mask: expected a boolean array, got null");
        }
        if (mask.getDataType() != DataType.BOOLEAN) {
            throw new IllegalArgumentException("mask: expected dtype boolean, got " + mask.getDataType());
        }
        if (jumpLength < 1) {
            throw new IllegalArgumentException("jumpLength: expected >= 1, got " + jumpLength);
        }
        if (jumpCount < 1) {
            throw new IllegalArgumentException("jumpCount: expected >= 1, got " + jumpCount);
        }
    }

    /** Replacement at every step without resampling. */
    public static MaskedGeneration of(NDArray known, NDArray mask) {
        return new MaskedGeneration(known, mask, 1, 1);
    }

    /** Replacement with RePaint resampling. */
    public static MaskedGeneration repaint(NDArray known, NDArray mask, int jumpLength, int jumpCount) {
        return new MaskedGeneration(known, mask, jumpLength, jumpCount);
    }

    /** Checks shapes against the sample's. */
    void validate(Shape sample, DataType dtype) {
        if (!known.getShape().equals(sample)) {
            throw new IllegalArgumentException("known: expected shape " + sample + ", got " + known.getShape());
        }
        if (known.getDataType() != dtype) {
            throw new IllegalArgumentException("known: expected dtype " + dtype + ", got " + known.getDataType());
        }
        Shape m = mask.getShape();
        boolean ok = m.dimension() == sample.dimension();
        for (int i = 0; ok && i < m.dimension(); i++) {
            ok = m.get(i) == sample.get(i) || m.get(i) == 1;
        }
        if (!ok) {
            throw new IllegalArgumentException("mask: expected shape " + sample + " or one broadcastable to it "
                    + "(same rank, axes equal or 1), got " + m);
        }
    }
}
