package org.diffusion4j.text.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.ParameterList;
import ai.djl.MalformedModelException;
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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.diffusion4j.text.data.HuggingFaceJsonTokenizer;
import org.diffusion4j.text.data.Tokenizer;
import org.diffusion4j.text.data.Vocabulary;
import org.diffusion4j.text.data.WhitespaceTokenizer;
import org.diffusion4j.core.io.AtomicFiles;
import org.diffusion4j.text.io.Sha256;

/**
 * A trained Diffusion-LM ready for decoding: the configuration, the vocabulary it was trained with and the block
 * holding its (EMA) weights. On disk a model is a directory of three files, each written atomically:
 * {@code model.properties} (the configuration, the vocabulary's SHA-256 and free-form provenance lines),
 * {@code vocab.txt} ({@link Vocabulary#save}) and {@code weights.params} (DJL's positional parameter file of the
 * block). Loading checks the vocabulary fingerprint against the one recorded with the weights and the
 * parameter shapes against the configuration, so a mismatched vocabulary or weights file is an error.
 * A model trained on text split by a Hugging Face tokenizer also holds that {@code tokenizer.json}, its SHA-256
 * recorded in the properties and checked on load; {@link #tokenizer()} gives it back (else whitespace splitting).
 */
public final class DiffusionLmModel {

    public static final String CONFIG_FILE = "model.properties";
    public static final String VOCAB_FILE = "vocab.txt";
    public static final String WEIGHTS_FILE = "weights.params";
    public static final String TOKENIZER_FILE = "tokenizer.json";
    /** Classpath folder of the model shipped with the module. */
    public static final String SHIPPED = "/org/diffusion4j/text/model/e2e/";

    private final DiffusionLmConfig config;
    private final Vocabulary vocabulary;
    private final DiffusionLmBlock block;
    private final Map<String, String> provenance;
    /** The tokenizer.json the vocabulary was built with, or null for whitespace splitting. */
    private final byte[] tokenizerJson;

    private DiffusionLmModel(DiffusionLmConfig config, Vocabulary vocabulary, DiffusionLmBlock block,
            Map<String, String> provenance, byte[] tokenizerJson) {
        this.config = config;
        this.vocabulary = vocabulary;
        this.block = block;
        this.provenance = Map.copyOf(provenance);
        this.tokenizerJson = tokenizerJson;
    }

    /**
     * Wraps an initialised block.
     *
     * @param provenance free-form facts stored with the model (seed, steps, command), may be empty
     */
    public static DiffusionLmModel of(DiffusionLmBlock block, Vocabulary vocabulary, Map<String, String> provenance) {
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(vocabulary, "vocabulary");
        if (block.config().vocabSize() != vocabulary.size()) {
            throw new IllegalArgumentException("vocabulary: expected " + block.config().vocabSize()
                    + " tokens (the model's vocabSize), got " + vocabulary.size());
        }
        return new DiffusionLmModel(block.config(), vocabulary, block, provenance == null ? Map.of() : provenance, null);
    }

    /** This model with the Hugging Face tokenizer its vocabulary was built with (saved beside it). */
    public DiffusionLmModel withTokenizer(HuggingFaceJsonTokenizer tokenizer) {
        Objects.requireNonNull(tokenizer, "tokenizer");
        return new DiffusionLmModel(config, vocabulary, block, provenance, tokenizer.json());
    }

    /**
     * A new tokenizer as the model was trained with: the stored Hugging Face tokenizer, or whitespace splitting.
     * The caller closes it (a Hugging Face tokenizer holds native memory).
     */
    public Tokenizer tokenizer() throws IOException {
        return tokenizerJson == null ? new WhitespaceTokenizer()
                : HuggingFaceJsonTokenizer.fromBytes(tokenizerJson, TOKENIZER_FILE);
    }

    /** Whether the model splits text with a stored Hugging Face tokenizer. */
    public boolean hasHuggingFaceTokenizer() {
        return tokenizerJson != null;
    }

    public DiffusionLmConfig config() {
        return config;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public DiffusionLmBlock block() {
        return block;
    }

    /** Facts recorded with the model (seed, steps, ...). */
    public Map<String, String> provenance() {
        return provenance;
    }

    /** Writes the three files (four with a tokenizer) into {@code dir} (created if needed), each atomically. */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        Properties p = configProperties(config);
        p.setProperty("vocabSha256", vocabulary.fingerprint());
        if (tokenizerJson != null) {
            p.setProperty("tokenizerSha256", Sha256.hex(tokenizerJson));
            AtomicFiles.write(dir.resolve(TOKENIZER_FILE), out -> out.write(tokenizerJson));
        } else {
            // a directory reused for a whitespace model must not keep a stale tokenizer beside it
            Files.deleteIfExists(dir.resolve(TOKENIZER_FILE));
        }
        for (Map.Entry<String, String> e : provenance.entrySet()) {
            p.setProperty("provenance." + e.getKey(), e.getValue());
        }
        StringWriter text = new StringWriter();
        p.store(text, "Diffusion-LM (diffusion4j sdk-text)");
        AtomicFiles.write(dir.resolve(CONFIG_FILE), out -> out.write(text.toString().getBytes(StandardCharsets.UTF_8)));
        vocabulary.save(dir.resolve(VOCAB_FILE));
        AtomicFiles.write(dir.resolve(WEIGHTS_FILE), out -> block.saveParameters(new DataOutputStream(out)));
    }

    /** Loads a model directory written by {@link #save}; the block's arrays live in {@code manager}. */
    public static DiffusionLmModel load(Path dir, NDManager manager) throws IOException {
        Objects.requireNonNull(dir, "dir");
        try (InputStream c = Files.newInputStream(dir.resolve(CONFIG_FILE));
             InputStream v = Files.newInputStream(dir.resolve(VOCAB_FILE));
             InputStream w = Files.newInputStream(dir.resolve(WEIGHTS_FILE))) {
            return read(c, v, w, dir.toString(), manager, dir.resolve(TOKENIZER_FILE));
        }
    }

    /** The model shipped in the module's resources (trained on E2E; see MODEL.md beside it). */
    public static DiffusionLmModel loadShipped(NDManager manager) throws IOException {
        try (InputStream c = resource(CONFIG_FILE); InputStream v = resource(VOCAB_FILE); InputStream w = resource(WEIGHTS_FILE)) {
            return read(c, v, w, "classpath:" + SHIPPED, manager, null);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = DiffusionLmModel.class.getResourceAsStream(SHIPPED + name);
        if (in == null) {
            throw new IOException("classpath:" + SHIPPED + name + ": the shipped model file is missing");
        }
        return in;
    }

    private static DiffusionLmModel read(InputStream configIn, InputStream vocabIn, InputStream weightsIn, String source,
            NDManager manager, Path tokenizerFile) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(new String(configIn.readAllBytes(), StandardCharsets.UTF_8)));
        DiffusionLmConfig config = parseConfig(p, source);
        Vocabulary vocab = Vocabulary.read(vocabIn, source + "/" + VOCAB_FILE);
        String expected = p.getProperty("vocabSha256");
        if (expected == null) {
            throw new IOException(source + "/" + CONFIG_FILE + ": missing vocabSha256");
        }
        try {
            vocab.requireFingerprint(expected);
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
        if (vocab.size() != config.vocabSize()) {
            throw new IOException(source + ": vocabulary has " + vocab.size() + " tokens, the model expects " + config.vocabSize());
        }
        byte[] tokenizerJson = null;
        String tokenizerSha = p.getProperty("tokenizerSha256");
        if (tokenizerSha != null) {
            if (tokenizerFile == null || !Files.isRegularFile(tokenizerFile)) {
                throw new IOException(source + ": the model was trained with a Hugging Face tokenizer, but its "
                        + TOKENIZER_FILE + " is missing");
            }
            tokenizerJson = Files.readAllBytes(tokenizerFile);
            String actual = Sha256.hex(tokenizerJson);
            if (!actual.equals(tokenizerSha.strip())) {
                throw new IOException(source + "/" + TOKENIZER_FILE + ": expected SHA-256 " + tokenizerSha.strip()
                        + " (the tokenizer the model was trained with), got " + actual);
            }
        }
        DiffusionLmBlock block = DiffusionLmBlock.create(config, 0);
        block.initialize(manager, DataType.FLOAT32, block.inputShapes(1));
        try {
            block.loadParameters(manager, new DataInputStream(new BufferedInputStream(weightsIn)));
        } catch (MalformedModelException | RuntimeException e) {
            throw new IOException(source + "/" + WEIGHTS_FILE + ": does not match the configuration: " + e.getMessage(), e);
        }
        checkShapes(block, source);
        Map<String, String> provenance = new LinkedHashMap<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("provenance.")) {
                provenance.put(key.substring("provenance.".length()), p.getProperty(key));
            }
        }
        return new DiffusionLmModel(config, vocab, block, provenance, tokenizerJson);
    }

    private static void checkShapes(Block block, String source) throws IOException {
        DiffusionLmConfig c = ((DiffusionLmBlock) block).config();
        ParameterList params = block.getParameters();
        long held = params.values().stream().mapToLong(x -> x.getArray().size()).sum();
        if (held != c.parameterCount()) {
            throw new IOException(source + "/" + WEIGHTS_FILE + ": holds " + held + " weights, the configuration needs "
                    + c.parameterCount());
        }
    }

    /** The configuration as properties (one key per record component). */
    public static Properties configProperties(DiffusionLmConfig c) {
        Properties p = new Properties();
        p.setProperty("vocabSize", Integer.toString(c.vocabSize()));
        p.setProperty("embeddingDim", Integer.toString(c.embeddingDim()));
        p.setProperty("hiddenSize", Integer.toString(c.hiddenSize()));
        p.setProperty("layers", Integer.toString(c.layers()));
        p.setProperty("heads", Integer.toString(c.heads()));
        p.setProperty("ffnSize", Integer.toString(c.ffnSize()));
        p.setProperty("sequenceLength", Integer.toString(c.sequenceLength()));
        p.setProperty("maxPositions", Integer.toString(c.maxPositions()));
        p.setProperty("timeEmbeddingDim", Integer.toString(c.timeEmbeddingDim()));
        p.setProperty("dropout", Float.toString(c.dropout()));
        p.setProperty("numTimesteps", Integer.toString(c.numTimesteps()));
        p.setProperty("timeScale", Float.toString(c.timeScale()));
        return p;
    }

    /** Parses {@link #configProperties}; a missing or malformed key is an IOException naming it. */
    public static DiffusionLmConfig parseConfig(Properties p, String source) throws IOException {
        try {
            return new DiffusionLmConfig(integer(p, "vocabSize", source), integer(p, "embeddingDim", source),
                    integer(p, "hiddenSize", source), integer(p, "layers", source), integer(p, "heads", source),
                    integer(p, "ffnSize", source), integer(p, "sequenceLength", source), integer(p, "maxPositions", source),
                    integer(p, "timeEmbeddingDim", source), Float.parseFloat(value(p, "dropout", source)),
                    integer(p, "numTimesteps", source), Float.parseFloat(value(p, "timeScale", source)));
        } catch (NumberFormatException e) {
            throw new IOException(source + "/" + CONFIG_FILE + ": malformed number: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IOException(source + "/" + CONFIG_FILE + ": " + e.getMessage(), e);
        }
    }

    private static int integer(Properties p, String key, String source) throws IOException {
        return Integer.parseInt(value(p, key, source));
    }

    private static String value(Properties p, String key, String source) throws IOException {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IOException(source + "/" + CONFIG_FILE + ": missing key '" + key + "'");
        }
        return v.strip();
    }
}
