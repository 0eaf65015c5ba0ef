package org.diffusion4j.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * One training batch: clean data x0 [B, ...] and optional conditioning arrays, each [B, ...] (class labels,
 * spectrograms, ...), in the order the denoiser expects them after (x_t, t). {@code cond} is empty, never null.
 */
public record TrainingBatch(NDArray x0, NDList cond) {

    public TrainingBatch {
        if (x0 == null) {
            throw new IllegalArgumentException("x0: expected an array [B, ...], got null");
        }
        if (x0.getShape().dimension() < 1) {
            throw new IllegalArgumentException("x0: expected shape [B, ...], got a scalar");
        }
        if (cond == null) {
            throw new IllegalArgumentException("cond: expected an NDList (empty when unconditional), got null");
        }
        long batch = x0.getShape().get(0);
        for (int i = 0; i < cond.size(); i++) {
            NDArray c = cond.get(i);
            if (c.getShape().dimension() < 1 || c.getShape().get(0) != batch) {
                throw new IllegalArgumentException("cond[" + i + "]: expected shape [" + batch + ", ...] (batch of x0), got "
                        + c.getShape());
            }
        }
    }

    /** An unconditional batch. */
    public static TrainingBatch of(NDArray x0) {
        return new TrainingBatch(x0, new NDList());
    }

    /** A batch with conditioning. */
    public static TrainingBatch of(NDArray x0, NDArray... cond) {
        return new TrainingBatch(x0, new NDList(cond));
    }

    /** Batch size B. */
    public int size() {
        return Math.toIntExact(x0.getShape().get(0));
    }
}
