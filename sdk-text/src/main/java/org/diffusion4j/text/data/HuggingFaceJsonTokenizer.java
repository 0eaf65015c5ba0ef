package org.diffusion4j.text.data;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.diffusion4j.text.io.Sha256;

/**
 * A Hugging Face {@code tokenizer.json} (word-level, WordPiece, BPE or Unigram) run through DJL's tokenizers
 * binding, whose jar carries the native library (no download). The Diffusion-LM's own vocabulary is still built
 * from the tokens this tokenizer produces on the training corpus (Diffusion-LM's count rule), so the tokenizer
 * decides only how text is split and how generated tokens are joined back ({@link #detokenize}, through the
 * tokenizer's own decoder: WordPiece's "##" pieces and byte-level BPE come back as words).
 *
 * <p>No special tokens are added when tokenizing ([CLS], &lt;s&gt; ...): the model adds its own START and END.
 * The file's bytes travel with a trained model ({@code DiffusionLmModel}), fingerprinted by SHA-256.
 */
public final class HuggingFaceJsonTokenizer implements Tokenizer {

    private final byte[] json;
    private final HuggingFaceTokenizer tokenizer;
    private final Map<String, Long> ids;

    private HuggingFaceJsonTokenizer(byte[] json, String source) throws IOException {
        this.json = json;
        this.ids = vocabulary(json, source);
        try {
            this.tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json),
                    Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
        } catch (RuntimeException e) {
            throw new IOException(source + ": the tokenizers library refused the file: " + e.getMessage(), e);
        }
    }

    /** Loads a {@code tokenizer.json}; a file that is not one is an IOException naming it. */
    public static HuggingFaceJsonTokenizer load(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such tokenizer.json");
        }
        return new HuggingFaceJsonTokenizer(Files.readAllBytes(file), file.toString());
    }

    /** From the bytes of a {@code tokenizer.json} (e.g. stored with a model); {@code source} names them in errors. */
    public static HuggingFaceJsonTokenizer fromBytes(byte[] json, String source) throws IOException {
        Objects.requireNonNull(json, "json");
        return new HuggingFaceJsonTokenizer(json.clone(), Objects.requireNonNull(source, "source"));
    }

    /** The file's bytes, as loaded. */
    public byte[] json() {
        return json.clone();
    }

    /** SHA-256 of the file's bytes, lower-case hex. */
    public String fingerprint() {
        return Sha256.hex(json);
    }

    @Override
    public List<String> tokenize(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            return List.of();
        }
        return List.copyOf(Arrays.asList(tokenizer.encode(text, false, false).getTokens()));
    }

    /**
     * The tokenizer's decoding of the tokens' ids. A token the tokenizer does not know (the model's own UNK, say)
     * is kept as it is, between the decoded runs of known tokens.
     */
    @Override
    public String detokenize(List<String> tokens) {
        Objects.requireNonNull(tokens, "tokens");
        List<String> parts = new ArrayList<>();
        List<Long> run = new ArrayList<>();
        for (String t : tokens) {
            Long id = ids.get(t);
            if (id != null) {
                run.add(id);
            } else {
                flush(run, parts);
                parts.add(t);
            }
        }
        flush(run, parts);
        return String.join(" ", parts).strip();
    }

    private void flush(List<Long> run, List<String> parts) {
        if (!run.isEmpty()) {
            String text = tokenizer.decode(run.stream().mapToLong(Long::longValue).toArray(), false).strip();
            if (!text.isEmpty()) {
                parts.add(text);
            }
            run.clear();
        }
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    /**
     * Token → id from the file: {@code model.vocab} is an object (WordLevel, WordPiece, BPE) or a list of
     * [token, score] pairs whose index is the id (Unigram); {@code added_tokens} add theirs.
     */
    private static Map<String, Long> vocabulary(byte[] json, String source) throws IOException {
        JsonObject root;
        try {
            JsonElement e = JsonParser.parseString(new String(json, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                throw new IOException(source + ": expected a Hugging Face tokenizer.json (a JSON object), got a JSON "
                        + (e.isJsonArray() ? "array" : "value"));
            }
            root = e.getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IOException(source + ": expected a Hugging Face tokenizer.json, got text that is not JSON ("
                    + e.getMessage() + ")", e);
        }
        JsonElement model = root.get("model");
        if (model == null || !model.isJsonObject() || !model.getAsJsonObject().has("vocab")) {
            throw new IOException(source + ": expected a Hugging Face tokenizer.json with a 'model' object holding a "
                    + "'vocab', got keys " + root.keySet());
        }
        Map<String, Long> ids = new HashMap<>();
        JsonElement vocab = model.getAsJsonObject().get("vocab");
        try {
            if (vocab.isJsonObject()) {
                for (Map.Entry<String, JsonElement> e : vocab.getAsJsonObject().entrySet()) {
                    ids.put(e.getKey(), e.getValue().getAsLong());
                }
            } else if (vocab.isJsonArray()) {
                JsonArray pairs = vocab.getAsJsonArray();
                for (int i = 0; i < pairs.size(); i++) {
                    ids.put(pairs.get(i).getAsJsonArray().get(0).getAsString(), (long) i);
                }
            } else {
                throw new IOException(source + ": expected model.vocab to be an object or a list, got " + vocab);
            }
            JsonElement added = root.get("added_tokens");
            if (added != null && added.isJsonArray()) {
                for (JsonElement t : added.getAsJsonArray()) {
                    JsonObject o = t.getAsJsonObject();
                    ids.put(o.get("content").getAsString(), o.get("id").getAsLong());
                }
            }
        } catch (RuntimeException e) {
            throw new IOException(source + ": malformed vocabulary in the tokenizer.json: " + e.getMessage(), e);
        }
        if (ids.isEmpty()) {
            throw new IOException(source + ": the tokenizer.json has an empty vocabulary");
        }
        return ids;
    }
}
