package org.diffusion4j.samples.image;

import ai.djl.ndarray.NDManager;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.diffusion4j.image.data.LabeledImages;
import org.diffusion4j.image.metrics.FrechetDistance;
import org.diffusion4j.image.metrics.GaussianStatistics;
import org.diffusion4j.image.metrics.MnistClassifier;
import org.diffusion4j.image.metrics.MnistSampleEvaluation;
import org.diffusion4j.image.pipeline.Generation;
import org.diffusion4j.image.pipeline.Guidance;
import org.diffusion4j.samples.NativeSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** FID-MNIST of class-balanced samples against the MNIST test set, next to the real-vs-real floor. */
@Command(name = "fid", mixinStandardHelpOptions = true,
        description = "FID-MNIST and classifier agreement of generated digits, with the floor of two real sets.")
public final class FidCommand implements Callable<Integer> {

    @Mixin
    ModelOptions options;

    @Option(names = "--count", defaultValue = "1000", description = "samples (and real images per set)")
    int count;

    @Option(names = "--batch", defaultValue = "100")
    int batch;

    @Option(names = "--guidance", defaultValue = "2.0")
    double guidance;

    @Override
    public Integer call() throws Exception {
        NativeSetup.singleThreadUnlessSet();
        try (NDManager manager = NDManager.newBaseManager()) {
            MnistSampleEvaluation eval = new MnistSampleEvaluation(MnistClassifier.shipped(manager));
            LabeledImages test = LabeledImages.mnistTest();
            GaussianStatistics reference = eval.statistics(test, 0, count, manager);
            double floor = FrechetDistance.between(eval.statistics(test, count, count, manager), reference);
            MnistSampleEvaluation.Result r;
            int steps;
            try (NDManager modelScope = manager.newSubManager()) {   // frees the network once the digits are drawn
                ModelOptions.Loaded loaded = options.load(modelScope);
                steps = loaded.steps();
                Generation gen = loaded.injector().getInstance(Generation.class);
                long[] batchIndex = {0};
                r = eval.evaluate(labels -> gen.generate(labels.length, Guidance.of(labels, guidance),
                        options.seed + batchIndex[0]++, manager), count, batch, reference, manager);
            }
            System.out.printf(Locale.ROOT, "floor (MNIST test [%d,%d) vs [0,%d)): FID-MNIST %.3f%n", count, 2 * count,
                    count, floor);
            System.out.printf(Locale.ROOT, "%s %d steps, guidance %.2f: %s%n", options.sampler, steps, guidance, r);
        }
        return 0;
    }
}
