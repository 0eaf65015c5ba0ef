package org.diffusion4j.text.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.ParameterList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.diffusion4j.text.data.Vocabulary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiffusionLmModelTest {

    private static DiffusionLmModel model(NDManager m, List<String> words, long seed) {
        Vocabulary vocab = Vocabulary.of(words);
        DiffusionLmConfig cfg = DiffusionLmConfig.builder(vocab.size()).embeddingDim(4).hiddenSize(8).layers(1).heads(2)
                .sequenceLength(6).timeEmbeddingDim(4).build();
        DiffusionLmBlock block = DiffusionLmBlock.create(cfg, seed);
        block.initialize(m, DataType.FLOAT32, block.inputShapes(1));
        return DiffusionLmModel.of(block, vocab, Map.of("steps", "7"));
    }

    @Test
    void roundTripKeepsConfigVocabularyWeightsAndProvenance(@TempDir Path dir) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            DiffusionLmModel a = model(m, List.of("x", "y"), 1);
            a.save(dir);
            DiffusionLmModel b = DiffusionLmModel.load(dir, m);
            assertEquals(a.config(), b.config());
            assertEquals(a.vocabulary(), b.vocabulary());
            assertEquals("7", b.provenance().get("steps"));
            ParameterList pa = a.block().getParameters();
            ParameterList pb = b.block().getParameters();
            for (int i = 0; i < pa.size(); i++) {
                assertArrayEquals(pa.valueAt(i).getArray().toFloatArray(), pb.valueAt(i).getArray().toFloatArray());
            }
        }
    }

    @Test
    void aVocabularyFromAnotherModelIsRejected(@TempDir Path dir) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            model(m, List.of("x", "y"), 1).save(dir.resolve("a"));
            model(m, List.of("x", "z"), 1).save(dir.resolve("b"));
            Files.copy(dir.resolve("b/vocab.txt"), dir.resolve("a/vocab.txt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            IOException e = assertThrows(IOException.class, () -> DiffusionLmModel.load(dir.resolve("a"), m));
            assertTrue(e.getMessage().contains("sha256") || e.getMessage().contains("fingerprint"), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> DiffusionLmModel.of(model(m, List.of("x"), 1).block(), Vocabulary.of(List.of("x", "y")), Map.of()));
        }
    }

    @Test
    void aHuggingFaceTokenizerTravelsWithTheModelAndIsChecked(@TempDir Path dir) throws IOException {
        Path json = org.diffusion4j.text.data.TokenizerFiles.wordLevel();
        try (NDManager m = NDManager.newBaseManager();
             org.diffusion4j.text.data.HuggingFaceJsonTokenizer hf = org.diffusion4j.text.data.HuggingFaceJsonTokenizer.load(json)) {
            DiffusionLmModel a = model(m, List.of("the", "pub"), 1).withTokenizer(hf);
            assertTrue(a.hasHuggingFaceTokenizer());
            a.save(dir);
            assertArrayEquals(Files.readAllBytes(json), Files.readAllBytes(dir.resolve(DiffusionLmModel.TOKENIZER_FILE)));
            DiffusionLmModel b = DiffusionLmModel.load(dir, m);
            try (org.diffusion4j.text.data.Tokenizer t = b.tokenizer()) {
                assertEquals(List.of("the", "pub", "."), t.tokenize("The PUB."), "the stored tokenizer lowercases");
            }
            // a model saved without one over the same folder leaves no stale tokenizer behind
            model(m, List.of("the", "pub"), 1).save(dir);
            assertTrue(!Files.exists(dir.resolve(DiffusionLmModel.TOKENIZER_FILE)));
            try (org.diffusion4j.text.data.Tokenizer t = DiffusionLmModel.load(dir, m).tokenizer()) {
                assertEquals(List.of("The", "PUB."), t.tokenize("The PUB."), "whitespace splitting, case kept");
            }
            // an edited or missing tokenizer.json is refused
            a.save(dir);
            Files.writeString(dir.resolve(DiffusionLmModel.TOKENIZER_FILE), "{}");
            IOException e = assertThrows(IOException.class, () -> DiffusionLmModel.load(dir, m));
            assertTrue(e.getMessage().contains("expected SHA-256 " + hf.fingerprint()), e.getMessage());
            Files.delete(dir.resolve(DiffusionLmModel.TOKENIZER_FILE));
            e = assertThrows(IOException.class, () -> DiffusionLmModel.load(dir, m));
            assertTrue(e.getMessage().contains("tokenizer.json is missing"), e.getMessage());
        }
    }
}
