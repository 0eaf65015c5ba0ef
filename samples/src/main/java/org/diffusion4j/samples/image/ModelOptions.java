package org.diffusion4j.samples.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.diffusion4j.core.process.GaussianDiffusion;
import org.diffusion4j.core.sampling.DdimSampler;
import org.diffusion4j.core.sampling.DdpmSampler;
import org.diffusion4j.core.sampling.DpmSolverPlusPlusSampler;
import org.diffusion4j.core.sampling.Sampler;
import org.diffusion4j.core.sampling.TimestepSpacing;
import org.diffusion4j.image.data.ImageTensors;
import org.diffusion4j.image.data.LabeledImages;
import org.diffusion4j.image.model.ImageDiffusionModel;
import org.diffusion4j.image.model.UNet2D;
import org.diffusion4j.image.pipeline.Guidance;
import org.diffusion4j.image.pipeline.ImageModel;
import picocli.CommandLine.Option;

/** Options every image command shares: which model, which sampler, how many steps, which seed. */
final class ModelOptions {

    @Option(names = "--model", description = "run directory of a trained model (model.properties + ema.safetensors); "
            + "default: the shipped MNIST model")
    Path model;

    @Option(names = "--sampler", defaultValue = "dpmpp2m", description = "ddpm, ddim or dpmpp2m (default: ${DEFAULT-VALUE})")
    String sampler;

    @Option(names = "--steps", description = "sampling steps (default: 1000 for ddpm, 50 for ddim, 20 for dpmpp2m)")
    Integer steps;

    @Option(names = "--seed", defaultValue = "0", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    /** A loaded model: its description and the inference view. */
    record Loaded(ImageDiffusionModel description, ImageModel model) {
    }

    Loaded load(NDManager manager) throws IOException {
        // Small tensors on a shared machine: one intra-op thread avoids libtorch's thread hand-off.
        ImageDiffusionModel description = model == null ? ImageDiffusionModel.shipped() : ImageDiffusionModel.read(model);
        UNet2D net = model == null ? ImageDiffusionModel.loadShipped(manager)
                : description.load(manager, model.resolve("ema.safetensors"));
        return new Loaded(description, ImageModel.of(net, manager, description.imageSize()));
    }

    int steps() {
        if (steps != null) {
            if (steps < 1) {
                throw new IllegalArgumentException("--steps: expected >= 1, got " + steps);
            }
            return steps;
        }
        return switch (sampler.toLowerCase(Locale.ROOT)) {
            case "ddpm" -> 1000;
            case "ddim" -> 50;
            case "dpmpp2m" -> 20;
            default -> throw new IllegalArgumentException("--sampler: expected ddpm, ddim or dpmpp2m, got '" + sampler + "'");
        };
    }

    Sampler sampler(GaussianDiffusion diffusion) {
        int n = Math.min(steps(), diffusion.numTimesteps());
        return switch (sampler.toLowerCase(Locale.ROOT)) {
            case "ddpm" -> DdpmSampler.builder(diffusion).steps(n).spacing(TimestepSpacing.TRAILING).clipDenoised(true).build();
            case "ddim" -> DdimSampler.builder(diffusion).steps(n).spacing(TimestepSpacing.TRAILING).clipDenoised(true).build();
            case "dpmpp2m" -> DpmSolverPlusPlusSampler.builder(diffusion).steps(n).spacing(TimestepSpacing.TRAILING).clipDenoised(true).build();
            default -> throw new IllegalArgumentException("--sampler: expected ddpm, ddim or dpmpp2m, got '" + sampler + "'");
        };
    }

    static void singleThreaded() {
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", "1");
        }
    }

    /** Guidance from a class (or none: −1) and a weight. */
    static Guidance guidance(int label, double scale) {
        return label < 0 ? Guidance.none() : Guidance.of(label, scale);
    }

    /** An input image: a PNG of the model's size, or MNIST test image {@code index} when no file is given. */
    static NDArray input(Path png, int index, ImageModel m, NDManager manager) throws IOException {
        if (png != null) {
            return ImageTensors.readImage(png, m.channels(), m.height(), m.width(), manager);
        }
        LabeledImages test = LabeledImages.mnistTest();
        if (index < 0 || index >= test.count()) {
            throw new IllegalArgumentException("--mnist-index: expected in [0, " + test.count() + "), got " + index);
        }
        LabeledImages one = test.slice(index, 1);
        float[] px = new float[one.height() * one.width()];
        for (int y = 0; y < one.height(); y++) {
            for (int x = 0; x < one.width(); x++) {
                px[y * one.width() + x] = one.pixel(0, 0, y, x) / 127.5f - 1f;
            }
        }
        if (m.channels() != 1 || m.height() != one.height() || m.width() != one.width()) {
            throw new IllegalArgumentException("--image: expected a PNG for a model of " + m.channels() + "×" + m.height()
                    + "×" + m.width() + " (MNIST digits only fit 1×28×28 models)");
        }
        return manager.create(px, new ai.djl.ndarray.types.Shape(1, 1, one.height(), one.width()));
    }
}
