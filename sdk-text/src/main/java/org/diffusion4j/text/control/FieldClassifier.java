package org.diffusion4j.text.control;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import org.diffusion4j.core.io.AtomicFiles;

/**
 * A trained {@link FieldClassifierBlock} with what it classifies: the MR field, its values (class order), the
 * vocabulary fingerprint of the Diffusion-LM whose embedding space it reads, and its sizes. Stored as a directory
 * with {@code classifier.properties} and {@code weights.params}, each written atomically.
 */
public record FieldClassifier(String field, List<String> values, String vocabSha256, Sizes sizes,
        FieldClassifierBlock block) {

    public static final String CONFIG_FILE = "classifier.properties";
    public static final String WEIGHTS_FILE = "weights.params";

    /** The classifier's architecture. */
    public record Sizes(int embeddingDim, int sequenceLength, int hidden, int heads, int layers, int numTimesteps,
            float timeScale) {
    }

    public FieldClassifier {
        Objects.requireNonNull(field, "field");
        values = List.copyOf(values);
        Objects.requireNonNull(vocabSha256, "vocabSha256");
        Objects.requireNonNull(sizes, "sizes");
        Objects.requireNonNull(block, "block");
    }

    /** A new, initialised block of these sizes in {@code manager}. */
    public static FieldClassifierBlock newBlock(Sizes s, int numClasses, NDManager manager,
            ai.djl.training.initializer.Initializer weights) {
        FieldClassifierBlock b = new FieldClassifierBlock(s.embeddingDim(), s.sequenceLength(), s.hidden(), s.heads(),
                s.layers(), numClasses, s.numTimesteps(), s.timeScale());
        b.setInitializer(weights, ai.djl.nn.Parameter.Type.WEIGHT);
        b.initialize(manager, DataType.FLOAT32, new Shape(1, s.sequenceLength(), s.embeddingDim()), new Shape(1));
        return b;
    }

    /** The class index of {@code value}; unknown values fail with the known ones listed. */
    public int classIndex(String value) {
        int i = values.indexOf(value);
        if (i < 0) {
            throw new IllegalArgumentException("value: unknown value '" + value + "' for field '" + field
                    + "'; known values (from the training split): " + values);
        }
        return i;
    }

    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        Properties p = new Properties();
        p.setProperty("field", field);
        p.setProperty("values", String.join("|", values));
        p.setProperty("vocabSha256", vocabSha256);
        p.setProperty("embeddingDim", Integer.toString(sizes.embeddingDim()));
        p.setProperty("sequenceLength", Integer.toString(sizes.sequenceLength()));
        p.setProperty("hidden", Integer.toString(sizes.hidden()));
        p.setProperty("heads", Integer.toString(sizes.heads()));
        p.setProperty("layers", Integer.toString(sizes.layers()));
        p.setProperty("numTimesteps", Integer.toString(sizes.numTimesteps()));
        p.setProperty("timeScale", Float.toString(sizes.timeScale()));
        StringWriter w = new StringWriter();
        p.store(w, "Diffusion-LM field classifier (diffusion4j sdk-text)");
        AtomicFiles.write(dir.resolve(CONFIG_FILE), out -> out.write(w.toString().getBytes(StandardCharsets.UTF_8)));
        AtomicFiles.write(dir.resolve(WEIGHTS_FILE), out -> block.saveParameters(new DataOutputStream(out)));
    }

    public static FieldClassifier load(Path dir, NDManager manager) throws IOException {
        try (InputStream c = Files.newInputStream(dir.resolve(CONFIG_FILE));
             InputStream w = Files.newInputStream(dir.resolve(WEIGHTS_FILE))) {
            return read(c, w, dir.toString(), manager);
        }
    }

    /** Loads from the classpath folder {@code resourceDir} (ending in '/'). */
    public static FieldClassifier loadResource(String resourceDir, NDManager manager) throws IOException {
        InputStream c = FieldClassifier.class.getResourceAsStream(resourceDir + CONFIG_FILE);
        InputStream w = FieldClassifier.class.getResourceAsStream(resourceDir + WEIGHTS_FILE);
        if (c == null || w == null) {
            throw new IOException("classpath:" + resourceDir + ": no field classifier there");
        }
        try (c; w) {
            return read(c, w, "classpath:" + resourceDir, manager);
        }
    }

    private static FieldClassifier read(InputStream configIn, InputStream weightsIn, String source, NDManager manager)
            throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(new String(configIn.readAllBytes(), StandardCharsets.UTF_8)));
        try {
            String field = require(p, "field", source);
            List<String> values = Arrays.asList(require(p, "values", source).split("\\|"));
            Sizes s = new Sizes(Integer.parseInt(require(p, "embeddingDim", source)),
                    Integer.parseInt(require(p, "sequenceLength", source)), Integer.parseInt(require(p, "hidden", source)),
                    Integer.parseInt(require(p, "heads", source)), Integer.parseInt(require(p, "layers", source)),
                    Integer.parseInt(require(p, "numTimesteps", source)), Float.parseFloat(require(p, "timeScale", source)));
            FieldClassifierBlock block = newBlock(s, values.size(), manager, ai.djl.training.initializer.Initializer.ZEROS);
            block.loadParameters(manager, new DataInputStream(new BufferedInputStream(weightsIn)));
            return new FieldClassifier(field, values, require(p, "vocabSha256", source), s, block);
        } catch (NumberFormatException | MalformedModelException e) {
            throw new IOException(source + ": malformed classifier: " + e.getMessage(), e);
        }
    }

    private static String require(Properties p, String key, String source) throws IOException {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IOException(source + "/" + CONFIG_FILE + ": missing key '" + key + "'");
        }
        return v;
    }
}
