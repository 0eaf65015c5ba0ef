package org.diffusion4j.text.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MinimumBayesRiskTest {

    @Test
    void identicalSentencesScoreOneAndDisjointOnesZero() {
        List<String> s = List.of("the", "eagle", "is", "a", "pub", ".");
        assertEquals(1.0, MinimumBayesRisk.bleu(s, s), 1e-12);
        assertEquals(0.0, MinimumBayesRisk.bleu(s, List.of("x", "y", "z")), 1e-12);
    }

    @Test
    void unigramPrecisionAndBrevityPenaltyByHand() {
        // hyp "a b" vs ref "a b c d": p1 = 1, p2 = (1+1)/(1+1) = 1, p3 = (0+1)/(0+1) = 1, p4 = 1; BP = e^(1 − 4/2)
        assertEquals(Math.exp(-1.0), MinimumBayesRisk.bleu(List.of("a", "b"), List.of("a", "b", "c", "d")), 1e-12);
    }

    @Test
    void selectsTheCandidateClosestToTheOthers() {
        List<List<String>> c = List.of(List.of("q", "r", "s"), List.of("a", "b", "c", "d"), List.of("a", "b", "c", "e"),
                List.of("a", "b", "x", "d"));
        assertEquals(1, MinimumBayesRisk.select(c));
        assertEquals(0, MinimumBayesRisk.select(List.of(List.of("only"))));
        assertThrows(IllegalArgumentException.class, () -> MinimumBayesRisk.select(List.of()));
        assertTrue(MinimumBayesRisk.bleu(c.get(1), c.get(2)) > MinimumBayesRisk.bleu(c.get(0), c.get(2)));
    }
}
