package org.diffusion4j.image.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.Arrays;
import java.util.OptionalLong;
import org.diffusion4j.core.model.Denoiser;
import org.diffusion4j.core.process.GaussianDiffusion;
import org.diffusion4j.core.runtime.ConvolutionBackends;
import org.diffusion4j.core.runtime.GlibcMalloc;
import org.diffusion4j.core.runtime.ResidentMemory;
import org.diffusion4j.core.sampling.Sampler;
import org.diffusion4j.core.sampling.SamplerKind;
import org.diffusion4j.core.sampling.SamplingListener;
import org.diffusion4j.core.sampling.TimestepSpacing;
import org.diffusion4j.image.model.CompiledUNet;
import org.diffusion4j.image.model.ImageDiffusionModel;
import org.diffusion4j.image.model.UNet2D;
import org.diffusion4j.image.model.UNet2DConfig;
import org.diffusion4j.image.pipeline.Generation;
import org.diffusion4j.image.pipeline.Guidance;
import org.diffusion4j.image.pipeline.ImageModel;

/**
 * The U-Net sampling step of issue 4: class-conditional DPM-Solver++(2M) sampling (no guidance) with the issue's
 * small and production U-Nets at 28×28 (1 channel) and 32×32 (3 channels), batch 1, 16, 64, eager and compiled
 * ({@link CompiledUNet}). Per row: time per sampling step (a whole {@code steps}-step sample, median of
 * {@code runs} after one warm-up, divided by the steps), the bare forward of the same denoiser beside it (median
 * of {@code steps} calls), the loop's share, images per second at {@code steps} steps and the peak resident set
 * (reset per row). Then native memory over a {@code memorySteps}-step DDPM sample of the small model at batch 1:
 * the resident set every tenth of the run (flat = the loop frees what each step makes).
 * Usage: {@code UNetSamplingBenchmark [steps=20] [runs=3] [batches=1,16,64] [configs=small,production]
 * [sizes=28,32] [modes=eager,compiled] [memorySteps=1000]}. Not a unit test: figures are printed only.
 */
public final class UNetSamplingBenchmark {

    private UNetSamplingBenchmark() {}

    public static void main(String[] args) throws IOException {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int[] batches = ints(args.length > 2 ? args[2] : "1,16,64");
        String[] configs = (args.length > 3 ? args[3] : "small,production").split(",");
        int[] sizes = ints(args.length > 4 ? args[4] : "28,32");
        String[] modes = (args.length > 5 ? args[5] : "eager,compiled").split(",");
        int memorySteps = args.length > 6 ? Integer.parseInt(args[6]) : 1000;
        if (steps < 1 || runs < 1 || memorySteps < 0) {
            throw new IllegalArgumentException("expected steps >= 1, runs >= 1, memorySteps >= 0; got " + Arrays.toString(args));
        }
        System.out.println(GlibcMalloc.applyMode("tuned") + ", intra-op threads "
                + System.getProperty("ai.djl.pytorch.num_threads", "(libtorch default)"));
        System.out.println(ConvolutionBackends.applyNnpackProperty());
        System.out.println("| config | side | mode | batch | ms / step | bare forward ms | loop share | images/s at " + steps
                + " steps | peak RSS MB |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (String name : configs) {
            for (int side : sizes) {
                UNet2DConfig config = config(name, side == 32 ? 3 : 1);
                for (String mode : modes) {
                    rows(name, config, side, mode, batches, steps, runs);
                }
            }
        }
        if (memorySteps > 0) {
            for (String mode : modes) {
                memory(mode, memorySteps);
            }
        }
    }

    static UNet2DConfig config(String name, int channels) {
        UNet2DConfig base = switch (name) {
            case "small" -> UNet2DConfig.mnistSmall();
            case "production" -> UNet2DConfig.mnistProduction();
            default -> throw new IllegalArgumentException("configs: expected small or production, got " + name);
        };
        return base.toBuilder().inChannels(channels).outChannels(channels).build();
    }

    private static void rows(String name, UNet2DConfig config, int side, String mode, int[] batches, int steps, int runs)
            throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            UNet2D net = new UNet2D(config, 0).initialize(m);
            try (CompiledUNet compiled = compiledOrNull(net, mode)) {
                ImageModel model = compiled == null ? ImageModel.of(net, m, side) : ImageModel.of(compiled, side);
                GaussianDiffusion diffusion = new ImageDiffusionModel(config, "linear", 1000, side).diffusion();
                Sampler sampler = SamplerKind.DPMPP_2M.create(diffusion, steps, TimestepSpacing.TRAILING, true);
                Generation generation = new Generation(model, sampler);
                for (int batch : batches) {
                    int[] labels = new int[batch];
                    for (int i = 0; i < batch; i++) {
                        labels[i] = i % config.numClasses();
                    }
                    ResidentMemory.resetPeak();
                    double[] sampleMs = new double[runs];
                    for (int r = -1; r < runs; r++) {
                        try (NDManager run = m.newSubManager()) {
                            long t0 = System.nanoTime();
                            generation.generate(batch, Guidance.of(labels, 1.0), r + 1, run).toFloatArray();
                            if (r >= 0) {
                                sampleMs[r] = (System.nanoTime() - t0) / 1e6;
                            }
                        }
                    }
                    double step = median(sampleMs) / steps;
                    double bare = bareForward(model.denoiser(), config, side, batch, steps, m);
                    System.out.printf("| %s | %d | %s | %d | %.1f | %.1f | %.0f %% | %.1f | %s |%n", name, side, mode, batch,
                            step, bare, 100 * (step - bare) / step, batch * 1000.0 / (step * steps),
                            mb(ResidentMemory.peakBytes()));
                }
            }
        }
    }

    private static double bareForward(Denoiser d, UNet2DConfig config, int side, int batch, int calls, NDManager m) {
        UNetInputs inputs = UNetInputs.of(batch, config.inChannels(), side, config.numClasses());
        double[] ms = new double[calls];
        for (int i = -2; i < calls; i++) {
            try (NDManager run = m.newSubManager()) {
                NDList in = inputs.in(run);
                long t0 = System.nanoTime();
                d.predict(in.get(0), in.get(1), new NDList(in.get(2))).toFloatArray();
                if (i >= 0) {
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
            }
        }
        return median(ms);
    }

    /** Resident set every tenth of a {@code steps}-step DDPM sample (small U-Net, 28×28, batch 1). */
    private static void memory(String mode, int steps) throws IOException {
        UNet2DConfig config = config("small", 1);
        try (NDManager m = NDManager.newBaseManager()) {
            UNet2D net = new UNet2D(config, 0).initialize(m);
            try (CompiledUNet compiled = compiledOrNull(net, mode)) {
                ImageModel model = compiled == null ? ImageModel.of(net, m, 28) : ImageModel.of(compiled, 28);
                GaussianDiffusion diffusion = new ImageDiffusionModel(config, "linear", steps, 28).diffusion();
                Sampler sampler = SamplerKind.DDPM.create(diffusion, steps, TimestepSpacing.TRAILING, true);
                long[] rss = new long[11];
                int[] arrays = new int[11];
                SamplingListener listener = new SamplingListener() {
                    @Override
                    public void onStep(int index, int t, NDArray x) {
                        if ((index + 1) % Math.max(1, steps / 10) == 0 && (index + 1) / Math.max(1, steps / 10) <= 10) {
                            int k = (index + 1) / Math.max(1, steps / 10);
                            rss[k] = ResidentMemory.currentBytes().orElse(-1);
                            arrays[k] = m.getManagedArrays().size();
                        }
                    }
                };
                rss[0] = ResidentMemory.currentBytes().orElse(-1);
                try (NDManager run = m.newSubManager()) {
                    new Generation(model, sampler, listener).generate(new int[] {3}, 1.0, 0, run);
                }
                StringBuilder sb = new StringBuilder("memory, " + mode + ", " + steps + "-step DDPM, small 28×28 batch 1: RSS MB");
                for (long b : rss) {
                    sb.append(' ').append(b < 0 ? "n/a" : Long.toString(b >> 20));
                }
                sb.append(String.format("; growth from 10 %% to 100 %% of the run: %.1f MB; live arrays", (rss[10] - rss[1]) / 1048576.0));
                for (int k = 1; k <= 10; k++) {
                    sb.append(' ').append(arrays[k]);
                }
                System.out.println(sb);
            }
        }
    }

    private static CompiledUNet compiledOrNull(UNet2D net, String mode) throws IOException {
        return switch (mode) {
            case "eager" -> null;
            case "compiled" -> CompiledUNet.compile(net);
            default -> throw new IllegalArgumentException("modes: expected eager and/or compiled, got " + mode);
        };
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static String mb(OptionalLong bytes) {
        return bytes.isPresent() ? String.format("%,d", bytes.getAsLong() >> 20) : "n/a";
    }

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
    }

}
