package org.diffusion4j.image.inject;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import com.google.inject.util.Modules;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.diffusion4j.core.process.GaussianDiffusion;
import org.diffusion4j.core.sampling.DdimSampler;
import org.diffusion4j.core.sampling.Sampler;
import org.diffusion4j.core.sampling.SamplerKind;
import org.diffusion4j.core.sampling.TimestepSpacing;
import org.diffusion4j.image.model.CompiledUNet;
import org.diffusion4j.image.model.ImageDiffusionModel;
import org.diffusion4j.image.model.UNet2D;
import org.diffusion4j.image.pipeline.Generation;
import org.diffusion4j.image.pipeline.ImageModel;
import org.diffusion4j.image.pipeline.ImageToImage;
import org.diffusion4j.image.pipeline.Inpainting;
import org.diffusion4j.image.pipeline.Interpolation;
import org.diffusion4j.image.pipeline.Outpainting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageModuleTest {

    private static final int[] LABELS = {3, 7};

    @Test
    void bindsTheShippedModelAndItsPipelinesAsSingletonsThatDrawWhatPlainConstructorsDraw() throws IOException {
        ImageConfig config = ImageConfig.shipped().withCompiled(false).withSampler(SamplerKind.DDIM).withSteps(4);
        try (NDManager manager = NDManager.newBaseManager()) {
            Injector injector = Guice.createInjector(new ImageModule(config, manager));
            ImageDiffusionModel description = injector.getInstance(ImageDiffusionModel.class);
            assertEquals(ImageDiffusionModel.shipped(), description);
            GaussianDiffusion diffusion = injector.getInstance(GaussianDiffusion.class);
            assertEquals(description.timesteps(), diffusion.numTimesteps());
            for (Class<?> type : new Class<?>[] {UNet2D.class, ImageModel.class, Sampler.class, Generation.class,
                    Inpainting.class, Outpainting.class, ImageToImage.class, Interpolation.class}) {
                assertSame(injector.getInstance(type), injector.getInstance(type), type.getSimpleName());
            }
            ImageModel model = injector.getInstance(ImageModel.class);
            assertInstanceOf(org.diffusion4j.core.model.BlockDenoiser.class, model.denoiser());
            assertEquals(10, model.numClasses());
            // trailing spacing over T = 1000 with 4 steps: 999, 749, 499, 249
            assertArrayEquals(new int[] {999, 749, 499, 249}, injector.getInstance(Sampler.class).timesteps());

            NDArray bound = injector.getInstance(Generation.class).generate(LABELS, 2.0, 5, manager);
            Sampler plainSampler = DdimSampler.builder(description.diffusion()).steps(4).spacing(TimestepSpacing.TRAILING)
                    .clipDenoised(true).eta(0).build();
            ImageModel plainModel = ImageModel.of(ImageDiffusionModel.loadShipped(manager), manager, 28);
            NDArray plain = new Generation(plainModel, plainSampler).generate(LABELS, 2.0, 5, manager);
            assertArrayEquals(plain.toFloatArray(), bound.toFloatArray(), 1e-6f);
            // the sampler clamps x̂0 to the images' range, so the output stays in [−1, 1]
            assertTrue(bound.abs().max().getFloat() <= 1f + 1e-6f);
        }
    }

    @Test
    void theCompiledModelDrawsTheSameDigitsAndIsReleasedWithTheManager() {
        ImageConfig opByOp = ImageConfig.shipped().withCompiled(false).withSteps(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            Injector compiled = Guice.createInjector(new ImageModule(opByOp.withCompiled(true), manager));
            Injector eager = Guice.createInjector(new ImageModule(opByOp, manager));
            assertInstanceOf(CompiledUNet.class, compiled.getInstance(ImageModel.class).denoiser());
            float[] a = compiled.getInstance(Generation.class).generate(LABELS, 2.0, 1, manager).toFloatArray();
            float[] b = eager.getInstance(Generation.class).generate(LABELS, 2.0, 1, manager).toFloatArray();
            double worst = 0;
            for (int i = 0; i < a.length; i++) {
                worst = Math.max(worst, Math.abs(a[i] - b[i]));
            }
            // three DPM-Solver++ steps through one TorchScript graph against the same ops one by one (float32)
            assertTrue(worst < 1e-3, "compiled vs op by op: max |Δ| = " + worst);

            // the compiled module lives as long as the manager the module was given, and is released with it
            NDManager scope = manager.newSubManager();
            ImageModel scoped = Guice.createInjector(new ImageModule(opByOp.withCompiled(true), scope))
                    .getInstance(ImageModel.class);
            NDArray x = manager.zeros(scoped.shape(1));
            ai.djl.ndarray.NDList cond = new ai.djl.ndarray.NDList(manager.create(new long[] {3}));
            assertEquals(scoped.shape(1), scoped.denoiser().predict(x, manager.create(new long[] {5}), cond).getShape());
            scope.close();
            assertThrows(IllegalStateException.class,
                    () -> scoped.denoiser().predict(x, manager.create(new long[] {5}), cond));
        }
    }

    @Test
    void loadsATrainingRunFolder(@TempDir Path dir) throws IOException {
        String shipped = ImageDiffusionModel.SHIPPED_RESOURCE;
        for (String name : new String[] {"model.properties", ImageDiffusionModel.WEIGHTS_FILE}) {
            try (InputStream in = ImageModuleTest.class.getResourceAsStream(shipped + name)) {
                Files.copy(in, dir.resolve(name));
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            Injector fromDir = Guice.createInjector(new ImageModule(ImageConfig.of(dir).withCompiled(false), manager));
            Injector fromJar = Guice.createInjector(new ImageModule(ImageConfig.shipped().withCompiled(false), manager));
            assertEquals(fromJar.getInstance(ImageDiffusionModel.class), fromDir.getInstance(ImageDiffusionModel.class));
            var a = fromDir.getInstance(UNet2D.class).namedParameters();
            var b = fromJar.getInstance(UNet2D.class).namedParameters();
            assertEquals(b.keySet(), a.keySet());
            for (String name : a.keySet()) {
                assertArrayEquals(b.get(name).getArray().toFloatArray(), a.get(name).getArray().toFloatArray(), name);
            }
        }
    }

    @Test
    void aMissingFolderFailsWhenTheModelIsRequestedAndNamesThePath() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Path missing = Path.of("target", "no-such-image-model");
            Injector injector = Guice.createInjector(new ImageModule(ImageConfig.of(missing), manager));
            ProvisionException e = assertThrows(ProvisionException.class, () -> injector.getInstance(Generation.class));
            assertTrue(e.getMessage().contains("modelDir") && e.getMessage().contains("no-such-image-model"), e.getMessage());
        }
    }

    @Test
    void aBindingCanBeOverridden() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ImageConfig config = ImageConfig.shipped().withCompiled(false);
            Injector plain = Guice.createInjector(new ImageModule(config, manager));
            GaussianDiffusion tenSteps = GaussianDiffusion.builder()
                    .schedule(org.diffusion4j.core.schedule.NoiseSchedule.cosine(10)).build();
            Injector injector = Guice.createInjector(Modules.override(new ImageModule(config, manager))
                    .with(m -> m.bind(GaussianDiffusion.class).toInstance(tenSteps)));
            // the sampler is built on the overriding process: DPM-Solver++'s 20 usual steps, capped at its T = 10
            assertEquals(10, injector.getInstance(Sampler.class).timesteps().length);
            assertEquals(20, plain.getInstance(Sampler.class).timesteps().length);
        }
    }

    @Test
    void stepsDefaultToTheSamplersUsualCountAndBadStepsAreRefused() {
        ImageConfig shipped = ImageConfig.shipped();
        assertEquals(20, shipped.samplerSteps(1000));
        assertEquals(50, shipped.interpolationSteps(1000));
        assertEquals(1000, shipped.withSampler(SamplerKind.DDPM).samplerSteps(1000));
        assertEquals(7, shipped.withSteps(7).interpolationSteps(1000));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> shipped.withSteps(-3));
        assertTrue(e.getMessage().contains("steps") && e.getMessage().contains("-3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> shipped.withSteps(1001).samplerSteps(1000));
        assertTrue(e.getMessage().contains("steps") && e.getMessage().contains("1000") && e.getMessage().contains("1001"),
                e.getMessage());
        assertThrows(NullPointerException.class, () -> new ImageModule(null, null));
        assertThrows(NullPointerException.class, () -> ImageConfig.of(null));
    }
}
