package org.diffusion4j.text.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MeaningRepresentationTest {

    @Test
    void parsesPipeForm() {
        MeaningRepresentation mr = MeaningRepresentation.parse("name : Alimentum | area : city centre | family friendly : no");
        assertEquals(List.of("name", "area", "family friendly"), List.copyOf(mr.fields().keySet()));
        assertEquals("city centre", mr.get("area").orElseThrow());
        assertEquals("name : Alimentum | area : city centre | family friendly : no", mr.toString());
    }

    @Test
    void parsesBracketForm() {
        MeaningRepresentation mr = MeaningRepresentation.parse("name[The Vaults], eatType[pub], priceRange[more than £30]");
        assertEquals(Map.of("name", "The Vaults", "eatType", "pub", "priceRange", "more than £30"), mr.fields());
    }

    @Test
    void rejectsMalformedSlots() {
        assertThrows(IllegalArgumentException.class, () -> MeaningRepresentation.parse(""));
        assertThrows(IllegalArgumentException.class, () -> MeaningRepresentation.parse("name Alimentum"));
        assertThrows(IllegalArgumentException.class, () -> MeaningRepresentation.parse("name : A | name : B"));
    }

    @Test
    void exampleLineSplitsOnDoubleBar() {
        E2eExample e = E2eExample.parse("name : Alimentum | food : Chinese||Alimentum serves Chinese food . ");
        assertEquals("Chinese", e.mr().get("food").orElseThrow());
        assertEquals("Alimentum serves Chinese food .", e.text());
        assertThrows(IllegalArgumentException.class, () -> E2eExample.parse("no separator here"));
    }

    @Test
    void shippedSplitsLoadWithAllLinesAndKnownFields() {
        E2eCorpus train = E2eCorpus.load(E2eCorpus.Split.TRAIN);
        E2eCorpus test = E2eCorpus.load(E2eCorpus.Split.TEST);
        assertEquals(4672, train.size());
        assertEquals(4693, test.size());
        // Every MR names the restaurant; the first line of the file is known.
        assertTrue(train.examples().stream().allMatch(e -> e.mr().get("name").isPresent()));
        assertEquals("There is a place in the city centre , Alimentum , that is not family - friendly .", train.texts().get(0));
    }
}
