package org.diffusion4j.text.decode;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Minimum Bayes risk selection (Kumar &amp; Byrne 2004; Diffusion-LM's and DiffuSeq's MBR decoding): among candidates S
 * pick argmin_{w∈S} Σ_{w'∈S, w'≠w} −BLEU(w, w'), i.e. the candidate most similar on average to the others. BLEU
 * here is sentence BLEU-4 with add-one smoothing of the 2- to 4-gram precisions (Lin &amp; Och 2004) and the
 * brevity penalty.
 */
public final class MinimumBayesRisk {

    private MinimumBayesRisk() {
    }

    /** The index of the selected candidate (ties: the first). */
    public static int select(List<List<String>> candidates) {
        if (candidates == null || candidates.isEmpty()) {
            throw new IllegalArgumentException("candidates: expected at least one, got none");
        }
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < candidates.size(); i++) {
            double sum = 0;
            for (int j = 0; j < candidates.size(); j++) {
                if (i != j) {
                    sum += bleu(candidates.get(i), candidates.get(j));
                }
            }
            if (sum > bestScore) {
                bestScore = sum;
                best = i;
            }
        }
        return best;
    }

    /** Smoothed sentence BLEU-4 of {@code hypothesis} against one {@code reference}, in [0, 1]. */
    public static double bleu(List<String> hypothesis, List<String> reference) {
        if (hypothesis.isEmpty()) {
            return 0.0;
        }
        double logSum = 0;
        for (int n = 1; n <= 4; n++) {
            Map<List<String>, Integer> ref = ngrams(reference, n);
            Map<List<String>, Integer> hyp = ngrams(hypothesis, n);
            int total = Math.max(0, hypothesis.size() - n + 1);
            int match = 0;
            for (Map.Entry<List<String>, Integer> e : hyp.entrySet()) {
                match += Math.min(e.getValue(), ref.getOrDefault(e.getKey(), 0));
            }
            double p = n == 1 ? (total == 0 ? 0 : (double) match / total) : (match + 1.0) / (total + 1.0);
            if (p == 0) {
                return 0.0;
            }
            logSum += Math.log(p) / 4;
        }
        double bp = hypothesis.size() >= reference.size() ? 1.0 : Math.exp(1.0 - (double) reference.size() / hypothesis.size());
        return bp * Math.exp(logSum);
    }

    private static Map<List<String>, Integer> ngrams(List<String> words, int n) {
        Map<List<String>, Integer> m = new HashMap<>();
        for (int i = 0; i + n <= words.size(); i++) {
            m.merge(List.copyOf(words.subList(i, i + n)), 1, Integer::sum);
        }
        return m;
    }
}
