package org.diffusion4j.samples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.diffusion4j.core.model.BlockDenoiser;
import org.diffusion4j.core.model.Denoiser;
import org.diffusion4j.core.nn.MlpDenoiserBlock;
import org.diffusion4j.core.nn.SeededInitializer;
import org.diffusion4j.core.process.GaussianDiffusion;
import org.diffusion4j.core.random.NoiseSource;
import org.diffusion4j.core.sampling.DdimSampler;
import org.diffusion4j.core.sampling.DpmSolverPlusPlusSampler;
import org.diffusion4j.core.sampling.Sampler;
import org.diffusion4j.core.sampling.SamplerState;
import org.diffusion4j.core.sampling.SamplingOptions;
import org.diffusion4j.core.schedule.NoiseSchedule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Times the sampling loop against a bare loop that only calls the denoiser, and one sampler step alone
 * (docs/benchmarks.md, "Core"). Medians over repeated runs after a warm-up; nothing here is a unit test.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time the sampling loop's overhead and single sampler steps.")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--steps", description = "Sampling steps per loop run (default ${DEFAULT-VALUE}).")
    private int steps = 50;

    @Option(names = "--runs", description = "Timed loop runs, median reported (default ${DEFAULT-VALUE}).")
    private int runs = 15;

    @Option(names = "--step-reps", description = "Timed single steps, median reported (default ${DEFAULT-VALUE}).")
    private int stepReps = 5000;

    @Option(names = "--batch", description = "Batch size (default ${DEFAULT-VALUE}).")
    private int batch = 64;

    @Override
    public Integer call() {
        GaussianDiffusion diffusion = GaussianDiffusion.builder().schedule(NoiseSchedule.linear(1000)).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape image = new Shape(batch, 1, 28, 28);
            // A fixed-cost dummy: one dense 784×784 layer over the flattened image.
            NDArray weight = NoiseSource.seeded(1).normal(manager, new Shape(784, 784), DataType.FLOAT32).mul(0.03f);
            Denoiser dummy = (x, t, c) -> x.reshape(batch, 784).matMul(weight).reshape(x.getShape());
            loopOverhead("dummy dense 784x784", diffusion, dummy, image, manager);

            MlpDenoiserBlock mlp = MlpDenoiserBlock.builder().dataDim(2).width(128).depth(4).build();
            mlp.setInitializer(new SeededInitializer(NoiseSource.seeded(2)), ai.djl.nn.Parameter.Type.WEIGHT);
            mlp.initialize(manager, DataType.FLOAT32, new Shape(batch, 2), new Shape(batch));
            Denoiser toy = new BlockDenoiser(mlp, new ParameterStore(manager, false), false);
            loopOverhead("toy MLP 2-128x4", diffusion, toy, new Shape(batch, 2), manager);

            stepAlone("DDIM eta=0 step", DdimSampler.builder(diffusion).steps(steps).build(), image, manager);
            stepAlone("DPM-Solver++(2M) step", DpmSolverPlusPlusSampler.builder(diffusion).steps(steps).build(), image,
                    manager);
        }
        return 0;
    }

    private void loopOverhead(String name, GaussianDiffusion diffusion, Denoiser model, Shape shape,
                              NDManager manager) {
        Sampler sampler = DdimSampler.builder(diffusion).steps(steps).build();
        int[] ts = sampler.timesteps();
        NDArray x0 = NoiseSource.seeded(3).normal(manager, shape, DataType.FLOAT32);
        long[] ours = new long[runs];
        long[] bare = new long[runs];
        for (int r = -3; r < runs; r++) { // 3 warm-up rounds
            long t0 = System.nanoTime();
            try (NDManager scope = manager.newSubManager()) {
                sampler.sample(model, shape, SamplingOptions.builder(scope).seed(r).build());
            }
            long t1 = System.nanoTime();
            try (NDManager run = manager.newSubManager()) {
                for (int t : ts) {
                    try (NDManager step = run.newSubManager()) {
                        step.tempAttachAll(x0);
                        NDArray tt = step.full(new Shape(shape.get(0)), t, DataType.INT64);
                        model.predict(x0, tt, new ai.djl.ndarray.NDList());
                    }
                }
            }
            long t2 = System.nanoTime();
            if (r >= 0) {
                ours[r] = t1 - t0;
                bare[r] = t2 - t1;
            }
        }
        double o = median(ours) / 1e3 / ts.length;
        double b = median(bare) / 1e3 / ts.length;
        System.out.printf("loop %-22s batch %d, %d steps: ours %.1f us/step, bare %.1f us/step, overhead %+.1f%%%n",
                name, shape.get(0), ts.length, o, b, 100 * (o - b) / b);
    }

    private void stepAlone(String name, Sampler sampler, Shape shape, NDManager manager) {
        int[] ts = sampler.timesteps();
        int t = ts[ts.length / 2];
        NDArray x = NoiseSource.seeded(4).normal(manager, shape, DataType.FLOAT32);
        NDArray out = NoiseSource.seeded(5).normal(manager, shape, DataType.FLOAT32);
        long[] times = new long[stepReps];
        try (SamplerState state = sampler.start()) {
            for (int i = -2000; i < stepReps; i++) { // warm-up, and the multistep history fills
                long t0 = System.nanoTime();
                try (NDManager step = manager.newSubManager()) {
                    step.tempAttachAll(x, out);
                    sampler.step(state, out, t, x, null);
                }
                if (i >= 0) {
                    times[i] = System.nanoTime() - t0;
                }
            }
        }
        System.out.printf("step %-22s %s: median %.1f us (p10 %.1f, p90 %.1f) over %d%n", name, shape,
                median(times) / 1e3, quantile(times, 0.1) / 1e3, quantile(times, 0.9) / 1e3, stepReps);
    }

    private static double median(long[] v) {
        return quantile(v, 0.5);
    }

    private static double quantile(long[] v, double q) {
        long[] c = v.clone();
        Arrays.sort(c);
        return c[(int) Math.min(c.length - 1, Math.round(q * (c.length - 1)))];
    }
}
