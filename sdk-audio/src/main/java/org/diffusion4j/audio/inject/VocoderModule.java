package org.diffusion4j.audio.inject;

import ai.djl.ndarray.NDManager;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.diffusion4j.audio.mel.MelRecipe;
import org.diffusion4j.audio.mel.MelSpectrogram;
import org.diffusion4j.audio.metrics.GriffinLim;
import org.diffusion4j.audio.refine.MelConsistencyRefiner;
import org.diffusion4j.audio.vocode.VocoderModel;
import org.diffusion4j.audio.vocode.WaveGradVocoder;

/**
 * Binds a {@link VocoderConfig} and what a vocoding application needs from it, all as singletons: the
 * {@link VocoderModel} loaded from the config's source (the shipped model by default, from sdk-audio's jar), its {@link MelRecipe} and {@link MelSpectrogram} (the front
 * end the model was trained with), the {@link WaveGradVocoder} with the config's η and frames per call, a
 * {@link GriffinLim} baseline
 * and a {@link MelConsistencyRefiner} on the same recipe.
 *
 * <p>The model's parameters live in the {@link NDManager} passed in: the caller owns it and closes it when the
 * injector's objects are no longer used (Guice has no scope end). Nothing is loaded until a binding is requested; a
 * folder that cannot be read fails that request with the path in the message. Override a binding with
 * {@code Modules.override(new VocoderModule(config, manager)).with(...)}. None of these types needs Guice: each
 * binding is one constructor or factory call on the same arguments.
 */
public final class VocoderModule extends AbstractModule {

    private final VocoderConfig config;
    private final NDManager manager;

    public VocoderModule(VocoderConfig config, NDManager manager) {
        this.config = Objects.requireNonNull(config, "config");
        this.manager = Objects.requireNonNull(manager, "manager");
    }

    @Override
    protected void configure() {
        bind(VocoderConfig.class).toInstance(config);
    }

    @Provides
    @Singleton
    VocoderModel model(VocoderConfig c) {
        try {
            return VocoderModel.load(c.model(), manager);
        } catch (IOException e) {
            throw new UncheckedIOException("model: could not load a vocoder from " + c.model() + " (" + e.getMessage()
                    + ")", e);
        }
    }

    @Provides
    @Singleton
    MelRecipe recipe(VocoderModel model) {
        return model.recipe();
    }

    @Provides
    @Singleton
    MelSpectrogram melSpectrogram(MelRecipe recipe) {
        return new MelSpectrogram(recipe);
    }

    @Provides
    @Singleton
    WaveGradVocoder vocoder(VocoderModel model, VocoderConfig c) {
        return new WaveGradVocoder(model.model(), manager, c.eta(), c.framesPerCall());
    }

    @Provides
    @Singleton
    GriffinLim griffinLim(MelRecipe recipe, VocoderConfig c) {
        return new GriffinLim(recipe, c.griffinLimIterations(), GriffinLim.DEFAULT_MOMENTUM);
    }

    @Provides
    @Singleton
    MelConsistencyRefiner refiner(MelRecipe recipe, VocoderConfig c) {
        return new MelConsistencyRefiner(recipe, c.refineRounds(), c.refineMomentum());
    }
}
