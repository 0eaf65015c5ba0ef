package org.diffusion4j.text.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HuggingFaceJsonTokenizerTest {

    @Test
    void aWordLevelTokenizerSplitsLowercasesAndJoinsBack() throws IOException {
        try (HuggingFaceJsonTokenizer t = HuggingFaceJsonTokenizer.load(TokenizerFiles.wordLevel())) {
            // Lowercase normaliser, Whitespace pre-tokeniser (\w+|[^\w\s]+): punctuation splits off
            List<String> tokens = t.tokenize("The pub is cheap, in Riverside.");
            assertEquals(List.of("the", "pub", "is", "cheap", ",", "in", "riverside", "."), tokens);
            assertEquals("the pub is cheap , in riverside .", t.detokenize(tokens));
            assertEquals(List.of(), t.tokenize("   "));
            // a word outside its vocabulary becomes its unknown token, with no [CLS]/[SEP] added
            assertEquals(List.of("the", "[UNK]"), t.tokenize("the restaurant"));
        }
    }

    @Test
    void wordPiecesComeBackAsWholeWordsAndUnknownTokensStayAsTheyAre() throws IOException {
        try (HuggingFaceJsonTokenizer t = HuggingFaceJsonTokenizer.load(TokenizerFiles.wordPiece())) {
            List<String> tokens = t.tokenize("Unbelievable pub.");
            assertEquals(List.of("un", "##believ", "##able", "pub", "."), tokens);
            assertEquals("unbelievable pub.", t.detokenize(tokens));
            // the Diffusion-LM's own UNK is not the tokenizer's: kept literally between decoded runs
            assertEquals("the UNK pub", t.detokenize(List.of("the", "UNK", "pub")));
        }
    }

    @Test
    void aUnigramVocabularyListIsReadByPosition() throws IOException {
        try (HuggingFaceJsonTokenizer t = HuggingFaceJsonTokenizer.load(TokenizerFiles.unigram())) {
            List<String> tokens = t.tokenize("the pubs");
            assertEquals(List.of("▁the", "▁pub", "s"), tokens);
            assertEquals("the pubs", t.detokenize(tokens));
        }
    }

    @Test
    void theFingerprintFollowsTheBytes(@TempDir Path dir) throws IOException {
        Path file = TokenizerFiles.wordLevel();
        try (HuggingFaceJsonTokenizer a = HuggingFaceJsonTokenizer.load(file);
             HuggingFaceJsonTokenizer b = HuggingFaceJsonTokenizer.fromBytes(a.json(), "copy")) {
            assertEquals(a.fingerprint(), b.fingerprint());
            assertEquals(64, a.fingerprint().length());
            String edited = Files.readString(file, StandardCharsets.UTF_8).replace("\"cheap\": 5", "\"cheap\": 5, \"dear\": 10");
            Path other = dir.resolve("tokenizer.json");
            Files.writeString(other, edited, StandardCharsets.UTF_8);
            try (HuggingFaceJsonTokenizer c = HuggingFaceJsonTokenizer.load(other)) {
                assertNotEquals(a.fingerprint(), c.fingerprint());
                assertEquals(List.of("dear"), c.tokenize("dear"));
            }
        }
    }

    @Test
    void filesThatAreNotTokenizersAreRefusedWithTheirName(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("nope.json");
        IOException e = assertThrows(IOException.class, () -> HuggingFaceJsonTokenizer.load(missing));
        assertTrue(e.getMessage().contains("nope.json") && e.getMessage().contains("no such"), e.getMessage());

        Path text = dir.resolve("text.json");
        Files.writeString(text, "the pub is cheap", StandardCharsets.UTF_8);
        e = assertThrows(IOException.class, () -> HuggingFaceJsonTokenizer.load(text));
        assertTrue(e.getMessage().startsWith(text.toString()) && e.getMessage().contains("tokenizer.json"), e.getMessage());

        Path noModel = dir.resolve("config.json");
        Files.writeString(noModel, "{\"vocab_size\": 3}", StandardCharsets.UTF_8);
        e = assertThrows(IOException.class, () -> HuggingFaceJsonTokenizer.load(noModel));
        assertTrue(e.getMessage().contains("'model' object") && e.getMessage().contains("vocab_size"), e.getMessage());
    }
}
