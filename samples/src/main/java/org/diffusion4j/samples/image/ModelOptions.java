package org.diffusion4j.samples.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import org.diffusion4j.core.process.GaussianDiffusion;
import org.diffusion4j.core.sampling.Sampler;
import org.diffusion4j.core.sampling.SamplerKind;
import org.diffusion4j.core.sampling.TimestepSpacing;
import org.diffusion4j.image.data.ImageTensors;
import org.diffusion4j.image.data.LabeledImages;
import org.diffusion4j.image.model.ImageDiffusionModel;
import org.diffusion4j.image.model.CompiledUNet;
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

    @Option(names = "--compiled", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "run the U-Net as a TorchScript module compiled from its layers: the same images, one native "
                    + "call per step instead of ~600 (1.2-1.6x faster); --no-compiled runs it op by op (default: on)")
    boolean compiled;

    /** A loaded model: its description and the inference view; closing it frees a compiled module. */
    record Loaded(ImageDiffusionModel description, ImageModel model, CompiledUNet compiled) implements AutoCloseable {
        @Override
        public void close() {
            if (compiled != null) {
                compiled.close();
            }
        }
    }

    Loaded load(NDManager manager) throws IOException {
        ImageDiffusionModel description = model == null ? ImageDiffusionModel.shipped() : ImageDiffusionModel.read(model);
        UNet2D net = model == null ? ImageDiffusionModel.loadShipped(manager)
                : description.load(manager, model.resolve(ImageDiffusionModel.WEIGHTS_FILE));
        if (!compiled) {
            return new Loaded(description, ImageModel.of(net, manager, description.imageSize()), null);
        }
        CompiledUNet c = CompiledUNet.compile(net);
        return new Loaded(description, ImageModel.of(c, description.imageSize()), c);
    }

    int steps() {
        if (steps != null) {
            if (steps < 1) {
                throw new IllegalArgumentException("--steps: expected >= 1, got " + steps);
            }
            return steps;
        }
        return SamplerKind.fromName(sampler).defaultSteps(1000);
    }

    Sampler sampler(GaussianDiffusion diffusion) {
        int n = Math.min(steps(), diffusion.numTimesteps());
        return SamplerKind.fromName(sampler).create(diffusion, n, TimestepSpacing.TRAILING, true);
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
