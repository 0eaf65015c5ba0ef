package org.diffusion4j.text.control;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import org.diffusion4j.text.data.Tokenizer;
import org.diffusion4j.text.data.Vocabulary;

/**
 * Parses an infill template such as {@code "the ___ is a ___ restaurant"}: every {@value #SLOT} is one word
 * to generate, every other token is fixed. The result fixes START, the template words, END right after the
 * template, and PAD to the model length, so each slot is exactly one generated word (the explicit
 * placeholders Diffusion-LM's infill needs, release issues #26/#36).
 *
 * <p>Slots are found first, as whitespace-separated {@value #SLOT} words; the fixed text between them is split by
 * the model's tokenizer, so a subword tokenizer (which would cut {@value #SLOT} itself into pieces) fixes the
 * tokens it would have produced for that text.
 */
public final class InfillTemplate {

    /** The placeholder for one generated word. */
    public static final String SLOT = "___";

    private InfillTemplate() {
    }

    public static TokenConstraint parse(String template, Tokenizer tokenizer, Vocabulary vocabulary, int modelLength) {
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(tokenizer, "tokenizer");
        Objects.requireNonNull(vocabulary, "vocabulary");
        List<String> tokens = new ArrayList<>();
        StringBuilder fixed = new StringBuilder();
        for (String word : template.strip().split("\\s+")) {
            if (SLOT.equals(word)) {
                tokens.addAll(tokenizer.tokenize(fixed.toString()));
                fixed.setLength(0);
                tokens.add(SLOT);
            } else if (!word.isEmpty()) {
                fixed.append(fixed.length() == 0 ? "" : " ").append(word);
            }
        }
        tokens.addAll(tokenizer.tokenize(fixed.toString()));
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("template: expected words and " + SLOT + " slots, got an empty template");
        }
        if (tokens.size() + 2 > modelLength) {
            throw new IllegalArgumentException("template: " + tokens.size() + " tokens plus START/END exceed the model length "
                    + modelLength + " (at most " + (modelLength - 2) + " tokens)");
        }
        long[] ids = new long[modelLength];
        Arrays.fill(ids, Vocabulary.PAD);
        boolean[] known = new boolean[modelLength];
        Arrays.fill(known, true);
        ids[0] = Vocabulary.START;
        for (int i = 0; i < tokens.size(); i++) {
            String tok = tokens.get(i);
            if (SLOT.equals(tok)) {
                known[i + 1] = false;
                continue;
            }
            OptionalInt id = vocabulary.find(tok);
            if (id.isEmpty()) {
                throw new IllegalArgumentException("template: word '" + tok + "' (token " + (i + 1)
                        + ") is not in the model's vocabulary of " + vocabulary.size() + " tokens; use " + SLOT + " or another word");
            }
            ids[i + 1] = id.getAsInt();
        }
        ids[tokens.size() + 1] = Vocabulary.END;
        return new TokenConstraint(ids, known);
    }
}
