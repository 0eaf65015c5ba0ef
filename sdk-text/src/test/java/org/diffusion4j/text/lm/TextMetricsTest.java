package org.diffusion4j.text.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextMetricsTest {

    @Test
    void distinctOnKnownInputs() {
        List<List<String>> s = List.of(List.of("a", "b", "a", "b"));
        assertEquals(2.0 / 4, TextMetrics.distinctN(s, 1), 1e-12);
        assertEquals(2.0 / 3, TextMetrics.distinctN(s, 2), 1e-12); // ab, ba, ab
        List<List<String>> two = List.of(List.of("a", "b"), List.of("b", "a"), List.of("c"));
        assertEquals(3.0 / 5, TextMetrics.distinctN(two, 1), 1e-12);
        assertEquals(2.0 / 2, TextMetrics.distinctN(two, 2), 1e-12); // bigrams never cross sentences
        assertEquals(0.0, TextMetrics.distinctN(List.of(List.of("a")), 2));
        assertThrows(IllegalArgumentException.class, () -> TextMetrics.distinctN(s, 0));
    }

    @Test
    void copyRateCountsVerbatimSentences() {
        List<List<String>> train = List.of(List.of("a", "b"), List.of("c"));
        List<List<String>> gen = List.of(List.of("a", "b"), List.of("a"), List.of("c"), List.of("b", "a"));
        assertEquals(0.5, TextMetrics.copyRate(gen, train), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> TextMetrics.copyRate(List.of(), train));
    }
}
