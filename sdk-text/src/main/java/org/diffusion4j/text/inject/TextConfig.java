package org.diffusion4j.text.inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * What {@link TextModule} builds: which trained Diffusion-LM and which of its field classifiers (for
 * classifier-guided decoding) to offer.
 *
 * @param modelDir         a trained model's folder ({@code model.properties}, {@code vocab.txt},
 *                         {@code weights.params}, optionally {@code tokenizer.json}), or null for the E2E model shipped
 *                         in sdk-text's resources
 * @param classifierFields the fields whose classifiers are bound, each read from {@code classifier-FIELD} beside the
 *                         model (in the folder or in the resources) when first requested
 */
public record TextConfig(Path modelDir, List<String> classifierFields) {

    /** The folder prefix of a field classifier beside its model. */
    public static final String CLASSIFIER_PREFIX = "classifier-";

    /** The fields of the classifiers shipped with the E2E model. */
    public static final List<String> SHIPPED_FIELDS = List.of("area", "food");

    public TextConfig {
        classifierFields = List.copyOf(Objects.requireNonNull(classifierFields, "classifierFields"));
        var seen = new HashSet<String>();
        for (String f : classifierFields) {
            if (f.isBlank() || !f.equals(f.strip()) || f.contains("/") || f.contains("\\")) {
                throw new IllegalArgumentException("classifierFields: expected field names without blanks or path "
                        + "separators, got '" + f + "' in " + classifierFields);
            }
            if (!seen.add(f)) {
                throw new IllegalArgumentException("classifierFields: expected each field once, got '" + f + "' twice in "
                        + classifierFields);
            }
        }
    }

    /** The shipped E2E model and both its classifiers. */
    public static TextConfig shipped() {
        return new TextConfig(null, SHIPPED_FIELDS);
    }

    /**
     * The model in {@code modelDir} with every classifier saved beside it ({@code classifier-FIELD} folders, in name
     * order); none when the folder does not exist yet (loading the model then fails with its path).
     */
    public static TextConfig of(Path modelDir) {
        Objects.requireNonNull(modelDir, "modelDir");
        if (!Files.isDirectory(modelDir)) {
            return new TextConfig(modelDir, List.of());
        }
        try (Stream<Path> entries = Files.list(modelDir)) {
            List<String> fields = entries.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(CLASSIFIER_PREFIX) && n.length() > CLASSIFIER_PREFIX.length())
                    .map(n -> n.substring(CLASSIFIER_PREFIX.length())).sorted().toList();
            return new TextConfig(modelDir, fields);
        } catch (IOException e) {
            throw new UncheckedIOException("modelDir: could not list " + modelDir.toAbsolutePath() + " (" + e.getMessage()
                    + ")", e);
        }
    }

    public TextConfig withClassifierFields(String... fields) {
        return new TextConfig(modelDir, List.of(fields));
    }
}
