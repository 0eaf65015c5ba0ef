package org.diffusion4j.audio.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import org.diffusion4j.audio.model.ChunkedForward;
import org.diffusion4j.audio.model.WaveGrad;
import org.diffusion4j.audio.model.WaveGradConfig;
import org.diffusion4j.core.runtime.ConvolutionBackends;
import org.diffusion4j.core.runtime.GlibcMalloc;
import org.diffusion4j.core.runtime.ResidentMemory;
import org.diffusion4j.core.memory.NativeArrays;
import org.diffusion4j.core.random.NoiseSource;

/**
 * Times one forward pass of the base WaveGrad (15.9M parameters) on 1 s of 22.05 kHz audio
 * (22,200 samples = 74 mel frames × hop 300), batch 1, inference mode. Prints every run and the median.
 * A plain main, not a unit test: timings are never asserted. Besides wall time it reports the process
 * CPU time per forward (all threads), which stays meaningful when other processes share the cores, and the
 * peak resident set during the runs ({@link ResidentMemory}).
 *
 * <p>Arguments: [warmups=3] [runs=15] [frames=74] [malloc=tuned|default] [framesPerCall=0]: malloc, see
 * {@link GlibcMalloc#applyMode}; framesPerCall &gt; 0 runs the forward in windows of that many frames
 * ({@link ChunkedForward}), 0 as one whole forward.
 */
public final class WaveGradForwardBenchmark {

    private WaveGradForwardBenchmark() {
    }

    public static void main(String[] args) {
        int warmups = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int frames = args.length > 2 ? Integer.parseInt(args[2]) : 74;
        int framesPerCall = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        System.out.println(GlibcMalloc.applyMode(args.length > 3 ? args[3] : "tuned")
                + ", intra-op threads " + System.getProperty("ai.djl.pytorch.num_threads", "(libtorch default)"));
        System.out.println(ConvolutionBackends.applyNnpackProperty()); // as the samples CLI
        if (runs < 1 || warmups < 0 || frames < 1 || framesPerCall < 0) {
            throw new IllegalArgumentException("expected warmups >= 0, runs >= 1, frames >= 1, framesPerCall >= 0; got "
                    + Arrays.toString(args));
        }
        WaveGradConfig cfg = WaveGradConfig.base();
        try (NDManager manager = NDManager.newBaseManager()) {
            WaveGrad model = new WaveGrad(cfg);
            model.initialize(manager, DataType.FLOAT32);
            NoiseSource noise = NoiseSource.seeded(0);
            int samples = frames * cfg.hop();
            float[] audio = noise.normal(manager, new Shape(1, samples), DataType.FLOAT32).toFloatArray();
            float[] mel = noise.normal(manager, new Shape(1, cfg.nMels(), frames), DataType.FLOAT32).abs().clip(0, 1)
                    .toFloatArray();
            ParameterStore ps = new ParameterStore(manager, false);
            ChunkedForward windows = framesPerCall > 0 ? new ChunkedForward(model, framesPerCall) : null;
            double[] ms = new double[runs];
            double[] cpuMs = new double[runs];
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long residentBefore = ResidentMemory.currentBytes().orElse(-1);
            ResidentMemory.resetPeak();
            for (int i = -warmups; i < runs; i++) {
                try (NDManager step = manager.newSubManager()) {
                    // inputs made in the step's manager, so that every intermediate of the forward (created in the
                    // manager of its first operand) is freed with the step instead of piling up across runs
                    NDList inputs = new NDList(NativeArrays.copyOf(step, audio, new Shape(1, samples)),
                            NativeArrays.copyOf(step, new float[] {0.5f}, new Shape(1)),
                            NativeArrays.copyOf(step, mel, new Shape(1, cfg.nMels(), frames)));
                    long c0 = os.getProcessCpuTime();
                    long t0 = System.nanoTime();
                    NDArray out = windows != null ? windows.forward(ps, inputs.get(0), inputs.get(1), inputs.get(2))
                            : model.forward(ps, inputs, false).head();
                    float[] host = out.toFloatArray(); // materialise: libtorch CPU ops are synchronous, but be explicit
                    long t1 = System.nanoTime();
                    long c1 = os.getProcessCpuTime();
                    if (host.length != samples) {
                        throw new IllegalStateException("output has " + host.length + " samples, expected " + samples);
                    }
                    if (i >= 0) {
                        ms[i] = (t1 - t0) / 1e6;
                        cpuMs[i] = (c1 - c0) / 1e6;
                    }
                }
            }
            double[] sorted = ms.clone();
            Arrays.sort(sorted);
            double median = runs % 2 == 1 ? sorted[runs / 2] : (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2;
            System.out.printf("engine %s %s, %d samples (%d frames), %d parameters, %s%n", Engine.getInstance().getEngineName(),
                    Engine.getInstance().getVersion(), samples, frames, model.parameterCount(),
                    framesPerCall > 0 ? "windows of " + framesPerCall + " frames" : "one whole forward");
            System.out.printf("runs (ms): %s%n", Arrays.toString(Arrays.stream(ms).map(v -> Math.round(v * 10) / 10.0).toArray()));
            double[] cpuSorted = cpuMs.clone();
            Arrays.sort(cpuSorted);
            double cpuMedian = runs % 2 == 1 ? cpuSorted[runs / 2] : (cpuSorted[runs / 2 - 1] + cpuSorted[runs / 2]) / 2;
            System.out.printf("median %.1f ms, min %.1f ms, RTF per forward %.3f; process CPU time per forward: median %.1f ms%n",
                    median, sorted[0], median / 1000.0 / (samples / 22050.0), cpuMedian);
            System.out.printf("resident set: %,d MB before the runs (model and inputs made), peak %,d MB during them%n",
                    residentBefore >> 20, ResidentMemory.peakBytes().orElse(-1) >> 20);
        }
    }
}
