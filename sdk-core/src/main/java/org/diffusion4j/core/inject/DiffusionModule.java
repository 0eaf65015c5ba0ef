package org.diffusion4j.core.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.util.Objects;
import org.diffusion4j.core.process.GaussianDiffusion;
import org.diffusion4j.core.schedule.NoiseSchedule;

/**
 * Binds a {@link DiffusionConfig}, the {@link NoiseSchedule} it names and the {@link GaussianDiffusion} over it.
 * Side-effect free: nothing is computed until a binding is requested. Override any binding with
 * {@code Modules.override(new DiffusionModule(config)).with(...)}. Core types never need Guice: the same objects
 * come from {@link DiffusionConfig#buildDiffusion()}.
 */
public final class DiffusionModule extends AbstractModule {

    private final DiffusionConfig config;

    public DiffusionModule(DiffusionConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    protected void configure() {
        bind(DiffusionConfig.class).toInstance(config);
    }

    @Provides
    @Singleton
    NoiseSchedule schedule(DiffusionConfig c) {
        return c.buildSchedule();
    }

    @Provides
    @Singleton
    GaussianDiffusion diffusion(DiffusionConfig c, NoiseSchedule schedule) {
        return GaussianDiffusion.builder().schedule(schedule).prediction(c.prediction()).variance(c.variance())
                .loss(c.loss()).build();
    }
}
