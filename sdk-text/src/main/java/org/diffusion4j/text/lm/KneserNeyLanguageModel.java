package org.diffusion4j.text.lm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.diffusion4j.text.data.Vocabulary;

/**
 * A word n-gram language model with interpolated Kneser-Ney smoothing (Chen and Goodman 1998, eq. 17 with
 * one absolute discount per order), used as the SDK's "teacher" to score fluency and as the autoregressive
 * baseline.
 *
 * <p>Tokens are the ids of a {@link Vocabulary} (out-of-vocabulary words become UNK, as Diffusion-LM's
 * evaluation does). Every sentence is padded on the left with {@code order − 1} START tokens and closed by
 * END, so END is predicted and START never is. The model predicts the set {@link #predictableIds()}: every
 * id except START and PAD; over that set the probabilities sum to one for any context.
 *
 * <pre>
 *   p_k(w | h) = max(c_k(h w) − D_k, 0) / c_k(h ·) + D_k · N1+(h ·) / c_k(h ·) · p_{k−1}(w | h')
 *   p_0(w)     = 1 / |predictable|
 * </pre>
 * where c_n are raw counts at the highest order and, for k &lt; n, c_k(h w) = N1+(· h w) is the number of
 * distinct left extensions of (h w) (the continuation count). An unseen context h falls back to p_{k−1}.
 * D_k = n1 / (n1 + 2 n2) from the count-of-counts of order k (Ney et al. 1994), or 0.5 when n1 or n2 is 0.
 */
public final class KneserNeyLanguageModel {

    /** Counts under one context at one order. Immutable after training. */
    private static final class ContextStats {
        final Map<Integer, Integer> counts = new HashMap<>();
        long total;

        void add(int word, int count) {
            counts.merge(word, count, Integer::sum);
            total += count;
        }
    }

    private record Gram(int[] tokens) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Gram g && Arrays.equals(tokens, g.tokens);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(tokens);
        }
    }

    private final Vocabulary vocabulary;
    private final int order;
    /** tables.get(k − 1): context (k − 1 tokens) → stats of order k. */
    private final List<Map<Gram, ContextStats>> tables;
    private final double[] discounts;
    private final int[] predictable;

    private KneserNeyLanguageModel(Vocabulary vocabulary, int order, List<Map<Gram, ContextStats>> tables, double[] discounts) {
        this.vocabulary = vocabulary;
        this.order = order;
        this.tables = tables;
        this.discounts = discounts;
        int[] ids = new int[vocabulary.size() - 2];
        int j = 0;
        for (int id = 0; id < vocabulary.size(); id++) {
            if (id != Vocabulary.START && id != Vocabulary.PAD) {
                ids[j++] = id;
            }
        }
        this.predictable = ids;
    }

    /** Trains on tokenised sentences (words only; START/END are added here). */
    public static KneserNeyLanguageModel train(Vocabulary vocabulary, List<List<String>> sentences, int order) {
        Objects.requireNonNull(vocabulary, "vocabulary");
        Objects.requireNonNull(sentences, "sentences");
        if (order < 1) {
            throw new IllegalArgumentException("order: expected >= 1, got " + order);
        }
        if (sentences.isEmpty()) {
            throw new IllegalArgumentException("sentences: expected at least one training sentence, got none");
        }
        // Highest order: raw counts of (context, word).
        Map<Gram, Map<Integer, Integer>> top = new HashMap<>();
        for (List<String> s : sentences) {
            int[] padded = pad(vocabulary, s, order);
            for (int i = order - 1; i < padded.length; i++) {
                int[] ctx = Arrays.copyOfRange(padded, i - order + 1, i);
                top.computeIfAbsent(new Gram(ctx), k -> new HashMap<>()).merge(padded[i], 1, Integer::sum);
            }
        }
        List<Map<Gram, ContextStats>> tables = new ArrayList<>();
        for (int k = 0; k < order; k++) {
            tables.add(new HashMap<>());
        }
        Map<Gram, ContextStats> highest = tables.get(order - 1);
        top.forEach((ctx, words) -> {
            ContextStats st = highest.computeIfAbsent(ctx, c -> new ContextStats());
            words.forEach(st::add);
        });
        // Lower orders: continuation counts = number of distinct one-token left extensions.
        Set<Gram> distinct = new HashSet<>();
        for (Map.Entry<Gram, Map<Integer, Integer>> e : top.entrySet()) {
            for (int w : e.getValue().keySet()) {
                distinct.add(new Gram(concat(e.getKey().tokens(), w)));
            }
        }
        for (int k = order - 1; k >= 1; k--) {
            Map<Gram, ContextStats> table = tables.get(k - 1);
            Set<Gram> suffixes = new HashSet<>();
            for (Gram g : distinct) {
                int[] suffix = Arrays.copyOfRange(g.tokens(), 1, g.tokens().length);
                suffixes.add(new Gram(suffix));
                int[] ctx = Arrays.copyOf(suffix, suffix.length - 1);
                table.computeIfAbsent(new Gram(ctx), c -> new ContextStats()).add(suffix[suffix.length - 1], 1);
            }
            distinct = suffixes;
        }
        double[] discounts = new double[order];
        for (int k = 0; k < order; k++) {
            long n1 = 0;
            long n2 = 0;
            for (ContextStats st : tables.get(k).values()) {
                for (int c : st.counts.values()) {
                    if (c == 1) {
                        n1++;
                    } else if (c == 2) {
                        n2++;
                    }
                }
            }
            discounts[k] = (n1 == 0 || n2 == 0) ? 0.5 : (double) n1 / (n1 + 2.0 * n2);
        }
        return new KneserNeyLanguageModel(vocabulary, order, tables, discounts);
    }

    private static int[] concat(int[] a, int b) {
        int[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }

    private static int[] pad(Vocabulary vocabulary, List<String> words, int order) {
        int[] out = new int[order - 1 + words.size() + 1];
        Arrays.fill(out, 0, order - 1, Vocabulary.START);
        for (int i = 0; i < words.size(); i++) {
            out[order - 1 + i] = vocabulary.idOrUnk(words.get(i));
        }
        out[out.length - 1] = Vocabulary.END;
        return out;
    }

    public int order() {
        return order;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** The discount D_k of order k (1-based). */
    public double discount(int k) {
        if (k < 1 || k > order) {
            throw new IllegalArgumentException("k: expected 1.." + order + ", got " + k);
        }
        return discounts[k - 1];
    }

    /** The ids this model assigns probability to (all but START and PAD), ascending. */
    public int[] predictableIds() {
        return predictable.clone();
    }

    /**
     * p(word | context). {@code context} holds the preceding ids, most recent last; only the last
     * {@code order − 1} are used and a shorter context is left-padded with START (a sentence beginning).
     */
    public double probability(int[] context, int word) {
        Objects.requireNonNull(context, "context");
        if (word < 0 || word >= vocabulary.size() || word == Vocabulary.START || word == Vocabulary.PAD) {
            throw new IllegalArgumentException("word: expected an id in 0.." + (vocabulary.size() - 1)
                    + " other than START (0) and PAD (3), got " + word);
        }
        int[] h = new int[order - 1];
        Arrays.fill(h, Vocabulary.START);
        int n = Math.min(order - 1, context.length);
        System.arraycopy(context, context.length - n, h, h.length - n, n);
        return probability(h, word, order);
    }

    private double probability(int[] h, int word, int k) {
        if (k == 0) {
            return 1.0 / predictable.length;
        }
        int[] lowerCtx = k >= 2 ? Arrays.copyOfRange(h, 1, h.length) : h;
        ContextStats st = tables.get(k - 1).get(new Gram(h));
        if (st == null) {
            return probability(lowerCtx, word, k - 1);
        }
        double d = discounts[k - 1];
        int c = st.counts.getOrDefault(word, 0);
        double lower = probability(lowerCtx, word, k - 1);
        return Math.max(c - d, 0.0) / st.total + d * st.counts.size() / st.total * lower;
    }

    /** The full next-token distribution over {@link #predictableIds()} (same order). */
    public double[] distribution(int[] context) {
        double[] p = new double[predictable.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = probability(context, predictable[i]);
        }
        return p;
    }

    /** Natural-log probability of a sentence including its END token. */
    public double logProbability(List<String> words) {
        int[] padded = pad(vocabulary, words, order);
        double sum = 0;
        for (int i = order - 1; i < padded.length; i++) {
            sum += Math.log(probability(Arrays.copyOfRange(padded, i - order + 1, i), padded[i], order));
        }
        return sum;
    }

    /**
     * Corpus perplexity exp(−Σ log p / N) where N counts every predicted token (the words and one END per
     * sentence), the usual per-token definition.
     */
    public double perplexity(List<List<String>> sentences) {
        Objects.requireNonNull(sentences, "sentences");
        if (sentences.isEmpty()) {
            throw new IllegalArgumentException("sentences: expected at least one sentence to score, got none");
        }
        double logSum = 0;
        long tokens = 0;
        for (List<String> s : sentences) {
            logSum += logProbability(s);
            tokens += s.size() + 1;
        }
        return Math.exp(-logSum / tokens);
    }
}
