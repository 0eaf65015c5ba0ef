package org.diffusion4j.core.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.diffusion4j.core.memory.NativeArrays;
import org.diffusion4j.core.nn.Convolutions;
import org.junit.jupiter.api.Test;

class ConvolutionBackendsTest {

    /** A batch-1 3×3 convolution of 64 channels at 7×7: the case that asks libtorch about NNPACK. */
    private static float[] smallConvolution() {
        SplittableRandom rng = new SplittableRandom(5);
        float[] x = new float[64 * 7 * 7];
        float[] w = new float[64 * 64 * 9];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextDouble(-1, 1);
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rng.nextDouble(-1, 1);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            return Convolutions.conv2d(NativeArrays.copyOf(m, x, new Shape(1, 64, 7, 7)),
                    NativeArrays.copyOf(m, w, new Shape(64, 64, 3, 3)), null, 1, 1, 1).toFloatArray();
        }
    }

    @Test
    void nnpackCanBeSwitchedOffAndOnWithoutChangingSmallConvolutions() {
        boolean before = ConvolutionBackends.nnpackEnabled();
        try {
            assertTrue(ConvolutionBackends.setNnpackEnabled(true).applied());
            assertTrue(ConvolutionBackends.nnpackEnabled());
            float[] withNnpack = smallConvolution();
            SettingOutcome off = ConvolutionBackends.disableNnpack();
            assertTrue(off.applied(), off.toString());
            assertFalse(ConvolutionBackends.nnpackEnabled(), "libtorch's context reads the flag we set");
            assertArrayEquals(withNnpack, smallConvolution(), 0f, "a batch-1 convolution never ran on NNPACK");
        } finally {
            ConvolutionBackends.setNnpackEnabled(before);
        }
    }

    @Test
    void thePropertyKeepsNnpackOnlyWhenSetToOnAndRejectsOtherValues() {
        boolean before = ConvolutionBackends.nnpackEnabled();
        String property = System.getProperty(ConvolutionBackends.NNPACK_PROPERTY);
        try {
            ConvolutionBackends.setNnpackEnabled(true);
            System.setProperty(ConvolutionBackends.NNPACK_PROPERTY, "on");
            ConvolutionBackends.applyNnpackProperty();
            assertTrue(ConvolutionBackends.nnpackEnabled(), "-Ddiffusion4j.nnpack=on leaves libtorch's default");

            System.clearProperty(ConvolutionBackends.NNPACK_PROPERTY);
            ConvolutionBackends.applyNnpackProperty();
            assertFalse(ConvolutionBackends.nnpackEnabled(), "unset: switched off, as the CLI does");

            ConvolutionBackends.setNnpackEnabled(true);
            System.setProperty(ConvolutionBackends.NNPACK_PROPERTY, "yes");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    ConvolutionBackends::applyNnpackProperty);
            assertTrue(e.getMessage().contains("expected on or off, got yes"), e.getMessage());
            assertTrue(ConvolutionBackends.nnpackEnabled(), "a rejected value changes nothing");
        } finally {
            if (property == null) {
                System.clearProperty(ConvolutionBackends.NNPACK_PROPERTY);
            } else {
                System.setProperty(ConvolutionBackends.NNPACK_PROPERTY, property);
            }
            ConvolutionBackends.setNnpackEnabled(before);
        }
    }
}
