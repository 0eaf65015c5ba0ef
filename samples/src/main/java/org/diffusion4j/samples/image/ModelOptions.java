package org.diffusion4j.samples.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.inject.Guice;
import com.google.inject.Injector;
import java.io.IOException;
import java.nio.file.Path;
import org.diffusion4j.core.sampling.Sampler;
import org.diffusion4j.core.sampling.SamplerKind;
import org.diffusion4j.core.sampling.TimestepSpacing;
import org.diffusion4j.image.data.ImageTensors;
import org.diffusion4j.image.data.LabeledImages;
import org.diffusion4j.image.inject.ImageConfig;
import org.diffusion4j.image.inject.ImageModule;
import org.diffusion4j.image.model.ImageDiffusionModel;
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

    /**
     * A model loaded through {@link ImageModule}: the injector, the model's description, the inference view (a
     * compiled module is attached to the manager given to {@link #load}, and freed with it) and the configured sampler.
     */
    record Loaded(Injector injector, ImageDiffusionModel description, ImageModel model, Sampler sampler) {

        /** Steps the sampler runs. */
        int steps() {
            return sampler.timesteps().length;
        }
    }

    /** What the options ask for, as {@link ImageModule}'s configuration. */
    ImageConfig config() {
        if (steps != null && steps < 1) {
            throw new IllegalArgumentException("--steps: expected >= 1, got " + steps);
        }
        ImageConfig base = model == null ? ImageConfig.shipped() : ImageConfig.of(model);
        return base.withCompiled(compiled).withSampler(SamplerKind.fromName(sampler)).withSteps(steps == null ? 0 : steps)
                .withSpacing(TimestepSpacing.TRAILING);
    }

    /** Loads the model (parameters and compiled module in {@code manager}) with the SDK's Guice wiring. */
    Loaded load(NDManager manager) {
        Injector injector = Guice.createInjector(new ImageModule(config(), manager));
        return new Loaded(injector, injector.getInstance(ImageDiffusionModel.class), injector.getInstance(ImageModel.class),
                injector.getInstance(Sampler.class));
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
