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
}
