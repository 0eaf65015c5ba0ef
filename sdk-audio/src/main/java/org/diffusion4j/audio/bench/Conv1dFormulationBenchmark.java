package org.diffusion4j.audio.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.diffusion4j.core.memory.NativeArrays;
import org.diffusion4j.core.nn.Convolutions;
import org.diffusion4j.core.random.NoiseSource;
import org.diffusion4j.core.runtime.GlibcMalloc;

/**
 * One WaveGrad-shaped convolution (batch 1, C → C channels, kernel 3, dilation d, "same" padding, L samples) three
 * ways: libtorch's conv1d (through {@link Convolutions}), im2col (three shifted copies stacked to [3C, L], one
 * matrix product) and three matrix products on shifted views. Prints the median of 15 runs after 3 warm-ups and
 * the GFLOP/s of each, and the largest difference from conv1d. Why it exists: to decide whether WaveGrad's
 * convolutions should be rewritten as GEMMs (they should not; docs/benchmarks.md, Audio).
 *
 * <p>Arguments: {@code channels length dilation} (default 128 22200 1). Not a unit test: timings are printed only.
 */
public final class Conv1dFormulationBenchmark {

    private Conv1dFormulationBenchmark() {
    }

    public static void main(String[] args) {
        int c = args.length > 0 ? Integer.parseInt(args[0]) : 128;
        int l = args.length > 1 ? Integer.parseInt(args[1]) : 22_200;
        int d = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        if (c < 1 || l < 1 || d < 1) {
            throw new IllegalArgumentException("channels/length/dilation: expected >= 1, got " + Arrays.toString(args));
        }
        System.out.println("malloc " + GlibcMalloc.tuneForTensors() + ", intra-op threads "
                + System.getProperty("ai.djl.pytorch.num_threads", "(libtorch default)"));
        int warmups = 3;
        int runs = 15;
        try (NDManager m = NDManager.newBaseManager()) {
            NoiseSource noise = NoiseSource.seeded(0);
            float[] x = noise.normal(m, new Shape(1, c, l), DataType.FLOAT32).toFloatArray();
            NDArray w = noise.normal(m, new Shape(c, c, 3), DataType.FLOAT32);
            NDArray b = noise.normal(m, new Shape(c), DataType.FLOAT32);
            NDArray wStacked = w.transpose(0, 2, 1).reshape(c, 3L * c); // [O, k·C], tap-major like the stacked input
            double[][] ms = new double[3][runs];
            double maxDiff = 0;
            for (int r = 0; r < warmups + runs; r++) {
                try (NDManager step = m.newSubManager()) {
                    NDArray in = NativeArrays.copyOf(step, x, new Shape(1, c, l));
                    long t0 = System.nanoTime();
                    float[] direct = Convolutions.conv1d(in, w, b, 1, d, d).toFloatArray();
                    long t1 = System.nanoTime();
                    NDArray padded = in.get(new NDIndex("0")).pad(new Shape(d, d), 0); // [C, L + 2d]
                    NDArray[] taps = new NDArray[3];
                    for (int k = 0; k < 3; k++) {
                        taps[k] = padded.get(new NDIndex(":, {}:{}", k * d, k * d + l));
                    }
                    float[] im2col = NativeArrays.viewIn(wStacked, step).matMul(NDArrays.concat(new NDList(taps), 0))
                            .add(NativeArrays.viewIn(b, step, new Shape(c, 1))).toFloatArray();
                    long t2 = System.nanoTime();
                    NDArray sum = NativeArrays.viewIn(b, step, new Shape(c, 1));
                    for (int k = 0; k < 3; k++) {
                        NDArray tap = NativeArrays.viewIn(w, step).get(new NDIndex(":, :, {}", k));
                        sum = sum.add(tap.matMul(taps[k]));
                    }
                    sum.toFloatArray();
                    long t3 = System.nanoTime();
                    if (r == 0) {
                        for (int i = 0; i < direct.length; i++) {
                            maxDiff = Math.max(maxDiff, Math.abs(direct[i] - im2col[i]));
                        }
                    }
                    if (r >= warmups) {
                        ms[0][r - warmups] = (t1 - t0) / 1e6;
                        ms[1][r - warmups] = (t2 - t1) / 1e6;
                        ms[2][r - warmups] = (t3 - t2) / 1e6;
                    }
                }
            }
            double gflop = 2.0 * c * c * 3 * l / 1e9;
            String[] names = {"conv1d", "im2col + one matMul", "three shifted matMuls"};
            System.out.printf("C=%d L=%d dilation=%d (%.2f GFLOP), max |conv1d - im2col| %.2e%n", c, l, d, gflop, maxDiff);
            for (int i = 0; i < 3; i++) {
                Arrays.sort(ms[i]);
                double median = ms[i][runs / 2];
                System.out.printf("  %-22s median %.2f ms, %.1f GFLOP/s%n", names[i], median, gflop / median * 1e3);
            }
        }
    }
}
