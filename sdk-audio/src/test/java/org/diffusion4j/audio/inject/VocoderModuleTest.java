package org.diffusion4j.audio.inject;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import com.google.inject.util.Modules;
import java.nio.file.Path;
import java.util.Arrays;
import org.diffusion4j.audio.io.WavReader;
import org.diffusion4j.audio.mel.MelRecipe;
import org.diffusion4j.audio.mel.MelSpectrogram;
import org.diffusion4j.audio.metrics.GriffinLim;
import org.diffusion4j.audio.refine.MelConsistencyRefiner;
import org.diffusion4j.audio.vocode.VocoderModel;
import org.diffusion4j.audio.vocode.VocoderSource;
import org.diffusion4j.audio.vocode.WaveGradVocoder;
import org.junit.jupiter.api.Test;

class VocoderModuleTest {

    static final Path SHIPPED = Path.of("models", "wavegrad-small");

    @Test
    void bindsTheShippedModelAndEverythingOnItsRecipeAsSingletons() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            // the default config loads the shipped model from sdk-audio's jar (here: its classes folder)
            VocoderConfig config = VocoderConfig.shipped().withEta(0.5).withRefineRounds(12).withGriffinLimIterations(3)
                    .withRefineMomentum(0.5).withFramesPerCall(4);
            Injector injector = Guice.createInjector(new VocoderModule(config, manager));
            VocoderModel model = injector.getInstance(VocoderModel.class);
            assertSame(model, injector.getInstance(VocoderModel.class));
            assertEquals(VocoderSource.shipped(VocoderSource.SMALL), model.source());
            assertSame(model.recipe(), injector.getInstance(MelRecipe.class));
            // the shipped model was trained on lmnt's recipe at 22,050 Hz (its MODEL.md)
            MelRecipe.wavegrad(22050).requireSameAs(injector.getInstance(MelRecipe.class), "bound recipe");
            injector.getInstance(MelSpectrogram.class).recipe().requireSameAs(model.recipe(), "bound mel front end");

            WaveGradVocoder vocoder = injector.getInstance(WaveGradVocoder.class);
            assertSame(vocoder, injector.getInstance(WaveGradVocoder.class));
            assertSame(model.model(), vocoder.model());
            assertEquals(0.5, vocoder.eta());
            assertEquals(4, vocoder.framesPerCall());
            assertEquals(12, injector.getInstance(MelConsistencyRefiner.class).rounds());
            assertEquals(0.5, injector.getInstance(MelConsistencyRefiner.class).momentum());
            injector.getInstance(MelConsistencyRefiner.class).recipe().requireSameAs(model.recipe(), "bound refiner");

            // the bound objects are the plain-constructor ones: same audio for the same seed
            float[] clip = Arrays.copyOf(WavReader.read(Path.of("data", "espeak-30", "hs036.wav")).samples(), 3_000);
            float[][] mel = injector.getInstance(MelSpectrogram.class).compute(clip);
            float[] bound = vocoder.vocode(mel, model.schedule(6), 4);
            float[] plain = new WaveGradVocoder(model.model(), manager, 0.5, 4).vocode(mel, model.schedule(6), 4);
            assertArrayEquals(plain, bound);
            assertArrayEquals(new GriffinLim(model.recipe(), 3, GriffinLim.DEFAULT_MOMENTUM).reconstruct(mel, 1),
                    injector.getInstance(GriffinLim.class).reconstruct(mel, 1));
        }
    }

    @Test
    void aBindingCanBeOverridden() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MelConsistencyRefiner seven = MelConsistencyRefiner.wavegrad(22050, 7);
            Injector injector = Guice.createInjector(Modules.override(new VocoderModule(VocoderConfig.defaults(SHIPPED), manager))
                    .with(m -> m.bind(MelConsistencyRefiner.class).toInstance(seven)));
            assertSame(seven, injector.getInstance(MelConsistencyRefiner.class));
            assertEquals(100, VocoderConfig.defaults(SHIPPED).refineRounds());
        }
    }

    @Test
    void aMissingFolderFailsWhenTheModelIsRequestedAndNamesThePath() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Path missing = Path.of("models", "no-such-vocoder");
            // creating the injector loads nothing
            Injector injector = Guice.createInjector(new VocoderModule(VocoderConfig.defaults(missing), manager));
            ProvisionException e = assertThrows(ProvisionException.class, () -> injector.getInstance(WaveGradVocoder.class));
            assertTrue(e.getMessage().contains("model: could not load a vocoder from") && e.getMessage().contains("no-such-vocoder")
                    && e.getMessage().contains("found nothing there"), e.getMessage());
        }
    }

    @Test
    void badSettingsAreRefusedWithTheArgumentAndTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VocoderConfig.defaults(SHIPPED).withEta(1.5));
        assertTrue(e.getMessage().contains("eta") && e.getMessage().contains("1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> VocoderConfig.defaults(SHIPPED).withRefineRounds(0));
        assertTrue(e.getMessage().contains("refineRounds") && e.getMessage().contains("0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> VocoderConfig.defaults(SHIPPED).withGriffinLimIterations(-2));
        assertTrue(e.getMessage().contains("griffinLimIterations") && e.getMessage().contains("-2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> VocoderConfig.defaults(SHIPPED).withRefineMomentum(1.0));
        assertTrue(e.getMessage().contains("refineMomentum") && e.getMessage().contains("1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> VocoderConfig.defaults(SHIPPED).withFramesPerCall(-1));
        assertEquals("framesPerCall: expected >= 1, or 0 for the model's default, got -1", e.getMessage());
        assertThrows(NullPointerException.class, () -> new VocoderModule(null, null));
    }
}
