package org.diffusion4j.core.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.util.Modules;
import org.diffusion4j.core.process.GaussianDiffusion;
import org.diffusion4j.core.process.LossType;
import org.diffusion4j.core.process.Prediction;
import org.diffusion4j.core.process.VarianceType;
import org.diffusion4j.core.schedule.NoiseSchedule;
import org.diffusion4j.core.schedule.ScheduleKind;
import org.junit.jupiter.api.Test;

class DiffusionModuleTest {

    @Test
    void bindsTheConfiguredScheduleAndProcess() {
        DiffusionConfig config = new DiffusionConfig(ScheduleKind.COSINE, 4000, "ddim50", Prediction.V,
                VarianceType.LEARNED_RANGE, LossType.RESCALED_MSE);
        Injector injector = Guice.createInjector(new DiffusionModule(config));
        GaussianDiffusion d = injector.getInstance(GaussianDiffusion.class);
        assertEquals(50, d.numTimesteps());
        assertEquals(NoiseSchedule.cosine(4000).respace("ddim50"), d.schedule());
        assertEquals(Prediction.V, d.prediction());
        assertEquals(VarianceType.LEARNED_RANGE, d.varianceType());
        assertEquals(LossType.RESCALED_MSE, d.lossType());
        assertSame(d, injector.getInstance(GaussianDiffusion.class));
        // The same object without Guice.
        assertEquals(d.schedule(), config.buildDiffusion().schedule());
    }

    @Test
    void aUserOverridesTheScheduleBinding() {
        NoiseSchedule custom = NoiseSchedule.fromBetas(new double[] {0.1, 0.2, 0.3});
        Injector injector = Guice.createInjector(Modules.override(new DiffusionModule(DiffusionConfig.ddpmDefaults()))
                .with(new AbstractModule() {
                    @Override
                    protected void configure() {
                        bind(NoiseSchedule.class).toInstance(custom);
                    }
                }));
        assertEquals(3, injector.getInstance(GaussianDiffusion.class).numTimesteps());
    }
}
