package org.diffusion4j.text.data;

import java.util.List;

/**
 * Splits a sentence into word tokens (the units the vocabulary and the diffusion model see) and joins generated
 * tokens back into text. Tokenizers backed by native resources ({@link HuggingFaceJsonTokenizer}) free them on
 * {@link #close()}; the others hold none.
 */
@FunctionalInterface
public interface Tokenizer extends AutoCloseable {

    List<String> tokenize(String text);

    /** Text for generated tokens; by default the tokens joined by single spaces (E2E's pre-tokenised form). */
    default String detokenize(List<String> tokens) {
        return String.join(" ", tokens);
    }

    @Override
    default void close() {
    }
}
