package org.diffusion4j.text.data;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The hand-written tokenizer.json files of the test resources (word-level, WordPiece, Unigram). */
public final class TokenizerFiles {

    private TokenizerFiles() {
    }

    /** Lowercase normaliser, Whitespace pre-tokeniser, WordLevel model of 10 tokens, no decoder. */
    public static Path wordLevel() {
        return resource("word-level-tokenizer.json");
    }

    /** As {@link #wordLevel()} with a WordPiece model ("un", "##believ", "##able" ...) and WordPiece decoder. */
    public static Path wordPiece() {
        return resource("wordpiece-tokenizer.json");
    }

    /** Metaspace pre-tokeniser and decoder, Unigram model whose vocabulary is a list of [token, score]. */
    public static Path unigram() {
        return resource("unigram-tokenizer.json");
    }

    private static Path resource(String name) {
        try {
            return Path.of(TokenizerFiles.class.getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource " + name + " is missing", e);
        }
    }
}
