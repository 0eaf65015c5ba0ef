package org.diffusion4j.text.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class VocabularyPropertiesTest {

    @Property(tries = 50)
    void ruleMatchesNaiveCount(@ForAll @IntRange(min = 0, max = 4) int n, @ForAll("corpora") List<List<String>> corpus) {
        Map<String, Integer> counts = new HashMap<>();
        corpus.forEach(s -> s.forEach(w -> counts.merge(w, 1, Integer::sum)));
        Vocabulary v = Vocabulary.build(corpus, n);
        long expected = counts.values().stream().filter(c -> c > n).count();
        assertEquals(expected + 4, v.size());
        counts.forEach((w, c) -> assertEquals(c > n, v.find(w).isPresent(), w));
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<List<List<String>>> corpora() {
        return net.jqwik.api.Arbitraries.of("x", "y", "z", "w", "v", "u").list().ofMinSize(0).ofMaxSize(8).list().ofMaxSize(10);
    }
}
