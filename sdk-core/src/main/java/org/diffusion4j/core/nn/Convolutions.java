package org.diffusion4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * 2-D convolution whose gradients are right on DJL 0.36 / libtorch 2.7.1 CPU.
 *
 * <p>Why: through DJL, libtorch's backward of a k×k convolution (k &gt; 1) returns NaN input gradients at random:
 * 17 to 29 runs of 30 with two intra-op threads in our probe, now and then with one (1×1 convolutions are fine;
 * docs/architecture.md). While gradients are being recorded this class therefore computes a k×k convolution as
 * the sum of k² 1×1 convolutions of shifted views of the padded input — the same arithmetic (outputs agree to
 * float32 rounding), whose backward is a 1×1 convolution and a slice. It costs about twice the forward time, so
 * outside autograd (sampling) the native convolution runs.
 */
public final class Convolutions {

    private Convolutions() {
    }

    /**
     * y = conv2d(x, w) + b with square stride and zero padding.
     *
     * @param x [B, C, H, W]
     * @param w [O, C, k, k]
     * @param b [O] or null
     */
    public static NDArray conv2d(NDArray x, NDArray w, NDArray b, int stride, int padding) {
        Shape ws = w.getShape();
        if (x.getShape().dimension() != 4 || ws.dimension() != 4 || ws.get(1) != x.getShape().get(1)
                || ws.get(2) != ws.get(3)) {
            throw new IllegalArgumentException("conv2d: expected x [B, C, H, W] and w [O, C, k, k], got x "
                    + x.getShape() + " and w " + ws);
        }
        int k = Math.toIntExact(ws.get(2));
        if (k == 1 || !recordingGradients(x)) {
            return Conv2d.conv2d(x, w, b, new Shape(stride, stride), new Shape(padding, padding), new Shape(1, 1), 1)
                    .head();
        }
        NDArray xp = padding > 0 ? x.pad(new Shape(padding, padding, padding, padding), 0f) : x;
        long outH = (x.getShape().get(2) + 2L * padding - k) / stride + 1;
        long outW = (x.getShape().get(3) + 2L * padding - k) / stride + 1;
        Shape unit = new Shape(1, 1);
        Shape none = new Shape(0, 0);
        NDArray y = null;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                // Rows i, i + s, ..., i + s·(outH − 1) and the same for columns: what kernel tap (i, j) sees.
                NDArray view = xp.get(new NDIndex(":, :, {}:{}:{}, {}:{}:{}", i, i + stride * (outH - 1) + 1, stride,
                        j, j + stride * (outW - 1) + 1, stride));
                NDArray tap = w.get(new NDIndex(":, :, {}:{}, {}:{}", i, i + 1, j, j + 1));
                NDArray part = Conv2d.conv2d(view, tap, null, unit, none, unit, 1).head();
                y = y == null ? part : y.add(part);
            }
        }
        return b == null ? y : y.add(b.reshape(1, b.size(), 1, 1));
    }

    private static boolean recordingGradients(NDArray x) {
        return "PyTorch".equals(x.getManager().getEngine().getEngineName())
                && ai.djl.pytorch.jni.JniUtils.isGradMode();
    }
}
