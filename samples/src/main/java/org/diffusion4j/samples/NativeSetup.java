package org.diffusion4j.samples;

import org.diffusion4j.core.runtime.ConvolutionBackends;

/**
 * libtorch settings the commands apply before their first tensor. They must run before DJL's engine loads, since
 * libtorch reads its thread count once, which is why they are not in {@code Main.main} (that would load the engine
 * for {@code --help} too, before a command could choose its thread count).
 */
public final class NativeSetup {

    private NativeSetup() {
    }

    /**
     * One intra-op thread unless {@code -Dai.djl.pytorch.num_threads} is set (small models and batch-1 steps spend
     * their time in libtorch's thread hand-offs), then {@link #quietConvolutions()}.
     */
    public static void singleThreadUnlessSet() {
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", "1");
        }
        quietConvolutions();
    }

    /**
     * Loads the engine and switches libtorch's NNPACK backend off, which stops the "Could not initialize NNPACK!"
     * line libtorch prints for every small convolution on machines without NNPACK support (about 500 lines for one
     * image at batch 1; {@link ConvolutionBackends}). {@code -Ddiffusion4j.nnpack=on} leaves it on.
     */
    public static void quietConvolutions() {
        ConvolutionBackends.applyNnpackProperty();
    }
}
