package org.diffusion4j.text.lm;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Diversity and memorisation metrics over tokenised sentences. */
public final class TextMetrics {

    private TextMetrics() {
    }

    /**
     * distinct-n (Li et al. 2016): distinct n-grams / all n-grams, pooled over every sentence (n-grams do not
     * cross sentence boundaries). 0 when no sentence has n words.
     */
    public static double distinctN(List<List<String>> sentences, int n) {
        Objects.requireNonNull(sentences, "sentences");
        if (n < 1) {
            throw new IllegalArgumentException("n: expected >= 1, got " + n);
        }
        Set<List<String>> seen = new HashSet<>();
        long total = 0;
        for (List<String> s : sentences) {
            for (int i = 0; i + n <= s.size(); i++) {
                seen.add(List.copyOf(s.subList(i, i + n)));
                total++;
            }
        }
        return total == 0 ? 0.0 : (double) seen.size() / total;
    }

    /** The fraction of {@code generated} sentences that occur word for word in {@code training}. */
    public static double copyRate(List<List<String>> generated, List<List<String>> training) {
        Objects.requireNonNull(generated, "generated");
        Objects.requireNonNull(training, "training");
        if (generated.isEmpty()) {
            throw new IllegalArgumentException("generated: expected at least one sentence, got none");
        }
        Set<List<String>> train = new HashSet<>(training);
        long copied = generated.stream().filter(train::contains).count();
        return (double) copied / generated.size();
    }
}
