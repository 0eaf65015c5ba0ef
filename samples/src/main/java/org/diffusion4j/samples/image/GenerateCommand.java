package org.diffusion4j.samples.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.diffusion4j.image.data.ImageTensors;
import org.diffusion4j.image.pipeline.Generation;
import org.diffusion4j.samples.ConsoleProgress;
import org.diffusion4j.samples.NativeSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Writes a PNG grid of generated images (the shipped MNIST model by default: no training, no download). */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate a grid of images (default: digits 0-9 from the shipped MNIST model).")
public final class GenerateCommand implements Callable<Integer> {

    @Mixin
    ModelOptions options;

    @Option(names = "--class", defaultValue = "-2",
            description = "class to generate; -1 = unconditional; default: one row per class 0..K-1")
    int label;

    @Option(names = "--guidance", defaultValue = "2.0", description = "classifier-free guidance weight w >= 0 "
            + "(1 = plain conditional, default: ${DEFAULT-VALUE})")
    double guidance;

    @Option(names = "--count", defaultValue = "10", description = "images per class row (default: ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--out", defaultValue = "image-out/generated.png", description = "PNG file (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws Exception {
        NativeSetup.singleThreadUnlessSet();
        if (count < 1) {
            throw new IllegalArgumentException("--count: expected >= 1, got " + count);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelOptions.Loaded loaded = options.load(manager);
            long t0 = System.nanoTime();
            NDArray x;
            int columns = count;
            try (ConsoleProgress bar = ConsoleProgress.sampling("generate")) {
                Generation gen = new Generation(loaded.model(), loaded.sampler(), bar);
                if (label == -2 && loaded.model().classConditional()) {
                    int k = loaded.model().numClasses();
                    int[] labels = new int[k * count];
                    for (int i = 0; i < labels.length; i++) {
                        labels[i] = i / count;
                    }
                    x = gen.generate(labels, guidance, options.seed, manager);
                } else if (label >= 0) {
                    int[] labels = new int[count];
                    java.util.Arrays.fill(labels, label);
                    x = gen.generate(labels, guidance, options.seed, manager);
                } else {
                    x = gen.generate(count, options.seed, manager);
                }
            }
            ImageTensors.writeGrid(x, columns, 2, out);
            System.out.printf(Locale.ROOT, "%d images (%s, %d steps, guidance %.2f, seed %d) in %.1f s -> %s%n",
                    x.getShape().get(0), options.sampler, loaded.steps(), guidance, options.seed,
                    (System.nanoTime() - t0) / 1e9, out);
        }
        return 0;
    }
}
