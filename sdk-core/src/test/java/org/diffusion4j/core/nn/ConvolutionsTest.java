package org.diffusion4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.diffusion4j.core.memory.NativeArrays;
import org.junit.jupiter.api.Test;

/**
 * Convolutions against a direct Java implementation of the same sums, forward and both gradients, after the
 * allocator has been left full of NaN: libtorch's oneDNN path reads unzeroed channel padding (see
 * {@link Convolutions}), so with channel counts that are not multiples of 16 the plain DJL call returns NaN or wrong
 * values here, and a regression in the padding makes these tests fail.
 */
class ConvolutionsTest {

    /** Allocates and frees NaN-filled arrays of many sizes, so that the next allocations reuse NaN memory. */
    static void poisonAllocator() {
        try (NDManager p = NDManager.newBaseManager()) {
            List<NDArray> keep = new ArrayList<>();
            for (int n = 16; n <= (1 << 16); n *= 2) {
                for (int r = 0; r < 4; r++) {
                    keep.add(p.full(new Shape(n), Float.NaN));
                    keep.add(p.full(new Shape(n * 3 / 2), Float.NaN));
                }
            }
        }
    }

    /** Forward, dL/dx and dL/dw of L = Σ y·r, all computed by direct summation in double precision. */
    record Reference(double[] y, double[] gx, double[] gw) {
    }

    /**
     * 1-D is the 2-D case with H = 1 and a 1×k kernel applied along W only: both are written as [B, C, H, W] with
     * kernel kh × kw, stride/padding/dilation applied along the axes whose kernel is larger than one or which are
     * spatial in the 1-D/2-D sense ({@code twoD}).
     */
    static Reference reference(float[] x, float[] w, float[] b, float[] r, int batch, int cin, int cout, int h,
            int wd, int k, boolean twoD, int stride, int pad, int dil, int oh, int ow) {
        int kh = twoD ? k : 1;
        int sh = twoD ? stride : 1;
        int ph = twoD ? pad : 0;
        int dh = twoD ? dil : 1;
        double[] y = new double[batch * cout * oh * ow];
        double[] gx = new double[x.length];
        double[] gw = new double[w.length];
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < cout; o++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        int yi = ((n * cout + o) * oh + i) * ow + j;
                        double s = b[o];
                        for (int c = 0; c < cin; c++) {
                            for (int u = 0; u < kh; u++) {
                                int xi = i * sh - ph + u * dh;
                                if (xi < 0 || xi >= h) {
                                    continue;
                                }
                                for (int v = 0; v < k; v++) {
                                    int xj = j * stride - pad + v * dil;
                                    if (xj < 0 || xj >= wd) {
                                        continue;
                                    }
                                    int xIdx = ((n * cin + c) * h + xi) * wd + xj;
                                    int wIdx = ((o * cin + c) * kh + u) * k + v;
                                    s += (double) x[xIdx] * w[wIdx];
                                    gx[xIdx] += (double) r[yi] * w[wIdx];
                                    gw[wIdx] += (double) r[yi] * x[xIdx];
                                }
                            }
                        }
                        y[yi] = s;
                    }
                }
            }
        }
        return new Reference(y, gx, gw);
    }

    static float[] gaussian(SplittableRandom rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            double u1 = rng.nextDouble();
            double u2 = rng.nextDouble();
            v[i] = (float) (Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2));
        }
        return v;
    }

    static void checkAgainstReference(boolean twoD, int batch, int cin, int cout, int size, int k, int stride,
            int dilation, long seed, boolean poison) {
        int pad = dilation * (k - 1) / 2;
        int h = twoD ? size : 1;
        int oh = twoD ? (size + 2 * pad - dilation * (k - 1) - 1) / stride + 1 : 1;
        int ow = (size + 2 * pad - dilation * (k - 1) - 1) / stride + 1;
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = gaussian(rng, batch * cin * h * size);
        float[] w = gaussian(rng, cout * cin * (twoD ? k * k : k));
        float[] b = gaussian(rng, cout);
        float[] r = gaussian(rng, batch * cout * oh * ow);
        Reference ref = reference(x, w, b, r, batch, cin, cout, h, size, k, twoD, stride, pad, dilation, oh, ow);
        try (NDManager m = NDManager.newBaseManager()) {
            Shape xs = twoD ? new Shape(batch, cin, size, size) : new Shape(batch, cin, size);
            Shape ws = twoD ? new Shape(cout, cin, k, k) : new Shape(cout, cin, k);
            Shape ys = twoD ? new Shape(batch, cout, oh, ow) : new Shape(batch, cout, ow);
            NDArray xa = NativeArrays.copyOf(m, x, xs);
            NDArray wa = NativeArrays.copyOf(m, w, ws);
            NDArray ba = NativeArrays.copyOf(m, b, new Shape(cout));
            NDArray ra = NativeArrays.copyOf(m, r, ys);
            xa.setRequiresGradient(true);
            wa.setRequiresGradient(true);
            NDArray y;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                if (poison) {
                    poisonAllocator();
                }
                y = twoD ? Convolutions.conv2d(xa, wa, ba, stride, pad, dilation)
                        : Convolutions.conv1d(xa, wa, ba, stride, pad, dilation);
                assertEquals(ys, y.getShape());
                if (poison) {
                    poisonAllocator();
                }
                gc.backward(y.mul(ra).sum());
            }
            String where = (twoD ? "2-D" : "1-D") + " b=" + batch + " cin=" + cin + " cout=" + cout + " k=" + k
                    + " stride=" + stride + " dilation=" + dilation;
            assertClose(ref.y(), y.toFloatArray(), "output, " + where);
            assertClose(ref.gx(), xa.getGradient().toFloatArray(), "input gradient, " + where);
            assertClose(ref.gw(), wa.getGradient().toFloatArray(), "weight gradient, " + where);
        }
    }

    /** float32 accumulation over at most a few hundred terms of unit-scale products: 1e-3 relative is ample. */
    static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double tol = 1e-3 * Math.max(1, Math.abs(expected[i]));
            int at = i;
            assertTrue(Math.abs(expected[i] - actual[i]) <= tol,
                    () -> what + ": element " + at + " expected " + expected[at] + " got " + actual[at]);
        }
    }

    /** The channel counts that break the plain oneDNN path (not multiples of 8 or 16), batch 2 so oneDNN runs. */
    @Test
    void exactAfterTheAllocatorHoldsNaNForChannelCountsOneDnnPads() {
        int[][] channels = {{1, 1}, {3, 8}, {8, 4}, {12, 20}, {20, 16}, {24, 16}, {40, 24}, {16, 16}, {32, 2}};
        for (int[] c : channels) {
            checkAgainstReference(true, 2, c[0], c[1], 8, 3, 1, 1, 11, true);
            checkAgainstReference(false, 2, c[0], c[1], 32, 3, 1, 1, 12, true);
        }
        checkAgainstReference(true, 2, 24, 8, 8, 3, 2, 1, 13, true);
        checkAgainstReference(true, 2, 48, 16, 8, 3, 2, 1, 16, true);
        checkAgainstReference(false, 2, 24, 8, 32, 3, 1, 2, 14, true);
        checkAgainstReference(true, 3, 20, 12, 6, 1, 1, 1, 15, true);
    }

    @Property(tries = 25)
    void matchesDirectSummationOverRandomShapes(
            @ForAll boolean twoD,
            @ForAll @IntRange(min = 1, max = 3) int batch,
            @ForAll @IntRange(min = 1, max = 40) int cin,
            @ForAll @IntRange(min = 1, max = 36) int cout,
            @ForAll @IntRange(min = 0, max = 2) int kernelIndex,
            @ForAll @IntRange(min = 1, max = 2) int stride,
            @ForAll @IntRange(min = 1, max = 2) int dilation,
            @ForAll @IntRange(min = 5, max = 9) int size) {
        int k = new int[] {1, 3, 5}[kernelIndex];
        if (dilation * (k - 1) >= size) {
            dilation = 1;
        }
        checkAgainstReference(twoD, batch, cin, cout, size, k, stride, dilation, 31L * cin + cout, true);
    }

    @Test
    void rejectsMismatchedShapesNamingTheArgument() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.zeros(new Shape(2, 3, 8, 8));
            NDArray w = m.zeros(new Shape(4, 5, 3, 3));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Convolutions.conv2d(x, w, null, 1, 1, 1));
            assertTrue(e.getMessage().startsWith("weight: expected [O, 3, k, k]"), e.getMessage());
            NDArray w2 = m.zeros(new Shape(4, 3, 3, 3));
            IllegalArgumentException eb = assertThrows(IllegalArgumentException.class,
                    () -> Convolutions.conv2d(x, w2, m.zeros(new Shape(5)), 1, 1, 1));
            assertTrue(eb.getMessage().startsWith("bias: expected shape [4], got (5)"), eb.getMessage());
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                    () -> Convolutions.conv1d(x, w2, null, 1, 1, 1));
            assertTrue(ex.getMessage().startsWith("x: expected [B, C, L]"), ex.getMessage());
        }
    }

    @Test
    void paddedCopiesLiveInTheCallersManagerNotTheWeights() {
        try (NDManager m = NDManager.newBaseManager(); NDManager params = m.newSubManager()) {
            NDArray w = params.ones(new Shape(4, 3, 3, 3));
            NDArray b = params.ones(new Shape(4));
            int before = params.getManagedArrays().size();
            for (int i = 0; i < 3; i++) {
                try (NDManager call = m.newSubManager()) {
                    Convolutions.conv2d(call.ones(new Shape(2, 3, 5, 5)), w, b, 1, 1, 1);
                }
            }
            assertEquals(before, params.getManagedArrays().size());
        }
    }

    /**
     * Kernel 1, stride 1: the plain matrix product at batch 1, the broadcast one at batch 4, and from batch 16 on
     * the (channel-padded) convolution: each against direct summation, gradients included.
     */
    @Test
    void pointwiseConvolutionsMatchDirectSummation() {
        for (int batch : new int[] {1, 4, Convolutions.POINTWISE_CONVOLUTION_BATCH}) {
            checkAgainstReference(false, batch, 16, 64, 30, 1, 1, 1, 21, true);
            checkAgainstReference(false, batch, 7, 5, 11, 1, 1, 2, 22, true);
            checkAgainstReference(true, batch, 20, 12, 6, 1, 1, 1, 23, true);
        }
    }

    @Test
    void pointwiseViewsOfTheWeightsLiveInTheCallersManager() {
        try (NDManager m = NDManager.newBaseManager(); NDManager params = m.newSubManager()) {
            NDArray w = params.ones(new Shape(4, 3, 1));
            NDArray b = params.ones(new Shape(4));
            int before = params.getManagedArrays().size();
            for (int i = 0; i < 3; i++) {
                try (NDManager call = m.newSubManager()) {
                    NDArray y = Convolutions.conv1d(call.ones(new Shape(1, 3, 5)), w, b, 1, 0, 1);
                    assertEquals(new Shape(1, 4, 5), y.getShape());
                    assertEquals(4f, y.getFloat(0, 2, 3)); // 3 ones times weight 1, plus bias 1
                }
            }
            assertEquals(before, params.getManagedArrays().size());
        }
    }

    @Test
    void paddedRoundsUpToTheChannelBlock() {
        assertEquals(16, Convolutions.padded(1));
        assertEquals(16, Convolutions.padded(16));
        assertEquals(32, Convolutions.padded(17));
        assertEquals(48, Convolutions.padded(40));
        assertEquals(48, Convolutions.paddedInput(48, 1, 3));
        assertEquals(64, Convolutions.paddedInput(48, 2, 3));
        assertEquals(48, Convolutions.paddedInput(48, 2, 1));
        assertEquals(16, Convolutions.paddedInput(3, 2, 3));
    }
}
