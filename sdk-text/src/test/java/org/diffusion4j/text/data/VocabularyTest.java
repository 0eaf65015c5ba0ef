package org.diffusion4j.text.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyTest {

    private static final Tokenizer TOK = new WhitespaceTokenizer();

    @Test
    void keepsWordsSeenMoreThanNTimesWithSpecialsFirst() {
        List<List<String>> sentences = List.of(
                TOK.tokenize("a b c"), TOK.tokenize("a b"), TOK.tokenize("a d"), TOK.tokenize("b a"));
        // counts: a=4, b=3, c=1, d=1; rule "more than 1" keeps a, b.
        Vocabulary v = Vocabulary.build(sentences, 1);
        assertEquals(List.of("<START>", "<END>", "<UNK>", "<PAD>", "a", "b"), v.tokens());
        assertEquals(4, v.idOrUnk("a"));
        assertEquals(Vocabulary.UNK, v.idOrUnk("c"));
        assertTrue(v.find("d").isEmpty());
    }

    @Test
    void saveLoadRoundTripAndFingerprint(@TempDir Path dir) throws IOException {
        Vocabulary v = Vocabulary.of(List.of("the", "restaurant", "is"));
        Path file = dir.resolve("sub/vocab.txt");
        v.save(file);
        Vocabulary back = Vocabulary.load(file);
        assertEquals(v, back);
        assertEquals(v.fingerprint(), back.fingerprint());
        back.requireFingerprint(v.fingerprint());
        assertThrows(IllegalArgumentException.class,
                () -> Vocabulary.of(List.of("the", "is", "restaurant")).requireFingerprint(v.fingerprint()));
        // no temporary files left beside it
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void loadRejectsEditedOrTruncatedFiles(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("vocab.txt");
        Vocabulary.of(List.of("a", "b", "c")).save(file);
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        List<String> truncated = lines.subList(0, lines.size() - 1);
        Files.write(dir.resolve("t.txt"), truncated, StandardCharsets.UTF_8);
        assertThrows(IOException.class, () -> Vocabulary.load(dir.resolve("t.txt")));
        List<String> edited = new ArrayList<>(lines);
        edited.set(edited.size() - 1, "zzz");
        Files.write(dir.resolve("e.txt"), edited, StandardCharsets.UTF_8);
        IOException e = assertThrows(IOException.class, () -> Vocabulary.load(dir.resolve("e.txt")));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void encoderPadsCountsUnknownsAndRejectsLongSequences() {
        Vocabulary v = Vocabulary.of(List.of("the", "pub", "is", "cheap"));
        SequenceEncoder enc = new SequenceEncoder(v, 8);
        EncodedSequence s = enc.encode(TOK.tokenize("the pub is very cheap"));
        assertArrayEquals(new long[] {0, 4, 5, 6, 2, 7, 1, 3}, s.ids());
        assertEquals(5, s.wordCount());
        assertEquals(1, s.unknownCount());
        assertEquals(List.of("the", "pub", "is", "<UNK>", "cheap"), enc.decode(s.ids()));
        enc.encode(TOK.tokenize("a b c d e f")); // exactly 6 = 8 - 2 words fits
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> enc.encode(TOK.tokenize("a b c d e f g")));
        assertTrue(e.getMessage().contains("at most 6") && e.getMessage().contains("got 7"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> enc.decode(new long[] {0, 99}));
    }

    @Test
    void shippedTrainingVocabularyMatchesDocumentedSize() {
        E2eCorpus train = E2eCorpus.load(E2eCorpus.Split.TRAIN);
        Vocabulary v = Vocabulary.build(train.texts().stream().map(TOK::tokenize).toList(), 10);
        Map<String, Integer> counts = new HashMap<>();
        train.texts().forEach(t -> TOK.tokenize(t).forEach(w -> counts.merge(w, 1, Integer::sum)));
        assertEquals(4 + counts.values().stream().filter(c -> c > 10).count(), v.size());
        assertFalse(v.find("restaurant").isEmpty());
    }
}
