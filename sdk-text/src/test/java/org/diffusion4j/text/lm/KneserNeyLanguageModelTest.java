package org.diffusion4j.text.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.diffusion4j.core.random.NoiseSource;
import org.diffusion4j.text.data.Vocabulary;
import org.junit.jupiter.api.Test;

class KneserNeyLanguageModelTest {

    private static final Vocabulary AB = Vocabulary.of(List.of("a", "b")); // a = 4, b = 5

    /**
     * Bigram model on "a b" and "a" scoring "b a", worked by hand (ids: END 1, UNK 2, a 4, b 5; 4 predictable).
     * Order 2 counts: S→a:2; a→b:1, a→E:1; b→E:1. Counts-of-counts n1 = 3, n2 = 1 ⇒ D2 = 3/5 = 0.6.
     * Order 1 continuation counts from the distinct bigrams Sa, ab, bE, aE: a:1, b:1, E:2 (total 4, 3 types);
     * n1 = 2, n2 = 1 ⇒ D1 = 2/4 = 0.5. p1(w) = max(c − 0.5, 0)/4 + 0.5·3/4·1/4:
     * p1(a) = p1(b) = 0.21875, p1(E) = 0.46875, p1(UNK) = 0.09375.
     * p(b|S) = 0 + 0.6·1/2·0.21875 = 0.065625; p(a|b) = 0 + 0.6·1/1·0.21875 = 0.13125;
     * p(E|a) = (1 − 0.6)/2 + 0.6·2/2·0.46875 = 0.48125.
     */
    @Test
    void perplexityMatchesHandComputation() {
        KneserNeyLanguageModel lm = KneserNeyLanguageModel.train(AB, List.of(List.of("a", "b"), List.of("a")), 2);
        assertEquals(0.6, lm.discount(2), 1e-12);
        assertEquals(0.5, lm.discount(1), 1e-12);
        assertEquals(0.09375, lm.probability(new int[] {4}, Vocabulary.UNK) / 0.6, 1e-12); // a→UNK: 0.6·2/2·p1(UNK)
        double expected = Math.pow(0.065625 * 0.13125 * 0.48125, -1.0 / 3);
        assertEquals(expected, lm.perplexity(List.of(List.of("b", "a"))), 1e-9);
    }

    @Test
    void unknownWordsScoreAsUnk() {
        KneserNeyLanguageModel lm = KneserNeyLanguageModel.train(AB, List.of(List.of("a", "b"), List.of("a")), 2);
        assertEquals(lm.logProbability(List.of("<UNK>", "a")), lm.logProbability(List.of("zebra", "a")), 1e-12);
    }

    @Test
    void rejectsStartAndPadAsPredictions() {
        KneserNeyLanguageModel lm = KneserNeyLanguageModel.train(AB, List.of(List.of("a")), 2);
        assertThrows(IllegalArgumentException.class, () -> lm.probability(new int[0], Vocabulary.START));
        assertThrows(IllegalArgumentException.class, () -> lm.probability(new int[0], Vocabulary.PAD));
        assertThrows(IllegalArgumentException.class, () -> KneserNeyLanguageModel.train(AB, List.of(), 2));
    }

    @Test
    void samplerReproducesADeterministicCorpus() {
        // One training sentence and a trigram model: the sampler mostly follows it; with a fixed seed it is
        // reproducible and every output is a sequence of vocabulary tokens.
        Vocabulary v = Vocabulary.of(List.of("the", "pub", "is", "cheap"));
        KneserNeyLanguageModel lm = KneserNeyLanguageModel.train(v, List.of(List.of("the", "pub", "is", "cheap")), 3);
        NGramSampler s1 = new NGramSampler(lm, 10);
        NGramSampler s2 = new NGramSampler(lm, 10);
        List<List<String>> a = s1.sample(20, NoiseSource.seeded(7));
        List<List<String>> b = s2.sample(20, NoiseSource.seeded(7));
        assertEquals(a, b);
        assertTrue(a.stream().allMatch(s -> s.size() <= 10 && s.stream().allMatch(w -> v.find(w).isPresent())));
        long exact = a.stream().filter(s -> s.equals(List.of("the", "pub", "is", "cheap"))).count();
        assertTrue(exact > 0, "the training sentence itself should be the most likely sample: " + a);
    }
}
