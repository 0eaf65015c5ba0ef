package org.diffusion4j.samples.text;

import ai.djl.ndarray.NDManager;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Provider;
import com.google.inject.TypeLiteral;
import java.nio.file.Path;
import java.util.Map;
import org.diffusion4j.text.control.FieldClassifier;
import org.diffusion4j.text.inject.TextConfig;
import org.diffusion4j.text.inject.TextModule;

/** Loads the shipped model and classifiers, or a user's from a directory, through the SDK's {@link TextModule}. */
final class Models {

    private static final Key<Map<String, Provider<FieldClassifier>>> CLASSIFIERS = Key.get(new TypeLiteral<>() { });

    private Models() {
    }

    /** The wiring of the model in {@code dir} (with the classifiers saved beside it), or of the shipped one. */
    static Injector injector(Path dir, NDManager manager) {
        return Guice.createInjector(new TextModule(dir == null ? TextConfig.shipped() : TextConfig.of(dir), manager));
    }

    /** The classifier of {@code field} beside the injector's model, loaded on first use. */
    static FieldClassifier classifier(Injector injector, String field) {
        Provider<FieldClassifier> classifier = injector.getInstance(CLASSIFIERS).get(field);
        if (classifier == null) {
            TextConfig c = injector.getInstance(TextConfig.class);
            throw new IllegalArgumentException("field: expected one of the model's classifiers " + c.classifierFields()
                    + ", got '" + field + "' (no " + TextConfig.CLASSIFIER_PREFIX + field + " folder in "
                    + (c.modelDir() == null ? "the shipped model" : c.modelDir().toAbsolutePath()) + ")");
        }
        return classifier.get();
    }
}
