package org.diffusion4j.image.bench;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.diffusion4j.core.memory.NativeArrays;
import org.diffusion4j.core.random.NoiseSource;

/**
 * The inputs every U-Net benchmark feeds a forward: x [B, C, side, side] standard normal (seeded by the batch size),
 * t_i = 37·i mod 1000 and class labels y_i = i mod {@code classes}, kept on the host so that each timed run copies
 * them into its own scope (a forward's intermediates then go with that scope).
 */
record UNetInputs(int batch, int channels, int side, float[] x, long[] t, long[] y) {

    static UNetInputs of(int batch, int channels, int side, int classes) {
        NoiseSource noise = NoiseSource.seeded(batch);
        float[] x = new float[batch * channels * side * side];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) noise.nextGaussian();
        }
        long[] t = new long[batch];
        long[] y = new long[batch];
        for (int i = 0; i < batch; i++) {
            t[i] = (i * 37L) % 1000;
            y[i] = i % classes;
        }
        return new UNetInputs(batch, channels, side, x, t, y);
    }

    /** NDList(x, t, y) in {@code scope}. */
    NDList in(NDManager scope) {
        return new NDList(NativeArrays.copyOf(scope, x, new Shape(batch, channels, side, side)),
                NativeArrays.copyOf(scope, t), NativeArrays.copyOf(scope, y));
    }
}
