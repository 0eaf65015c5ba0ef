package org.diffusion4j.text.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Provider;
import com.google.inject.ProvisionException;
import com.google.inject.TypeLiteral;
import com.google.inject.util.Modules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.diffusion4j.text.control.FieldClassifier;
import org.diffusion4j.text.data.Tokenizer;
import org.diffusion4j.text.data.Vocabulary;
import org.diffusion4j.text.decode.DecodeRequest;
import org.diffusion4j.text.decode.DiffusionLmDecoder;
import org.diffusion4j.text.decode.GuidedDecoder;
import org.diffusion4j.text.decode.SamplerKind;
import org.diffusion4j.text.decode.SemanticGuidance;
import org.diffusion4j.text.model.DiffusionLmModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextModuleTest {

    private static final Key<Map<String, FieldClassifier>> CLASSIFIERS = Key.get(new TypeLiteral<>() { });
    private static final Key<Map<String, Provider<FieldClassifier>>> LAZY_CLASSIFIERS = Key.get(new TypeLiteral<>() { });
    private static final DecodeRequest REQUEST = DecodeRequest.of(3, 8, SamplerKind.DDIM, 11);

    @Test
    void bindsTheShippedModelAndItsDecodersAsSingletonsThatDecodeWhatPlainConstructorsDecode() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            Injector injector = Guice.createInjector(new TextModule(TextConfig.shipped(), manager));
            DiffusionLmModel model = injector.getInstance(DiffusionLmModel.class);
            for (Class<?> type : new Class<?>[] {DiffusionLmModel.class, Vocabulary.class, Tokenizer.class,
                    DiffusionLmDecoder.class, GuidedDecoder.class}) {
                assertSame(injector.getInstance(type), injector.getInstance(type), type.getSimpleName());
            }
            assertSame(model.vocabulary(), injector.getInstance(Vocabulary.class));
            // the shipped model splits on whitespace (no tokenizer.json in its resources)
            assertEquals(List.of("The", "Eagle", "is", "cheap", "."),
                    injector.getInstance(Tokenizer.class).tokenize("The Eagle is cheap ."));

            List<List<String>> bound = injector.getInstance(DiffusionLmDecoder.class).decode(REQUEST, manager);
            List<List<String>> plain = new DiffusionLmDecoder(DiffusionLmModel.loadShipped(manager)).decode(REQUEST, manager);
            assertEquals(plain, bound);
            assertEquals(3, bound.size());
        }
    }

    @Test
    void bindsTheShippedClassifiersByFieldAndLoadsThemOnlyWhenAsked() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            Injector injector = Guice.createInjector(new TextModule(TextConfig.shipped(), manager));
            Map<String, Provider<FieldClassifier>> lazy = injector.getInstance(LAZY_CLASSIFIERS);
            assertEquals(Set.of("area", "food"), lazy.keySet());
            int before = manager.getManagedArrays().size();
            FieldClassifier food = lazy.get("food").get();
            assertTrue(manager.getManagedArrays().size() > before, "the food classifier's parameters were not loaded");
            assertSame(food, injector.getInstance(CLASSIFIERS).get("food"));
            assertEquals("food", food.field());
            assertEquals("area", injector.getInstance(CLASSIFIERS).get("area").field());

            FieldClassifier plainFood = FieldClassifier.loadResource(DiffusionLmModel.SHIPPED + "classifier-food/", manager);
            assertEquals(plainFood.values(), food.values());
            assertEquals(plainFood.vocabSha256(), food.vocabSha256());
            // the bound classifier steers the bound decoder exactly as the plain one steers a plain decoder
            String value = food.values().get(0);
            SemanticGuidance guidance = new SemanticGuidance(food, value, 0.01, 0.1, 1, 0);
            List<List<String>> bound = injector.getInstance(GuidedDecoder.class).decode(REQUEST, guidance, manager);
            List<List<String>> plain = new GuidedDecoder(DiffusionLmModel.loadShipped(manager))
                    .decode(REQUEST, new SemanticGuidance(plainFood, value, 0.01, 0.1, 1, 0), manager);
            assertEquals(plain, bound);
        }
    }

    @Test
    void aModelFolderOffersTheClassifiersSavedBesideIt(@TempDir Path dir) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            DiffusionLmModel.loadShipped(manager).save(dir);
            FieldClassifier.loadResource(DiffusionLmModel.SHIPPED + "classifier-area/", manager)
                    .save(dir.resolve("classifier-area"));
            Files.createDirectories(dir.resolve("not-a-classifier"));
            TextConfig config = TextConfig.of(dir);
            assertEquals(List.of("area"), config.classifierFields());

            Injector injector = Guice.createInjector(new TextModule(config, manager));
            assertEquals(Set.of("area"), injector.getInstance(CLASSIFIERS).keySet());
            Injector shipped = Guice.createInjector(new TextModule(TextConfig.shipped(), manager));
            assertEquals(shipped.getInstance(DiffusionLmDecoder.class).decode(REQUEST, manager),
                    injector.getInstance(DiffusionLmDecoder.class).decode(REQUEST, manager));
        }
    }

    @Test
    void aMissingFolderOrClassifierFailsWhenRequestedAndNamesThePath() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Path missing = Path.of("target", "no-such-text-model");
            TextConfig config = TextConfig.of(missing);
            assertEquals(List.of(), config.classifierFields());
            Injector injector = Guice.createInjector(new TextModule(config, manager));
            ProvisionException e = assertThrows(ProvisionException.class, () -> injector.getInstance(DiffusionLmDecoder.class));
            assertTrue(e.getMessage().contains("modelDir") && e.getMessage().contains("no-such-text-model"), e.getMessage());

            Injector noSuchField = Guice.createInjector(
                    new TextModule(TextConfig.shipped().withClassifierFields("price"), manager));
            e = assertThrows(ProvisionException.class, () -> noSuchField.getInstance(LAZY_CLASSIFIERS).get("price").get());
            assertTrue(e.getMessage().contains("classifierFields") && e.getMessage().contains("classifier-price"),
                    e.getMessage());
        }
    }

    @Test
    void aBindingCanBeOverridden() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Tokenizer lower = text -> List.of(text.toLowerCase(java.util.Locale.ROOT).split(" "));
            Injector injector = Guice.createInjector(Modules.override(new TextModule(TextConfig.shipped(), manager))
                    .with(m -> m.bind(Tokenizer.class).toInstance(lower)));
            assertSame(lower, injector.getInstance(Tokenizer.class));
        }
    }

    @Test
    void badFieldListsAreRefusedWithTheArgumentAndTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TextConfig.shipped().withClassifierFields("food", "food"));
        assertTrue(e.getMessage().contains("classifierFields") && e.getMessage().contains("'food' twice"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TextConfig.shipped().withClassifierFields("../food"));
        assertTrue(e.getMessage().contains("classifierFields") && e.getMessage().contains("../food"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TextConfig.shipped().withClassifierFields(" "));
        assertTrue(e.getMessage().contains("classifierFields"), e.getMessage());
        assertThrows(NullPointerException.class, () -> new TextModule(null, null));
        assertThrows(NullPointerException.class, () -> TextConfig.of(null));
    }
}
