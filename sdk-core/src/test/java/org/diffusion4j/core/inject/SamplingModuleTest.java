package org.diffusion4j.core.inject;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.util.Modules;
import java.util.Map;
import org.diffusion4j.core.process.GaussianDiffusion;
import org.diffusion4j.core.sampling.DdimSampler;
import org.diffusion4j.core.sampling.DdpmSampler;
import org.diffusion4j.core.sampling.DpmSolverPlusPlusSampler;
import org.diffusion4j.core.sampling.Sampler;
import org.diffusion4j.core.sampling.TimestepSpacing;
import org.diffusion4j.core.training.TrainerConfig;
import org.junit.jupiter.api.Test;

class SamplingModuleTest {

    private static final Key<Map<String, SamplerFactory>> SAMPLERS = Key.get(new TypeLiteral<>() { });

    @Test
    void samplersAreBoundByNameAndHonourStepsAndSpacing() {
        Injector injector = Guice.createInjector(new DiffusionModule(DiffusionConfig.ddpmDefaults()),
                new SamplingModule(), new TrainingModule(TrainerConfig.builder().build()));
        Map<String, SamplerFactory> samplers = injector.getInstance(SAMPLERS);
        GaussianDiffusion d = injector.getInstance(GaussianDiffusion.class);
        assertInstanceOf(DdpmSampler.class, samplers.get("ddpm").create(d, 1000, TimestepSpacing.LEADING));
        assertInstanceOf(DdimSampler.class, samplers.get("ddim").create(d, 50, TimestepSpacing.TRAILING));
        Sampler dpm = samplers.get("dpmpp2m").create(d, 20, TimestepSpacing.TRAILING);
        assertInstanceOf(DpmSolverPlusPlusSampler.class, dpm);
        assertArrayEquals(TimestepSpacing.TRAILING.select(1000, 20), dpm.timesteps());
        assertEquals(20, samplers.get("ddim-eta1").create(d, 20, TimestepSpacing.LINSPACE).timesteps().length);
        assertEquals(TrainerConfig.builder().build(), injector.getInstance(TrainerConfig.class));
    }

    @Test
    void aUserOverridesOneSamplerAndAddsAnother() {
        SamplerFactory custom = (d, steps, spacing) -> DdimSampler.builder(d).steps(steps).eta(0.5).build();
        Injector injector = Guice.createInjector(new DiffusionModule(DiffusionConfig.ddpmDefaults()),
                Modules.override(new SamplingModule()).with(new AbstractModule() {
                    @Override
                    protected void configure() {
                        bind(SamplingModule.key("ddim")).toInstance(custom);
                    }
                }),
                new AbstractModule() {
                    @Override
                    protected void configure() {
                        MapBinder.newMapBinder(binder(), String.class, SamplerFactory.class)
                                .addBinding("mine").toInstance(custom);
                    }
                });
        Map<String, SamplerFactory> samplers = injector.getInstance(SAMPLERS);
        assertSame(custom, samplers.get("ddim"));
        assertSame(custom, samplers.get("mine"));
        assertEquals(5, samplers.size());
    }
}
