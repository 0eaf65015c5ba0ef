package org.diffusion4j.text.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import org.diffusion4j.core.io.AtomicFiles;
import org.diffusion4j.text.io.Sha256;

/**
 * A word-level vocabulary built with Diffusion-LM's rule: every word seen <em>more than</em>
 * {@code minCountExclusive} times in the training text (10 in the paper), plus four special tokens with
 * fixed ids {@link #START} = 0, {@link #END} = 1, {@link #UNK} = 2, {@link #PAD} = 3 (the order of the
 * Diffusion-LM release). Words follow in descending count, ties broken by {@link String#compareTo}, so the
 * same corpus always gives the same ids.
 *
 * <p>The {@link #fingerprint()} (SHA-256 of the token list) is stored with a model so that a model refuses
 * a vocabulary it was not trained with: the embedding rows are meaningless under another id mapping.
 */
public final class Vocabulary {

    public static final int START = 0;
    public static final int END = 1;
    public static final int UNK = 2;
    public static final int PAD = 3;
    public static final List<String> SPECIAL_TOKENS = List.of("<START>", "<END>", "<UNK>", "<PAD>");

    private static final String MAGIC = "# diffusion4j vocabulary v1";

    private final List<String> tokens;
    private final Map<String, Integer> ids;
    private final String fingerprint;

    private Vocabulary(List<String> tokens) {
        this.tokens = Collections.unmodifiableList(new ArrayList<>(tokens));
        Map<String, Integer> map = new HashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            String tok = tokens.get(i);
            if (tok.isEmpty() || tok.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("tokens: token " + i + " must be non-empty without whitespace, got '" + tok + "'");
            }
            if (map.putIfAbsent(tok, i) != null) {
                throw new IllegalArgumentException("tokens: duplicate token '" + tok + "' at index " + i);
            }
        }
        for (int i = 0; i < SPECIAL_TOKENS.size(); i++) {
            if (i >= tokens.size() || !SPECIAL_TOKENS.get(i).equals(tokens.get(i))) {
                throw new IllegalArgumentException("tokens: expected " + SPECIAL_TOKENS + " as ids 0..3, got "
                        + tokens.subList(0, Math.min(4, tokens.size())));
            }
        }
        this.ids = Collections.unmodifiableMap(map);
        this.fingerprint = sha256(String.join("\n", tokens));
    }

    /** Specials plus the given words, in the given order (ids 4, 5, ...). */
    public static Vocabulary of(List<String> words) {
        List<String> all = new ArrayList<>(SPECIAL_TOKENS);
        all.addAll(Objects.requireNonNull(words, "words"));
        return new Vocabulary(all);
    }

    /**
     * Builds the vocabulary of words seen more than {@code minCountExclusive} times in {@code sentences}
     * (already tokenised). Special-token strings appearing in the text are not counted as words.
     */
    public static Vocabulary build(Iterable<? extends List<String>> sentences, int minCountExclusive) {
        Objects.requireNonNull(sentences, "sentences");
        if (minCountExclusive < 0) {
            throw new IllegalArgumentException("minCountExclusive: expected >= 0, got " + minCountExclusive);
        }
        Map<String, Integer> counts = new HashMap<>();
        for (List<String> sentence : sentences) {
            for (String w : sentence) {
                if (!SPECIAL_TOKENS.contains(w)) {
                    counts.merge(w, 1, Integer::sum);
                }
            }
        }
        List<String> words = new ArrayList<>();
        counts.forEach((w, c) -> {
            if (c > minCountExclusive) {
                words.add(w);
            }
        });
        words.sort((a, b) -> {
            int byCount = Integer.compare(counts.get(b), counts.get(a));
            return byCount != 0 ? byCount : a.compareTo(b);
        });
        return of(words);
    }

    public int size() {
        return tokens.size();
    }

    public String token(int id) {
        if (id < 0 || id >= tokens.size()) {
            throw new IllegalArgumentException("id: expected 0.." + (tokens.size() - 1) + ", got " + id);
        }
        return tokens.get(id);
    }

    /** The id of {@code token}, or empty if it is out of vocabulary. */
    public OptionalInt find(String token) {
        Integer id = ids.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The id of {@code token}, {@link #UNK} when out of vocabulary. */
    public int idOrUnk(String token) {
        return ids.getOrDefault(token, UNK);
    }

    public List<String> tokens() {
        return tokens;
    }

    /** Lower-case hex SHA-256 of the tokens joined by '\n' (UTF-8). */
    public String fingerprint() {
        return fingerprint;
    }

    /** Throws unless this vocabulary is the one a model was trained with. */
    public void requireFingerprint(String expected) {
        if (!fingerprint.equals(expected)) {
            throw new IllegalArgumentException("vocabulary: the model expects fingerprint " + expected
                    + " but this vocabulary (" + size() + " tokens) has " + fingerprint);
        }
    }

    /**
     * Writes the vocabulary atomically: a temporary file in the same directory, then an atomic rename, so a
     * reader never sees a half-written file. Format: three header lines (magic, size, sha256) then one token
     * a line in id order.
     */
    public void save(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        StringBuilder text = new StringBuilder(MAGIC + "\n# size " + size() + "\n# sha256 " + fingerprint + "\n");
        for (String t : tokens) {
            text.append(t).append('\n');
        }
        AtomicFiles.writeString(file, text.toString());
    }

    /** Reads a file written by {@link #save}; a truncated or edited file fails its size or checksum. */
    public static Vocabulary load(Path file) throws IOException {
        return parse(Files.readAllLines(Objects.requireNonNull(file, "file"), StandardCharsets.UTF_8), file.toString());
    }

    /** Reads the {@link #save} format from a stream (a classpath resource); {@code source} names it in errors. */
    public static Vocabulary read(java.io.InputStream in, String source) throws IOException {
        Objects.requireNonNull(in, source);
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        return parse(text.lines().toList(), source);
    }

    private static Vocabulary parse(List<String> lines, String file) throws IOException {
        if (lines.size() < 3 || !MAGIC.equals(lines.get(0))
                || !lines.get(1).startsWith("# size ") || !lines.get(2).startsWith("# sha256 ")) {
            throw new IOException(file + ": expected a header '" + MAGIC + "', '# size N', '# sha256 HEX'");
        }
        int size;
        try {
            size = Integer.parseInt(lines.get(1).substring(7).strip());
        } catch (NumberFormatException e) {
            throw new IOException(file + ": bad size line '" + lines.get(1) + "'", e);
        }
        List<String> tokens = lines.subList(3, lines.size());
        if (tokens.size() != size) {
            throw new IOException(file + ": header says " + size + " tokens, file holds " + tokens.size());
        }
        Vocabulary v;
        try {
            v = new Vocabulary(tokens);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        String expected = lines.get(2).substring(9).strip();
        if (!v.fingerprint.equals(expected)) {
            throw new IOException(file + ": checksum mismatch, header sha256 " + expected + ", content " + v.fingerprint);
        }
        return v;
    }

    private static String sha256(String s) {
        return Sha256.hex(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary v && tokens.equals(v.tokens);
    }

    @Override
    public int hashCode() {
        return tokens.hashCode();
    }

    @Override
    public String toString() {
        return "Vocabulary[" + size() + " tokens, sha256 " + fingerprint.substring(0, 12) + "]";
    }
}
