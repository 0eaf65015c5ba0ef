package org.diffusion4j.text.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.diffusion4j.text.data.SlotDelexicaliser;
import org.diffusion4j.text.data.Tokenizer;
import org.diffusion4j.text.data.Vocabulary;
import org.diffusion4j.text.data.WhitespaceTokenizer;
import org.junit.jupiter.api.Test;

class TeacherPerplexityTest {

    private static final Tokenizer TOK = new WhitespaceTokenizer();

    private static List<List<String>> text(String... lines) {
        return java.util.Arrays.stream(lines).map(TOK::tokenize).toList();
    }

    private final SlotDelexicaliser names = new SlotDelexicaliser(text("Blue Spice", "The Mill", "Zizzi"), "<name>");
    private final List<List<String>> teacherText = text("Blue Spice is a pub near Zizzi .", "Zizzi is a cheap pub .",
            "Blue Spice is near Zizzi .");
    private final Vocabulary vocab = Vocabulary.build(teacherText, 0);

    @Test
    void delexicalisedScoreIgnoresWhichRestaurantIsNamedLiteralDoesNot() {
        TeacherPerplexity t = new TeacherPerplexity(vocabWith("The", "Mill"), teacherText, 3, names);
        List<List<String>> seen = text("Zizzi is a pub near Blue Spice .");
        List<List<String>> unseen = text("The Mill is a pub near The Mill .");
        assertEquals(t.delexicalised(seen), t.delexicalised(unseen), 1e-12);
        // The literal teacher never saw "The Mill": the same sentence with it scores worse.
        assertTrue(t.literal(unseen) > 1.5 * t.literal(seen), t.literal(unseen) + " vs " + t.literal(seen));
    }

    @Test
    void aPlaceholderThatIsAlsoAWordIsRefused() {
        Vocabulary v = vocabWith("<name>");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TeacherPerplexity(v, teacherText, 3, names));
        assertTrue(e.getMessage().contains("<name>"), e.getMessage());
    }

    private Vocabulary vocabWith(String... extra) {
        List<String> words = new java.util.ArrayList<>(vocab.tokens().subList(4, vocab.size()));
        words.addAll(List.of(extra));
        return Vocabulary.of(words);
    }
}
