package org.diffusion4j.text.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.diffusion4j.text.data.Vocabulary;

class KneserNeyPropertiesTest {

    private static final Vocabulary V = Vocabulary.of(List.of("a", "b", "c", "d", "e"));

    @Property(tries = 200)
    void probabilitiesSumToOneOverTheVocabulary(@ForAll("corpora") List<List<String>> corpus,
            @ForAll @IntRange(min = 1, max = 4) int order, @ForAll("contexts") int[] context) {
        KneserNeyLanguageModel lm = KneserNeyLanguageModel.train(V, corpus, order);
        double sum = 0;
        for (int id : lm.predictableIds()) {
            double p = lm.probability(context, id);
            assertTrue(p > 0 && p <= 1, "p = " + p);
            sum += p;
        }
        assertEquals(1.0, sum, 1e-9);
    }

    @Provide
    Arbitrary<List<List<String>>> corpora() {
        // "zz" is out of vocabulary and exercises UNK.
        return Arbitraries.of("a", "b", "c", "d", "e", "zz").list().ofMaxSize(7).list().ofMinSize(1).ofMaxSize(12);
    }

    @Provide
    Arbitrary<int[]> contexts() {
        // any predictable id or START as history
        return Arbitraries.of(0, 1, 2, 4, 5, 6, 7, 8).array(int[].class).ofMaxSize(5);
    }
}
