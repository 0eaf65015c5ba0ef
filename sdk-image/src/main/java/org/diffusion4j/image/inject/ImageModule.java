package org.diffusion4j.image.inject;

import ai.djl.ndarray.NDManager;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.UUID;
import org.diffusion4j.core.process.GaussianDiffusion;
import org.diffusion4j.core.sampling.DdimSampler;
import org.diffusion4j.core.sampling.Sampler;
import org.diffusion4j.image.model.CompiledUNet;
import org.diffusion4j.image.model.ImageDiffusionModel;
import org.diffusion4j.image.model.UNet2D;
import org.diffusion4j.image.pipeline.Generation;
import org.diffusion4j.image.pipeline.ImageModel;
import org.diffusion4j.image.pipeline.ImageToImage;
import org.diffusion4j.image.pipeline.Inpainting;
import org.diffusion4j.image.pipeline.Interpolation;
import org.diffusion4j.image.pipeline.Outpainting;

/**
 * Binds an {@link ImageConfig} and what an image application needs from it, all as singletons: the model's
 * {@link ImageDiffusionModel} description, the {@link GaussianDiffusion} it was trained with, its {@link UNet2D},
 * the {@link ImageModel} the pipelines run (compiled or op by op, as configured), the configured {@link Sampler}
 * (clamping every predicted x₀ to [−1, 1], the images' range) and the pipelines on them: {@link Generation},
 * {@link Inpainting}, {@link Outpainting}, {@link ImageToImage} and {@link Interpolation} (on DDIM, η = 0).
 *
 * <p>The network's parameters live in the {@link NDManager} passed in, and a compiled module is attached to it: the
 * caller owns the manager and closes it when the injector's objects are no longer used (Guice has no scope end).
 * Nothing is loaded until a binding is requested; a model folder that cannot be read fails that request with the path
 * in the message. Override a binding with {@code Modules.override(new ImageModule(config, manager)).with(...)}. None
 * of these types needs Guice: each binding is one constructor or factory call on the same arguments.
 */
public final class ImageModule extends AbstractModule {

    private final ImageConfig config;
    private final NDManager manager;

    public ImageModule(ImageConfig config, NDManager manager) {
        this.config = Objects.requireNonNull(config, "config");
        this.manager = Objects.requireNonNull(manager, "manager");
    }

    @Override
    protected void configure() {
        bind(ImageConfig.class).toInstance(config);
    }

    @Provides
    @Singleton
    ImageDiffusionModel description(ImageConfig c) {
        try {
            return c.modelDir() == null ? ImageDiffusionModel.shipped() : ImageDiffusionModel.read(c.modelDir());
        } catch (IOException e) {
            throw unreadable(c, e);
        }
    }

    @Provides
    @Singleton
    GaussianDiffusion diffusion(ImageDiffusionModel description) {
        return description.diffusion();
    }

    @Provides
    @Singleton
    UNet2D network(ImageDiffusionModel description, ImageConfig c) {
        try {
            return c.modelDir() == null ? ImageDiffusionModel.loadShipped(manager)
                    : description.load(manager, c.modelDir().resolve(ImageDiffusionModel.WEIGHTS_FILE));
        } catch (IOException e) {
            throw unreadable(c, e);
        }
    }

    @Provides
    @Singleton
    ImageModel imageModel(UNet2D network, ImageDiffusionModel description, ImageConfig c) {
        if (!c.compiled()) {
            return ImageModel.of(network, manager, description.imageSize());
        }
        CompiledUNet compiled;
        try {
            compiled = CompiledUNet.compile(network);
        } catch (IOException e) {
            throw new UncheckedIOException("compiled: could not compile the U-Net to TorchScript (" + e.getMessage()
                    + "); run it op by op with ImageConfig.withCompiled(false)", e);
        }
        // freed with the caller's manager, like the network's parameters
        manager.attachInternal("compiled-unet-" + UUID.randomUUID(), compiled);
        return ImageModel.of(compiled, description.imageSize());
    }

    @Provides
    @Singleton
    Sampler sampler(GaussianDiffusion diffusion, ImageConfig c) {
        return c.sampler().create(diffusion, c.samplerSteps(diffusion.numTimesteps()), c.spacing(), true);
    }

    @Provides
    @Singleton
    Generation generation(ImageModel model, Sampler sampler) {
        return new Generation(model, sampler);
    }

    @Provides
    @Singleton
    Inpainting inpainting(ImageModel model, Sampler sampler) {
        return new Inpainting(model, sampler);
    }

    @Provides
    @Singleton
    Outpainting outpainting(ImageModel model, Inpainting inpainting) {
        return new Outpainting(model, inpainting);
    }

    @Provides
    @Singleton
    ImageToImage imageToImage(ImageModel model, Sampler sampler) {
        return new ImageToImage(model, sampler);
    }

    @Provides
    @Singleton
    Interpolation interpolation(ImageModel model, GaussianDiffusion diffusion, ImageConfig c) {
        DdimSampler ddim = DdimSampler.builder(diffusion).steps(c.interpolationSteps(diffusion.numTimesteps()))
                .spacing(c.spacing()).clipDenoised(true).eta(0).build();
        return new Interpolation(model, ddim);
    }

    private static UncheckedIOException unreadable(ImageConfig c, IOException e) {
        Path dir = c.modelDir();
        String where = dir == null ? "the shipped model (" + ImageDiffusionModel.SHIPPED_RESOURCE + ")"
                : dir.toAbsolutePath().toString();
        String why = e instanceof NoSuchFileException ? "missing " + e.getMessage() : e.getMessage();
        return new UncheckedIOException("modelDir: could not load an image model from " + where + " (" + why + ")", e);
    }
}
