package org.diffusion4j.text.data;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Replaces every occurrence of known slot values (E2E's restaurant names: the {@code name} and {@code near} fields)
 * in a tokenised sentence by one placeholder token, the delexicalisation many E2E challenge systems apply (Dušek et al.
 * 2020). Why the text benchmark needs it: E2E's splits name different restaurants (15 of the 31 names in src1_test's
 * MRs are not in src1_valid's, 14 of src1_valid's 30 not in src1_test's), so a language model trained on held-out text scores a
 * sentence partly by whether its restaurant names belong to the held-out split, which says nothing about fluency.
 *
 * <p>Matching is leftmost-longest over whole tokens: at each position the longest value that starts there is
 * replaced ("The Cambridge Blue" before "The"), and a value never matches part of a token.
 */
public final class SlotDelexicaliser {

    /** Placeholder of {@link #e2eNames}. */
    public static final String NAME_PLACEHOLDER = "<name>";

    private final List<List<String>> values;
    private final String placeholder;

    /**
     * @param values      the token sequences to replace (each non-empty)
     * @param placeholder the token put in their place (non-empty, no whitespace)
     */
    public SlotDelexicaliser(Collection<List<String>> values, String placeholder) {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(placeholder, "placeholder");
        if (placeholder.isEmpty() || placeholder.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("placeholder: expected one non-empty token without whitespace, got '"
                    + placeholder + "'");
        }
        Set<List<String>> distinct = new LinkedHashSet<>();
        for (List<String> v : values) {
            if (v == null || v.isEmpty()) {
                throw new IllegalArgumentException("values: expected non-empty token sequences, got " + v);
            }
            distinct.add(List.copyOf(v));
        }
        // Longest first, so the first value that matches at a position is the longest one.
        List<List<String>> sorted = new ArrayList<>(distinct);
        sorted.sort(Comparator.comparingInt((List<String> v) -> v.size()).reversed());
        this.values = List.copyOf(sorted);
        this.placeholder = placeholder;
    }

    /**
     * The values of {@code fields} in every example of {@code corpora}, tokenised with {@code tokenizer}, replaced by
     * {@code placeholder}.
     */
    public static SlotDelexicaliser of(Collection<E2eCorpus> corpora, Collection<String> fields, Tokenizer tokenizer,
            String placeholder) {
        Objects.requireNonNull(corpora, "corpora");
        Objects.requireNonNull(fields, "fields");
        Objects.requireNonNull(tokenizer, "tokenizer");
        Set<List<String>> values = new LinkedHashSet<>();
        for (E2eCorpus corpus : corpora) {
            for (E2eExample e : corpus.examples()) {
                for (String field : fields) {
                    e.mr().get(field).map(tokenizer::tokenize).filter(v -> !v.isEmpty()).ifPresent(values::add);
                }
            }
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException("fields: expected at least one value of " + fields + " in the corpora, got none");
        }
        return new SlotDelexicaliser(values, placeholder);
    }

    /** The restaurant names ({@code name}, {@code near}) of both shipped E2E splits, replaced by {@value #NAME_PLACEHOLDER}. */
    public static SlotDelexicaliser e2eNames(Tokenizer tokenizer) {
        return e2eNames(List.of(E2eCorpus.load(E2eCorpus.Split.TRAIN), E2eCorpus.load(E2eCorpus.Split.TEST)), tokenizer);
    }

    /** The restaurant names ({@code name}, {@code near}) of already loaded E2E corpora, replaced by {@value #NAME_PLACEHOLDER}. */
    public static SlotDelexicaliser e2eNames(Collection<E2eCorpus> corpora, Tokenizer tokenizer) {
        return of(corpora, List.of("name", "near"), tokenizer, NAME_PLACEHOLDER);
    }

    public String placeholder() {
        return placeholder;
    }

    /** The distinct values, longest first. */
    public List<List<String>> values() {
        return values;
    }

    /** {@code words} with every value occurrence replaced by the placeholder (a new list). */
    public List<String> apply(List<String> words) {
        Objects.requireNonNull(words, "words");
        List<String> out = new ArrayList<>(words.size());
        int i = 0;
        while (i < words.size()) {
            int matched = 0;
            for (List<String> v : values) {
                if (i + v.size() <= words.size() && words.subList(i, i + v.size()).equals(v)) {
                    matched = v.size();
                    break;
                }
            }
            if (matched > 0) {
                out.add(placeholder);
                i += matched;
            } else {
                out.add(words.get(i));
                i++;
            }
        }
        return out;
    }

    /** {@link #apply} to each sentence. */
    public List<List<String>> applyAll(List<List<String>> sentences) {
        Objects.requireNonNull(sentences, "sentences");
        return sentences.stream().map(this::apply).toList();
    }
}
