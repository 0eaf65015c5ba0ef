package org.diffusion4j.text.inject;

import ai.djl.ndarray.NDManager;
import com.google.inject.AbstractModule;
import com.google.inject.Provider;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.Objects;
import java.util.UUID;
import org.diffusion4j.text.control.FieldClassifier;
import org.diffusion4j.text.data.Tokenizer;
import org.diffusion4j.text.data.Vocabulary;
import org.diffusion4j.text.decode.DiffusionLmDecoder;
import org.diffusion4j.text.decode.GuidedDecoder;
import org.diffusion4j.text.model.DiffusionLmModel;

/**
 * Binds a {@link TextConfig} and what a text application needs from it, all as singletons: the
 * {@link DiffusionLmModel}, its {@link Vocabulary} and {@link Tokenizer} (the one it was trained with), the
 * {@link DiffusionLmDecoder} and the {@link GuidedDecoder} on it, and the configured field classifiers in a
 * {@code Map<String, FieldClassifier>} keyed by field. Inject {@code Map<String, Provider<FieldClassifier>>} to load
 * only the classifier a request needs.
 *
 * <p>The parameters live in the {@link NDManager} passed in, and the tokenizer (a Hugging Face one holds native
 * memory) is attached to it: the caller owns the manager and closes it when the injector's objects are no longer used
 * (Guice has no scope end). Nothing is loaded until a binding is requested; a folder that cannot be read fails that
 * request with the path in the message. Override a binding with
 * {@code Modules.override(new TextModule(config, manager)).with(...)}. None of these types needs Guice: each binding
 * is one constructor or factory call on the same arguments.
 */
public final class TextModule extends AbstractModule {

    private final TextConfig config;
    private final NDManager manager;

    public TextModule(TextConfig config, NDManager manager) {
        this.config = Objects.requireNonNull(config, "config");
        this.manager = Objects.requireNonNull(manager, "manager");
    }

    @Override
    protected void configure() {
        bind(TextConfig.class).toInstance(config);
        MapBinder<String, FieldClassifier> classifiers =
                MapBinder.newMapBinder(binder(), String.class, FieldClassifier.class);
        for (String field : config.classifierFields()) {
            classifiers.addBinding(field).toProvider(new ClassifierLoader(config, field, manager)).in(Singleton.class);
        }
    }

    @Provides
    @Singleton
    DiffusionLmModel model(TextConfig c) {
        try {
            return c.modelDir() == null ? DiffusionLmModel.loadShipped(manager) : DiffusionLmModel.load(c.modelDir(), manager);
        } catch (IOException e) {
            String why = e instanceof NoSuchFileException ? "missing " + e.getMessage() : e.getMessage();
            throw new UncheckedIOException("modelDir: could not load a Diffusion-LM from " + where(c) + " (" + why + ")", e);
        }
    }

    @Provides
    @Singleton
    Vocabulary vocabulary(DiffusionLmModel model) {
        return model.vocabulary();
    }

    @Provides
    @Singleton
    Tokenizer tokenizer(DiffusionLmModel model, TextConfig c) {
        Tokenizer tokenizer;
        try {
            tokenizer = model.tokenizer();
        } catch (IOException e) {
            throw new UncheckedIOException("modelDir: could not read the tokenizer of the model in " + where(c) + " ("
                    + e.getMessage() + ")", e);
        }
        manager.attachInternal("tokenizer-" + UUID.randomUUID(), tokenizer);
        return tokenizer;
    }

    @Provides
    @Singleton
    DiffusionLmDecoder decoder(DiffusionLmModel model) {
        return new DiffusionLmDecoder(model);
    }

    @Provides
    @Singleton
    GuidedDecoder guidedDecoder(DiffusionLmModel model) {
        return new GuidedDecoder(model);
    }

    private static String where(TextConfig c) {
        return c.modelDir() == null ? "the shipped model (classpath:" + DiffusionLmModel.SHIPPED + ")"
                : c.modelDir().toAbsolutePath().toString();
    }

    /** Reads {@code classifier-FIELD} beside the model when the classifier is first requested. */
    private record ClassifierLoader(TextConfig config, String field, NDManager manager) implements Provider<FieldClassifier> {

        @Override
        public FieldClassifier get() {
            String folder = TextConfig.CLASSIFIER_PREFIX + field;
            try {
                FieldClassifier c = config.modelDir() == null
                        ? FieldClassifier.loadResource(DiffusionLmModel.SHIPPED + folder + "/", manager)
                        : FieldClassifier.load(config.modelDir().resolve(folder), manager);
                if (!c.field().equals(field)) {
                    throw new IllegalStateException("classifierFields: " + folder + " in " + where(config)
                            + " holds a classifier of field '" + c.field() + "', expected '" + field + "'");
                }
                return c;
            } catch (IOException e) {
                String why = e instanceof NoSuchFileException ? "missing " + e.getMessage() : e.getMessage();
                throw new UncheckedIOException("classifierFields: could not load the '" + field + "' classifier from "
                        + folder + " in " + where(config) + " (" + why + ")", e);
            }
        }
    }
}
