package org.diffusion4j.text.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextEvaluationTest {

    @Test
    void containsRateMatchesWholeWordSequencesOnly() {
        List<List<String>> s = List.of(List.of("near", "the", "city", "centre", "."), List.of("a", "city", "pub"),
                List.of("centre", "city"), List.of("in", "city", "centre"));
        // "city centre" in order: sentences 0 and 3
        assertEquals(0.5, TextEvaluation.containsRate(s, List.of("city", "centre")), 1e-12);
        assertEquals(0.0, TextEvaluation.containsRate(s, List.of("Chinese")), 1e-12);
        assertEquals(0.25, TextEvaluation.containsRate(s, List.of("pub")), 1e-12);
    }
}
