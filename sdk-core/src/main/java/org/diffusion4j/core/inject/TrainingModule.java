package org.diffusion4j.core.inject;

import com.google.inject.AbstractModule;
import java.util.Objects;
import org.diffusion4j.core.training.TrainerConfig;

/**
 * Binds the {@link TrainerConfig} of a run (optimiser, warm-up, clipping, EMA, conditioning dropout, checkpoints).
 * The trainer itself needs a network and a manager, which are run-time values: build it with
 * {@code DiffusionTrainer.builder().config(injector.getInstance(TrainerConfig.class))...}.
 */
public final class TrainingModule extends AbstractModule {

    private final TrainerConfig config;

    public TrainingModule(TrainerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    protected void configure() {
        bind(TrainerConfig.class).toInstance(config);
    }
}
