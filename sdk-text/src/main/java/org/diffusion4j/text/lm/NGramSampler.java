package org.diffusion4j.text.lm;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.diffusion4j.core.random.NoiseSource;
import org.diffusion4j.text.data.Vocabulary;

/**
 * The autoregressive baseline: draws sentences word by word from a {@link KneserNeyLanguageModel}
 * (ancestral sampling from START until END). A sentence that reaches {@code maxWords} without END is
 * returned as it stands; {@link #truncatedCount()} says how often that happened.
 */
public final class NGramSampler {

    private final KneserNeyLanguageModel model;
    private final int maxWords;
    private final int[] ids;
    private int truncated;

    public NGramSampler(KneserNeyLanguageModel model, int maxWords) {
        this.model = Objects.requireNonNull(model, "model");
        if (maxWords < 1) {
            throw new IllegalArgumentException("maxWords: expected >= 1, got " + maxWords);
        }
        this.maxWords = maxWords;
        this.ids = model.predictableIds();
    }

    /** One sentence, words only (no START/END). */
    public List<String> sample(NoiseSource noise) {
        Objects.requireNonNull(noise, "noise");
        int[] context = new int[0];
        List<String> words = new ArrayList<>();
        while (words.size() < maxWords) {
            double[] p = model.distribution(context);
            double u = noise.nextDouble();
            int pick = p.length - 1; // guards against the cumulative sum falling short of u by rounding
            double cum = 0;
            for (int i = 0; i < p.length; i++) {
                cum += p[i];
                if (u < cum) {
                    pick = i;
                    break;
                }
            }
            int id = ids[pick];
            if (id == Vocabulary.END) {
                return words;
            }
            words.add(model.vocabulary().token(id));
            context = slide(context, id, model.order() - 1);
        }
        truncated++;
        return words;
    }

    /** The last {@code width} tokens of {@code context} followed by {@code id}. */
    private static int[] slide(int[] context, int id, int width) {
        if (width == 0) {
            return context;
        }
        int keep = Math.min(context.length, width - 1);
        int[] next = new int[keep + 1];
        System.arraycopy(context, context.length - keep, next, 0, keep);
        next[keep] = id;
        return next;
    }

    public List<List<String>> sample(int count, NoiseSource noise) {
        List<List<String>> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(sample(noise));
        }
        return out;
    }

    /** Sentences cut at maxWords so far. */
    public int truncatedCount() {
        return truncated;
    }
}
