package org.diffusion4j.samples.toy;

import org.diffusion4j.samples.ConsoleProgress;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.diffusion4j.core.model.Denoiser;
import org.diffusion4j.core.nn.MlpDenoiserBlock;
import org.diffusion4j.core.process.GaussianDiffusion;
import org.diffusion4j.core.random.NoiseSource;
import org.diffusion4j.core.sampling.Sampler;
import org.diffusion4j.core.sampling.SamplerKind;
import org.diffusion4j.core.sampling.SamplingOptions;
import org.diffusion4j.core.sampling.TimestepSpacing;
import org.diffusion4j.core.schedule.NoiseSchedule;
import org.diffusion4j.core.toy.EnergyDistance;
import org.diffusion4j.core.toy.ToyDistribution;
import org.diffusion4j.core.training.DiffusionTrainer;
import org.diffusion4j.core.training.TrainerConfig;
import org.diffusion4j.core.training.TrainingBatch;
import org.diffusion4j.core.training.TrainingData;
import org.diffusion4j.samples.NativeSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trains the toy MLP denoiser on a 2-D distribution, samples it with DDPM / DDIM / DPM-Solver++, writes a scatter
 * plot per sampler and prints the energy distance between samples and fresh data (with the distance between two
 * independent data sets as the floor a perfect model would reach).
 */
@Command(name = "toy", mixinStandardHelpOptions = true,
        description = "Train a small MLP diffusion model on a 2-D toy distribution, sample it, plot and score it.")
public final class ToyCommand implements Callable<Integer> {

    private static final int TRAIN_POINTS = 8192;
    private static final int BATCH = 256;
    private static final int TIMESTEPS = 1000;

    @Option(names = "--dataset", defaultValue = "moons", description = "moons, swissroll or gaussians (default: ${DEFAULT-VALUE})")
    String dataset;

    @Option(names = "--steps-train", defaultValue = "3000", description = "training steps (default: ${DEFAULT-VALUE})")
    int trainSteps;

    @Option(names = "--sampler", defaultValue = "all", description = "ddpm, ddim, dpmpp2m or all (default: ${DEFAULT-VALUE})")
    String sampler;

    @Option(names = "--steps", description = "sampling steps (default: 1000 for ddpm, 50 for ddim, 20 for dpmpp2m)")
    Integer steps;

    @Option(names = "--points", defaultValue = "1000", description = "number of samples drawn (default: ${DEFAULT-VALUE})")
    int points;

    @Option(names = "--seed", defaultValue = "0", description = "seed of data, training and sampling (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", defaultValue = "toy-out", description = "output directory (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws Exception {
        // Toy tensors are tiny: one intra-op thread avoids libtorch's thread hand-off, which dominates at this size.
        NativeSetup.singleThreadUnlessSet();
        ToyDistribution distribution = ToyDistribution.fromName(dataset);
        List<String> samplers = "all".equalsIgnoreCase(sampler) ? List.of("ddpm", "ddim", "dpmpp2m") : List.of(sampler);
        for (String s : samplers) {
            defaultSteps(s); // validates the name before training
        }
        if (trainSteps < 1) {
            throw new IllegalArgumentException("--steps-train: expected at least 1, got " + trainSteps);
        }
        if (points < 2) {
            throw new IllegalArgumentException("--points: expected at least 2, got " + points);
        }
        GaussianDiffusion diffusion = GaussianDiffusion.builder().schedule(NoiseSchedule.linear(TIMESTEPS)).build();
        NoiseSource dataNoise = NoiseSource.seeded(seed);
        try (NDManager manager = NDManager.newBaseManager()) {
            List<TrainingBatch> batches = new ArrayList<>();
            for (int i = 0; i < TRAIN_POINTS / BATCH; i++) {
                batches.add(TrainingBatch.of(distribution.sample(manager, BATCH, dataNoise)));
            }
            TrainerConfig config = TrainerConfig.builder().seed(seed).learningRate(2e-3).warmupSteps(100)
                    .emaDecay(0.995).gradClipNorm(1.0).build();
            float[] reference = distribution.sample(points, dataNoise);
            float[] reference2 = distribution.sample(points, dataNoise);
            System.out.printf(Locale.ROOT, "dataset %s, %d training points, T = %d, seed %d%n", distribution.cliName(),
                    TRAIN_POINTS, TIMESTEPS, seed);
            try (ConsoleProgress bar = ConsoleProgress.training("train", trainSteps);
                 DiffusionTrainer trainer = DiffusionTrainer.builder().diffusion(diffusion)
                         .architecture(() -> MlpDenoiserBlock.builder().width(128).depth(3).build())
                         .inputShapes(new Shape(BATCH, 2), new Shape(BATCH)).config(config).listener(bar)
                         .build(manager)) {
                long t0 = System.nanoTime();
                trainer.train(TrainingData.cycling(batches), trainSteps);
                bar.close();
                System.out.printf(Locale.ROOT, "trained %d steps in %.1f s%n", trainSteps, (System.nanoTime() - t0) / 1e9);
                Denoiser ema = trainer.emaDenoiser();
                System.out.printf(Locale.ROOT, "energy distance between two data sets of %d points (floor): %.4f%n",
                        points, EnergyDistance.between(reference, reference2, 2));
                System.out.printf(Locale.ROOT, "%-8s %6s %10s %9s  %s%n", "sampler", "steps", "energy", "seconds", "plot");
                for (String name : samplers) {
                    int n = steps != null ? steps : defaultSteps(name);
                    Sampler s = build(name, diffusion, n);
                    long s0 = System.nanoTime();
                    float[] samples;
                    try (NDManager scope = manager.newSubManager();
                         ConsoleProgress sampleBar = ConsoleProgress.sampling(name)) {
                        NDArray x = s.sample(ema, new Shape(points, 2),
                                SamplingOptions.builder(scope).seed(seed + 1).listener(sampleBar).build());
                        samples = x.toFloatArray();
                    }
                    double seconds = (System.nanoTime() - s0) / 1e9;
                    Path png = out.resolve("toy-" + distribution.cliName() + "-" + name + ".png");
                    double distance = EnergyDistance.between(samples, reference, 2);
                    ScatterPlot.write(png, String.format(Locale.ROOT, "%s, %s %d steps, energy distance %.4f",
                            distribution.cliName(), name, n, distance), reference, samples);
                    System.out.printf(Locale.ROOT, "%-8s %6d %10.4f %9.2f  %s%n", name, n, distance, seconds, png);
                }
            }
        }
        return 0;
    }

    private static int defaultSteps(String name) {
        return SamplerKind.fromName(name).defaultSteps(TIMESTEPS);
    }

    private static Sampler build(String name, GaussianDiffusion diffusion, int steps) {
        return SamplerKind.fromName(name).create(diffusion, steps, TimestepSpacing.TRAILING, false);
    }
}
