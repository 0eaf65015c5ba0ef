package org.diffusion4j.text.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.diffusion4j.core.random.NoiseSource;
import org.diffusion4j.text.data.E2eCorpus;
import org.diffusion4j.text.data.MeaningRepresentation;
import org.diffusion4j.text.data.Vocabulary;
import org.diffusion4j.text.data.WhitespaceTokenizer;
import org.junit.jupiter.api.Test;

class ControlTest {

    private static final Vocabulary V = Vocabulary.of(List.of("the", "is", "a", "restaurant")); // 4..7

    @Test
    void lengthControlFixesStartEndAndPad() {
        TokenConstraint c = LengthControl.of(4, 6);
        assertArrayEquals(new long[] {0, 3, 3, 1, 3, 3}, c.ids());
        assertArrayEquals(new boolean[] {true, false, false, true, true, true}, c.known());
        LengthControl.of(6, 6); // END at the last position
        assertThrows(IllegalArgumentException.class, () -> LengthControl.of(7, 6));
        assertThrows(IllegalArgumentException.class, () -> LengthControl.of(1, 6));
    }

    @Test
    void infillTemplateGivesKnownTokensAndMask() {
        TokenConstraint c = InfillTemplate.parse("the ___ is a ___ restaurant", new WhitespaceTokenizer(), V, 10);
        assertArrayEquals(new long[] {0, 4, 3, 5, 6, 3, 7, 1, 3, 3}, c.ids());
        assertArrayEquals(new boolean[] {true, true, false, true, true, false, true, true, true, true}, c.known());
        InfillTemplate.parse("the ___ is a ___ restaurant", new WhitespaceTokenizer(), V, 8); // 6 + 2 fits exactly
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> InfillTemplate.parse("the ___ is a ___ restaurant", new WhitespaceTokenizer(), V, 7));
        assertTrue(tooLong.getMessage().contains("exceed the model length 7"), tooLong.getMessage());
        IllegalArgumentException oov = assertThrows(IllegalArgumentException.class,
                () -> InfillTemplate.parse("the ___ pub", new WhitespaceTokenizer(), V, 10));
        assertTrue(oov.getMessage().contains("'pub'"), oov.getMessage());
    }

    @Test
    void infillSlotsSurviveASubwordTokenizerThatWouldSplitThem() throws java.io.IOException {
        // Hugging Face's Whitespace pre-tokeniser keeps "___" whole, and the word-level model maps it to [UNK]:
        // the template must find the slots before the tokenizer sees the fixed text
        Vocabulary v = Vocabulary.of(List.of("the", "pub", "is", "a", "cheap", ".")); // 4..9
        try (org.diffusion4j.text.data.HuggingFaceJsonTokenizer hf = org.diffusion4j.text.data.HuggingFaceJsonTokenizer.load(
                org.diffusion4j.text.data.TokenizerFiles.wordLevel())) {
            assertEquals(List.of("[UNK]"), hf.tokenize("___"));
            TokenConstraint c = InfillTemplate.parse("The ___ is a ___ PUB.", hf, v, 10);
            // START the ? is a ? pub . END PAD
            assertArrayEquals(new long[] {0, 4, 3, 6, 7, 3, 5, 9, 1, 3}, c.ids());
            assertArrayEquals(new boolean[] {true, true, false, true, true, false, true, true, true, true}, c.known());
        }
        // and whitespace splitting gives what it gave before, slots at both ends included
        TokenConstraint edges = InfillTemplate.parse("___ is a ___", new WhitespaceTokenizer(), V, 6);
        assertArrayEquals(new long[] {0, 3, 5, 6, 3, 1}, edges.ids());
        assertArrayEquals(new boolean[] {true, false, true, true, false, true}, edges.known());
    }

    @Test
    void anchorReplacesOnlyKnownPositions() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray e = m.arange(0f, 16f).reshape(8, 2);           // E[v] = [2v, 2v+1]
            TokenConstraint c = LengthControl.of(3, 4);            // START, ?, END, PAD
            NDArray x = m.full(new Shape(1, 4, 2), -1f);
            assertArrayEquals(new float[] {0, 1, -1, -1, 2, 3, 6, 7}, c.anchor(x, e).toFloatArray(), 0f);
        }
    }

    @Test
    void controlFieldsFromTheCorpusAndClearErrors() {
        ControlFields fields = ControlFields.from(E2eCorpus.load(E2eCorpus.Split.TRAIN));
        assertTrue(fields.fields().containsAll(List.of("area", "food", "name")), fields.fields().toString());
        assertEquals(List.of("city centre", "riverside"), fields.values("area"));
        assertEquals(1, fields.classIndex("area", "riverside"));
        assertEquals(1, fields.label("area", MeaningRepresentation.parse("name : X | area : riverside")).getAsInt());
        assertTrue(fields.label("food", MeaningRepresentation.parse("name : X")).isEmpty());
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> fields.values("cuisine"));
        assertTrue(f.getMessage().contains("known fields") && f.getMessage().contains("food"), f.getMessage());
        IllegalArgumentException v = assertThrows(IllegalArgumentException.class, () -> fields.classIndex("food", "Martian"));
        assertTrue(v.getMessage().contains("[Chinese, English]"), v.getMessage()); // the valid split only has these two
    }

    @Test
    void classifierMapsNoisyLatentsToFieldLogits() {
        try (NDManager m = NDManager.newBaseManager()) {
            FieldClassifierBlock c = new FieldClassifierBlock(4, 6, 8, 2, 1, 7, 2000, 1000f);
            c.initialize(m, DataType.FLOAT32, new Shape(3, 6, 4), new Shape(3));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = NoiseSource.seeded(2).normal(m, new Shape(3, 6, 4), DataType.FLOAT32);
            NDArray logits = c.forward(ps, new NDList(x, m.create(new long[] {0, 100, 1999})), false).head();
            assertEquals(new Shape(3, 7), logits.getShape());
            NDArray sameXOtherT = c.forward(ps, new NDList(x, m.create(new long[] {5, 100, 1999})), false).head();
            assertTrue(!logits.get(0).allClose(sameXOtherT.get(0)), "the classifier must depend on t");
            assertArrayEquals(logits.get(1).toFloatArray(), sameXOtherT.get(1).toFloatArray(), 1e-6f);
            assertThrows(IllegalArgumentException.class,
                    () -> c.forward(ps, new NDList(m.zeros(new Shape(3, 5, 4)), m.create(new long[] {0, 1, 2})), false));
        }
        assertThrows(IllegalArgumentException.class, () -> new FieldClassifierBlock(4, 6, 8, 2, 1, 1, 2000, 1000f));
    }
}
