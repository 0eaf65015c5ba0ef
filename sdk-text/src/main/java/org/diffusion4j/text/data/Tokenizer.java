package org.diffusion4j.text.data;

import java.util.List;

/** Splits a sentence into word tokens (the units the vocabulary and the diffusion model see). */
@FunctionalInterface
public interface Tokenizer {

    List<String> tokenize(String text);
}
