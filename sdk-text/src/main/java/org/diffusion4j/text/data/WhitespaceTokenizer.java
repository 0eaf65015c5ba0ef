package org.diffusion4j.text.data;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Splits on runs of whitespace. The E2E files are already spaCy-tokenised (punctuation separated by
 * spaces), which is what Diffusion-LM trains on, so no further splitting is needed for them; user text
 * should be pre-tokenised the same way. Case is kept unless {@code lowercase} is set.
 */
public record WhitespaceTokenizer(boolean lowercase) implements Tokenizer {

    /** Case-preserving, as Diffusion-LM's E2E setup. */
    public WhitespaceTokenizer() {
        this(false);
    }

    @Override
    public List<String> tokenize(String text) {
        Objects.requireNonNull(text, "text");
        String s = text.strip();
        if (s.isEmpty()) {
            return List.of();
        }
        if (lowercase) {
            s = s.toLowerCase(Locale.ROOT);
        }
        return Arrays.asList(s.split("\\s+"));
    }
}
