package org.diffusion4j.image.data;

import ai.djl.ndarray.NDArray;

/**
 * One training batch: {@code x0} float32 [B, C, H, W] in [-1, 1] and {@code labels} int64 [B] or null.
 * Both live in the manager the batches were requested in; the caller closes them (or that manager).
 */
public record ImageBatch(NDArray x0, NDArray labels) implements AutoCloseable {

    @Override
    public void close() {
        x0.close();
        if (labels != null) {
            labels.close();
        }
    }
}
