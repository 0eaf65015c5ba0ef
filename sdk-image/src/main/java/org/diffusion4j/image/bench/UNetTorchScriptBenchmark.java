package org.diffusion4j.image.bench;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.diffusion4j.core.runtime.ConvolutionBackends;
import org.diffusion4j.core.runtime.GlibcMalloc;

/**
 * The reference for {@link UNetForwardBenchmark}: the same U-Net as a TorchScript trace (made by
 * {@code tools/unet-torch-reference/unet_forward_time.py --trace-dir DIR}), run by DJL's own libtorch. The
 * whole forward is then one native call that libtorch's graph executor runs op by op, so the difference to
 * {@link UNetForwardBenchmark} is what one JNI call and one Java NDArray per op cost, plus the ops our blocks
 * add (GroupNorm as layer norm and affine). Same inputs, timing and settings as {@link UNetForwardBenchmark}.
 * Usage: {@code UNetTorchScriptBenchmark TRACE.pt BATCH [runs=10] [warmup=3] [malloc=tuned|default]}.
 * Not a unit test: timings are printed only.
 */
public final class UNetTorchScriptBenchmark {

    private UNetTorchScriptBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException(
                    "usage: UNetTorchScriptBenchmark TRACE.pt BATCH [runs] [warmup] [malloc]; got " + Arrays.toString(args));
        }
        Path trace = Path.of(args[0]);
        if (!Files.isRegularFile(trace)) {
            throw new IllegalArgumentException("TRACE.pt: expected a TorchScript file, got " + trace + " (not a file)");
        }
        int batch = Integer.parseInt(args[1]);
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        if (batch < 1 || runs < 1 || warmup < 0) {
            throw new IllegalArgumentException("expected BATCH >= 1, runs >= 1, warmup >= 0; got " + Arrays.toString(args));
        }
        System.out.println(GlibcMalloc.applyMode(args.length > 4 ? args[4] : "tuned")
                + ", intra-op threads " + System.getProperty("ai.djl.pytorch.num_threads", "(libtorch default)"));
        System.out.println(ConvolutionBackends.applyNnpackProperty());
        System.out.println("engine " + Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        try (Model model = Model.newInstance("unet-reference", "PyTorch")) {
            load(model, trace);
            NDManager m = model.getNDManager();
            UNetInputs inputs = UNetInputs.of(batch, 1, 28, 10);
            double[] ms = new double[runs];
            for (int i = 0; i < warmup + runs; i++) {
                try (NDManager run = m.newSubManager()) {
                    NDList in = inputs.in(run);
                    long t0 = System.nanoTime();
                    NDList out = model.getBlock().forward(new ParameterStore(run, false), in, false);
                    out.head().toFloatArray(); // force completion
                    long t1 = System.nanoTime();
                    out.attach(run);
                    if (i >= warmup) {
                        ms[i - warmup] = (t1 - t0) / 1e6;
                    }
                }
            }
            Arrays.sort(ms);
            double median = runs % 2 == 1 ? ms[runs / 2] : (ms[runs / 2 - 1] + ms[runs / 2]) / 2;
            System.out.printf("| %s | %d | %.1f | %.1f | %.0f |%n", trace.getFileName(), batch, median, ms[0],
                    batch * 1000.0 / median);
        }
    }

    private static void load(Model model, Path trace) throws IOException {
        try {
            model.load(trace.getParent() == null ? Path.of(".") : trace.getParent(), trace.getFileName().toString());
        } catch (ai.djl.MalformedModelException e) {
            throw new IOException("TRACE.pt: expected a TorchScript module, " + trace + " is not one: " + e.getMessage(), e);
        }
    }
}
