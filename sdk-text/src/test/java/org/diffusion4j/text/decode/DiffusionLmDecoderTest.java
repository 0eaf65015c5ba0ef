package org.diffusion4j.text.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import java.util.Map;
import org.diffusion4j.text.control.LengthControl;
import org.diffusion4j.text.control.TokenConstraint;
import org.diffusion4j.text.data.Vocabulary;
import org.diffusion4j.text.model.DiffusionLmBlock;
import org.diffusion4j.text.model.DiffusionLmConfig;
import org.diffusion4j.text.model.DiffusionLmModel;
import org.junit.jupiter.api.Test;

class DiffusionLmDecoderTest {

    private static DiffusionLmModel randomModel(NDManager m) {
        Vocabulary vocab = Vocabulary.of(List.of("a", "b", "c", "d", "e", "f"));
        DiffusionLmConfig cfg = DiffusionLmConfig.builder(vocab.size()).embeddingDim(4).hiddenSize(16).layers(1).heads(2)
                .sequenceLength(8).timeEmbeddingDim(8).numTimesteps(100).build();
        DiffusionLmBlock block = DiffusionLmBlock.create(cfg, 3);
        block.initialize(m, DataType.FLOAT32, block.inputShapes(1));
        return DiffusionLmModel.of(block, vocab, Map.of());
    }

    @Test
    void knownPositionsComeOutExactlyForEverySampler() {
        try (NDManager m = NDManager.newBaseManager()) {
            DiffusionLmDecoder dec = new DiffusionLmDecoder(randomModel(m));
            TokenConstraint c = LengthControl.of(5, 8);
            for (SamplerKind kind : SamplerKind.values()) {
                List<long[]> out = dec.decodeIds(DecodeRequest.of(3, 10, kind, 11).withConstraint(c), m);
                assertEquals(3, out.size());
                for (long[] ids : out) {
                    for (int i = 0; i < 8; i++) {
                        if (c.known()[i]) {
                            assertEquals(c.ids()[i], ids[i], kind + " position " + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void withSlotsAreWordsTheLengthIsExactAndWithoutItSpecialsMayAppear() {
        try (NDManager m = NDManager.newBaseManager()) {
            DiffusionLmDecoder dec = new DiffusionLmDecoder(randomModel(m));
            TokenConstraint c = LengthControl.of(6, 8);
            for (Rounding r : Rounding.values()) {
                for (List<String> s : dec.decode(DecodeRequest.of(8, 6, SamplerKind.DDIM, 2).withConstraint(c).withRounding(r), m)) {
                    assertEquals(4, s.size(), r + ": " + s);
                    assertTrue(s.stream().noneMatch(w -> w.startsWith("<")), s.toString());
                }
            }
        }
    }

    @Test
    void seedReproducesAndMbrReturnsOneOfItsCandidates() {
        try (NDManager m = NDManager.newBaseManager()) {
            DiffusionLmDecoder dec = new DiffusionLmDecoder(randomModel(m));
            DecodeRequest r = DecodeRequest.of(2, 5, SamplerKind.DDIM, 4);
            List<long[]> a = dec.decodeIds(r, m);
            List<long[]> b = dec.decodeIds(r, m);
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(a.get(i), b.get(i));
            }
            // MBR over 3 candidates: candidates of output i are rows 3i..3i+2 of the 6-row batch of the same seed
            List<long[]> pool = dec.decodeIds(DecodeRequest.of(6, 5, SamplerKind.DDIM, 4), m);
            List<long[]> chosen = dec.decodeIds(r.withMbr(3), m);
            assertEquals(2, chosen.size());
            for (int i = 0; i < 2; i++) {
                long[] pick = chosen.get(i);
                boolean found = false;
                for (int j = 0; j < 3; j++) {
                    found |= java.util.Arrays.equals(pick, pool.get(3 * i + j));
                }
                assertTrue(found, "MBR output " + i + " is not one of its candidates");
            }
        }
    }

    @Test
    void badRequestsAreRejected() {
        try (NDManager m = NDManager.newBaseManager()) {
            DiffusionLmDecoder dec = new DiffusionLmDecoder(randomModel(m));
            assertThrows(IllegalArgumentException.class, () -> dec.decodeIds(DecodeRequest.of(1, 101, SamplerKind.DDIM, 0), m));
            assertThrows(IllegalArgumentException.class,
                    () -> dec.decodeIds(DecodeRequest.of(1, 5, SamplerKind.DDIM, 0).withConstraint(LengthControl.of(5, 9)), m));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SamplerKind.parse("euler"));
            assertTrue(e.getMessage().contains("dpmpp2m"));
            assertThrows(IllegalArgumentException.class, () -> DecodeRequest.of(0, 5, SamplerKind.DDIM, 0));
        }
    }
}
