package org.diffusion4j.image.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.util.Arrays;
import org.diffusion4j.core.runtime.ConvolutionBackends;
import org.diffusion4j.core.runtime.GlibcMalloc;
import org.diffusion4j.core.runtime.ResidentMemory;
import org.diffusion4j.image.model.CompiledUNet;
import org.diffusion4j.image.model.UNet2D;
import org.diffusion4j.image.model.UNet2DConfig;

/**
 * Inference forward time of the U-Net at 28×28 for the small and production MNIST configs at
 * batch 1, 16, 64: median of {@code runs} timed forwards after {@code warmup} untimed ones.
 * Usage: {@code UNetForwardBenchmark [runs=10] [warmup=3] [malloc=tuned|default] [batches=1,16,64]
 * [configs=small,production] [modes=eager,compiled]}: see {@link GlibcMalloc#applyMode}; {@code eager} runs
 * {@link UNet2D} op by op, {@code compiled} its TorchScript form ({@link CompiledUNet}, same weights). Each forward runs in its own sub-manager, so
 * the activations of one run are freed before the next. NNPACK is switched off as in the samples CLI
 * ({@link ConvolutionBackends}; {@code -Ddiffusion4j.nnpack=on} keeps it). The peak resident set is reset before each batch size
 * ({@link ResidentMemory}) and reported after it: the process's whole footprint, model and JVM included. Not a unit test: timings are printed only.
 */
public final class UNetForwardBenchmark {

    private UNetForwardBenchmark() {}

    public static void main(String[] args) throws IOException {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int[] batches = Arrays.stream((args.length > 3 ? args[3] : "1,16,64").split(","))
                .mapToInt(Integer::parseInt).toArray();
        String[] configs = (args.length > 4 ? args[4] : "small,production").split(",");
        String[] modes = (args.length > 5 ? args[5] : "eager,compiled").split(",");
        for (String mode : modes) {
            if (!mode.equals("eager") && !mode.equals("compiled")) {
                throw new IllegalArgumentException("modes: expected eager and/or compiled, got " + mode);
            }
        }
        System.out.println(GlibcMalloc.applyMode(args.length > 2 ? args[2] : "tuned")
                + ", intra-op threads " + System.getProperty("ai.djl.pytorch.num_threads", "(libtorch default)"));
        // As the samples CLI: without this libtorch logs an NNPACK failure for every small convolution on this
        // project's AVX-512 host, and writing those lines cost a quarter of a batch-1 forward (docs/benchmarks.md).
        System.out.println(ConvolutionBackends.applyNnpackProperty());
        System.out.println("engine " + Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion()
                + ", cores " + Runtime.getRuntime().availableProcessors());
        System.out.println("| config | mode | params | batch | median ms | min ms | images/s | peak RSS MB |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
        for (String name : configs) {
            UNet2DConfig config = switch (name) {
                case "small" -> UNet2DConfig.mnistSmall();
                case "production" -> UNet2DConfig.mnistProduction();
                default -> throw new IllegalArgumentException("configs: expected small or production, got " + name);
            };
            for (String mode : modes) {
                measure(name, config, mode, batches, runs, warmup);
            }
        }
    }

    /** One config in one mode: the network (and its compiled form) made once, each batch size timed. */
    private static void measure(String name, UNet2DConfig config, String mode, int[] batches, int runs, int warmup)
            throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            UNet2D net = new UNet2D(config, 0).initialize(m);
            ParameterStore ps = new ParameterStore(m, false);
            try (CompiledUNet compiled = mode.equals("compiled") ? CompiledUNet.compile(net) : null) {
                for (int batch : batches) {
                    ResidentMemory.resetPeak();
                    try (NDManager call = m.newSubManager()) {
                        UNetInputs inputs = UNetInputs.of(batch, 1, 28, 10);
                        double[] ms = new double[runs];
                        for (int i = 0; i < warmup + runs; i++) {
                            try (NDManager run = call.newSubManager()) {
                                NDList in = inputs.in(run);
                                long t0 = System.nanoTime();
                                NDArray out = compiled == null ? net.forward(ps, in, false).head()
                                        : compiled.predict(in.get(0), in.get(1), new NDList(in.get(2)));
                                out.toFloatArray(); // force completion
                                long t1 = System.nanoTime();
                                if (i >= warmup) {
                                    ms[i - warmup] = (t1 - t0) / 1e6;
                                }
                            }
                        }
                        Arrays.sort(ms);
                        double median = runs % 2 == 1 ? ms[runs / 2] : (ms[runs / 2 - 1] + ms[runs / 2]) / 2;
                        System.out.printf("| %s | %s | %,d | %d | %.1f | %.1f | %.0f | %s |%n", name, mode,
                                net.parameterCount(), batch, median, ms[0], batch * 1000.0 / median,
                                ResidentMemory.peakBytes().stream().mapToObj(b -> String.format("%,d", b >> 20))
                                        .findFirst().orElse("n/a"));
                    }
                }
            }
        }
    }
}
