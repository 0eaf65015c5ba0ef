package org.diffusion4j.core.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.convolutional.Conv2d;
import org.diffusion4j.core.memory.NativeArrays;

/**
 * 1-D and 2-D convolutions (torch.nn.functional.conv1d/conv2d semantics, groups = 1) that are correct on
 * libtorch 2.7.1's CPU backend.
 *
 * <p>Why this exists: on CPU libtorch runs float32 convolutions of batches larger than one through oneDNN, whose
 * blocked layouts group channels in blocks of 8 (AVX2) or 16 (AVX-512). When a channel count is not a multiple of
 * the block, the padded tail of a block is read without having been zeroed: the forward pass reads it when there
 * are more input channels than one block and they do not fill the last block; the input-gradient pass reads it
 * whenever the output channels do not fill their last block. Whatever the allocator's recycled memory held then
 * enters the result: finite garbage gives silently wrong outputs and gradients, NaN garbage gives NaN (this
 * project's sporadic NaN U-Net forward passes and NaN convolution gradients). Measured on an AVX-512 machine with
 * an allocator that fills fresh memory with a pattern (docs/architecture.md, "Known upstream problems").
 *
 * <p>The fix is to never show oneDNN a channel count that leaves a padded tail: on CPU, input and output channels
 * are zero-padded up to a multiple of 16 (so blocks of 8 and of 16 are both full), and more than 16 input channels
 * of a strided convolution up to a multiple of 32 (see {@link #STRIDED_INPUT_BLOCK}). Zero input channels meet zero
 * weight columns and the extra output channels are sliced away, so the result is exactly the convolution asked
 * for; autograd carries gradients through the padding (the extra channels get none). Models whose channel counts
 * are multiples of 16 pay nothing; the rest pay for the extra channels. Other devices pass straight through.
 *
 * <p>Pointwise convolutions (every kernel dimension 1, stride 1, no padding) below a batch of
 * {@link #POINTWISE_CONVOLUTION_BATCH} are computed as matrix products on every device: at batch 1 one plain
 * W[O, C]·x[C, S] (as fast as libtorch's own 1×1 path), for other small batches the broadcast W[O, C]·x[B, C, S]. On
 * CPU with one thread and a batch below 16, libtorch would otherwise route them to its NNPACK check, which fails on
 * AVX-512 machines without NNPACK support and logs "Could not initialize NNPACK! Reason: Unsupported hardware." for
 * every call (54 lines per 6-step WaveGrad vocoding), and then to its im2col convolution. From a batch of 16 on
 * libtorch always takes oneDNN (its heuristic, never NNPACK), which is 1.2–2.5× faster than any matrix-product form
 * (docs/benchmarks.md), so those go through the convolution, channel padding included.
 */
public final class Convolutions {

    /** Channel counts are padded to a multiple of this (the largest oneDNN float32 channel block on x86). */
    public static final int CHANNEL_BLOCK = 16;

    /**
     * More than 16 input channels of a strided convolution with a kernel larger than 1 are padded to a multiple of
     * this: its input-gradient pass read unzeroed memory with 48, 80, 112 or 144 input channels, not with 16, 32,
     * 64, 96, 128 or 160.
     */
    public static final int STRIDED_INPUT_BLOCK = 32;

    /**
     * From this batch size on, pointwise convolutions run as convolutions: libtorch 2.7.1 sends every float32 CPU
     * convolution with a batch of 16 or more to oneDNN.
     */
    public static final int POINTWISE_CONVOLUTION_BATCH = 16;

    private Convolutions() {
    }

    /**
     * conv1d: {@code x} [B, C, L], {@code weight} [O, C, k], {@code bias} [O] or null → [B, O, L'] with
     * L' = ⌊(L + 2·padding − dilation·(k − 1) − 1) / stride⌋ + 1.
     */
    public static NDArray conv1d(NDArray x, NDArray weight, NDArray bias, int stride, int padding, int dilation) {
        return convolve(1, x, weight, bias, stride, padding, dilation);
    }

    /** conv2d with the same stride, padding and dilation along H and W: {@code x} [B, C, H, W], {@code weight} [O, C, k, k]. */
    public static NDArray conv2d(NDArray x, NDArray weight, NDArray bias, int stride, int padding, int dilation) {
        return convolve(2, x, weight, bias, stride, padding, dilation);
    }

    /** {@code n} rounded up to a multiple of {@link #CHANNEL_BLOCK}: the output channel count a CPU convolution runs with. */
    public static long padded(long n) {
        return roundUp(n, CHANNEL_BLOCK);
    }

    /** The input channel count a CPU convolution runs with: see {@link #STRIDED_INPUT_BLOCK}. */
    public static long paddedInput(long n, int stride, long kernel) {
        return roundUp(n, stride > 1 && kernel > 1 && n > CHANNEL_BLOCK ? STRIDED_INPUT_BLOCK : CHANNEL_BLOCK);
    }

    private static long roundUp(long n, int block) {
        return (n + block - 1) / block * block;
    }

    private static NDArray convolve(int dims, NDArray x, NDArray weight, NDArray bias, int stride, int padding,
            int dilation) {
        check(dims, x, weight, bias, stride, padding, dilation);
        if (stride == 1 && padding == 0 && isPointwise(weight) && x.getShape().get(0) < POINTWISE_CONVOLUTION_BATCH) {
            return pointwise(x, weight, bias);
        }
        long in = weight.getShape().get(1);
        long out = weight.getShape().get(0);
        long extraIn = paddedInput(in, stride, weight.getShape().get(2)) - in;
        long extraOut = padded(out) - out;
        if (!Device.Type.CPU.equals(x.getDevice().getDeviceType()) || (extraIn == 0 && extraOut == 0)) {
            return raw(dims, x, weight, bias, stride, padding, dilation);
        }
        NDManager manager = x.getManager();
        NDArray xp = zeroPad(x, 1, extraIn, manager);
        NDArray wp = zeroPad(zeroPad(weight, 1, extraIn, manager), 0, extraOut, manager);
        NDArray bp = bias == null ? null : zeroPad(bias, 0, extraOut, manager);
        NDArray y = raw(dims, xp, wp, bp, stride, padding, dilation);
        return extraOut > 0 ? y.get(new NDIndex(":, 0:{}", out)) : y;
    }

    private static boolean isPointwise(NDArray weight) {
        Shape w = weight.getShape();
        for (int d = 2; d < w.dimension(); d++) {
            if (w.get(d) != 1) {
                return false;
            }
        }
        return true;
    }

    /** y[b, o, s] = Σ_c W[o, c]·x[b, c, s] + bias[o] over the flattened spatial positions s (batch below 16). */
    private static NDArray pointwise(NDArray x, NDArray weight, NDArray bias) {
        NDManager manager = x.getManager();
        Shape xs = x.getShape();
        long batch = xs.get(0);
        long in = xs.get(1);
        long out = weight.getShape().get(0);
        long positions = 1;
        for (int d = 2; d < xs.dimension(); d++) {
            positions *= xs.get(d);
        }
        NDArray w = NativeArrays.viewIn(weight, manager, new Shape(out, in));
        // batch 1: one [O, C]·[C, S] product with a contiguous result; the broadcast form would multiply x's
        // transpose and return a transposed view (20-50 % slower at the U-Net's attention sizes)
        NDArray y = batch == 1 ? w.matMul(x.reshape(in, positions))
                : w.matMul(x.reshape(batch, in, positions)); // [O, C] · [B, C, S] broadcasts to [B, O, S]
        if (bias != null) {
            y = y.add(NativeArrays.viewIn(bias, manager, new Shape(out, 1)));
        }
        return y.reshape(withDim(xs, 1, out));
    }

    private static NDArray raw(int dims, NDArray x, NDArray w, NDArray b, int stride, int padding, int dilation) {
        NDList r = dims == 1
                ? Conv1d.conv1d(x, w, b, new Shape(stride), new Shape(padding), new Shape(dilation), 1)
                : Conv2d.conv2d(x, w, b, new Shape(stride, stride), new Shape(padding, padding),
                        new Shape(dilation, dilation), 1);
        return r.head();
    }

    /**
     * {@code a} with {@code extra} zero slices appended along {@code axis}, owned by {@code manager}: an op on a
     * parameter puts its result in the parameter's manager, where per-call copies would pile up beside the weights.
     */
    private static NDArray zeroPad(NDArray a, int axis, long extra, NDManager manager) {
        if (extra == 0) {
            return a;
        }
        NDArray out = a.concat(manager.zeros(withDim(a.getShape(), axis, extra), a.getDataType()), axis);
        out.attach(manager);
        return out;
    }

    private static Shape withDim(Shape s, int axis, long size) {
        long[] d = s.getShape().clone(); // Shape.getShape() exposes its own array
        d[axis] = size;
        return new Shape(d);
    }

    private static void check(int dims, NDArray x, NDArray weight, NDArray bias, int stride, int padding,
            int dilation) {
        String layout = dims == 1 ? "[B, C, L]" : "[B, C, H, W]";
        if (x.getShape().dimension() != dims + 2) {
            throw new IllegalArgumentException("x: expected " + layout + ", got shape " + x.getShape());
        }
        Shape w = weight.getShape();
        if (w.dimension() != dims + 2 || w.get(1) != x.getShape().get(1)) {
            throw new IllegalArgumentException("weight: expected [O, " + x.getShape().get(1)
                    + (dims == 1 ? ", k]" : ", k, k]") + " for x of shape " + x.getShape() + ", got " + w);
        }
        if (bias != null && !bias.getShape().equals(new Shape(w.get(0)))) {
            throw new IllegalArgumentException("bias: expected shape [" + w.get(0) + "], got " + bias.getShape());
        }
        if (x.getDataType() != weight.getDataType() || (bias != null && bias.getDataType() != x.getDataType())) {
            throw new IllegalArgumentException("weight/bias: expected dtype " + x.getDataType() + " like x, got "
                    + weight.getDataType() + (bias == null ? "" : "/" + bias.getDataType()));
        }
        if (stride < 1 || padding < 0 || dilation < 1) {
            throw new IllegalArgumentException("stride/padding/dilation: expected >= 1/>= 0/>= 1, got " + stride + "/"
                    + padding + "/" + dilation);
        }
    }
}
