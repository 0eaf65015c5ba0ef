package org.diffusion4j.text.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SlotDelexicaliserTest {

    private static final Tokenizer TOK = new WhitespaceTokenizer();

    private static List<String> w(String s) {
        return TOK.tokenize(s);
    }

    @Test
    void replacesLongestValueAtEachPositionAndWholeTokensOnly() {
        SlotDelexicaliser d = new SlotDelexicaliser(List.of(w("The"), w("The Cambridge Blue"), w("Blue Spice")), "<n>");
        assertEquals(w("<n> is near <n> ."), d.apply(w("The Cambridge Blue is near Blue Spice .")));
        // "The" alone is a value too; "Blue" alone and "Spicey" are not.
        assertEquals(w("<n> Blue pub near Blue Spicey"), d.apply(w("The Blue pub near Blue Spicey")));
        assertEquals(List.of(), d.apply(List.of()));
    }

    @Test
    void e2eNamesCoverBothSplits() {
        SlotDelexicaliser d = SlotDelexicaliser.e2eNames(TOK);
        // "The Eagle" is only in src1_valid's MRs, "Blue Spice" only in src1_test's (both checked in the files).
        assertEquals(w("<name> is near <name> ."), d.apply(w("The Eagle is near Blue Spice .")));
        assertEquals(w("<name> , a <name> restaurant"), d.apply(w("Express by Holiday Inn , a Crowne Plaza Hotel restaurant")));
    }

    @Test
    void badArgumentsAreRefusedWithTheirValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SlotDelexicaliser(List.of(w("a")), "two words"));
        assertTrue(e.getMessage().contains("placeholder") && e.getMessage().contains("two words"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SlotDelexicaliser(List.of(List.of()), "<n>"));
        assertTrue(e.getMessage().contains("values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SlotDelexicaliser.of(List.of(E2eCorpus.load(E2eCorpus.Split.TEST)), List.of("colour"), TOK, "<n>"));
        assertTrue(e.getMessage().contains("colour"), e.getMessage());
    }

    /**
     * Over random sentences and value sets from a small alphabet: no value survives anywhere in the output, the
     * output is a fixed point, never longer than the input, and dropping the placeholders leaves a subsequence.
     */
    @Property(tries = 300)
    void noValueSurvivesAndApplyingTwiceChangesNothing(@ForAll @Size(max = 30) List<@IntRange(max = 3) Integer> sentence,
            @ForAll @Size(min = 1, max = 4) List<@Size(min = 1, max = 3) List<@IntRange(max = 3) Integer>> values) {
        List<String> words = sentence.stream().map(i -> "w" + i).toList();
        List<List<String>> vs = values.stream().map(v -> v.stream().map(i -> "w" + i).toList()).toList();
        SlotDelexicaliser d = new SlotDelexicaliser(vs, "P");
        List<String> out = d.apply(words);
        for (List<String> v : vs) {
            assertEquals(-1, Collections.indexOfSubList(out, v), () -> v + " survives in " + out + " from " + words);
        }
        assertEquals(out, d.apply(out));
        assertTrue(out.size() <= words.size());
        List<String> kept = new ArrayList<>(out);
        kept.removeIf("P"::equals);
        int j = 0;
        for (String x : words) {
            if (j < kept.size() && kept.get(j).equals(x)) {
                j++;
            }
        }
        assertEquals(kept.size(), j, "the kept words are a subsequence of the input");
    }
}
