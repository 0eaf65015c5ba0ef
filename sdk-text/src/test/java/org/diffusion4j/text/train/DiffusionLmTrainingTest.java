package org.diffusion4j.text.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.ParameterList;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.diffusion4j.core.training.TrainingCheckpoint;
import org.diffusion4j.text.model.DiffusionLmModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiffusionLmTrainingTest {

    private static final List<List<String>> SENTENCES = List.of(
            List.of("the", "cat", "sat"), List.of("the", "dog", "sat"), List.of("a", "cat", "ran"),
            List.of("a", "dog", "ran", "fast"), List.of("the", "cat", "ran"), List.of("a", "dog", "sat"));

    /** A tiny network; dropout 0 because DJL's dropout draws from libtorch's global generator, not the seed. */
    private static TrainingSettings tiny(Path dir, long steps) {
        return TrainingSettings.builder(dir)
                .run(r -> r.seed(5).steps(steps).batchSize(3).learningRate(1e-3).warmupSteps(0).emaDecay(0.9).checkpointEvery(2))
                .minCount(0).sequenceLength(8).embeddingDim(4).hiddenSize(16).layers(1).heads(2)
                .dropout(0f).build();
    }

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void resumedRunEqualsUninterruptedRunAndLearnsTheEmbedding(@TempDir Path dir) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            DiffusionLmModel straight = new DiffusionLmTraining(tiny(dir.resolve("a"), 4), QUIET).run(SENTENCES, m);
            new DiffusionLmTraining(tiny(dir.resolve("b"), 2), QUIET).run(SENTENCES, m);
            assertEquals(2, TrainingCheckpoint.list(dir.resolve("b/checkpoints")).size() >= 1 ? 2 : -1);
            DiffusionLmModel resumed = new DiffusionLmTraining(tiny(dir.resolve("b"), 4), QUIET).run(SENTENCES, m);
            ParameterList pa = straight.block().getParameters();
            ParameterList pb = resumed.block().getParameters();
            for (int i = 0; i < pa.size(); i++) {
                assertArrayEquals(pa.valueAt(i).getArray().toFloatArray(), pb.valueAt(i).getArray().toFloatArray(),
                        pa.keyAt(i));
            }
            assertEquals("4", straight.provenance().get("steps"));
            // E must have moved from its seeded N(0, 1) start: the rounding and MSE terms reach the embedding.
            DiffusionLmModel fresh = new DiffusionLmTraining(tiny(dir.resolve("c"), 0), QUIET).run(SENTENCES, m);
            NDArray e0 = fresh.block().getParameters().get("wordEmbedding").getArray();
            NDArray e4 = straight.block().getParameters().get("wordEmbedding").getArray();
            assertTrue(e0.sub(e4).abs().max().getFloat() > 1e-6f, "embedding did not change");
            // and reloading the exported model gives back the same weights
            DiffusionLmModel loaded = DiffusionLmModel.load(dir.resolve("a/model"), m);
            assertArrayEquals(e4.toFloatArray(), loaded.block().getParameters().get("wordEmbedding").getArray().toFloatArray());
        }
    }

    @Test
    void aResumedRunTakesALowerLearningRateOnlyWhenAsked(@TempDir Path dir) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            new DiffusionLmTraining(tiny(dir, 2), QUIET).run(SENTENCES, m);
            TrainingSettings t = tiny(dir, 3);
            TrainingSettings lower = t.withRun(r -> r.learningRate(2.5e-4));
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> new DiffusionLmTraining(lower, QUIET).run(SENTENCES, m));
            assertTrue(e.getMessage().contains("learningRate=0.001") && e.getMessage().contains("learningRate=2.5E-4"),
                    e.getMessage());
            DiffusionLmModel model = new DiffusionLmTraining(lower, QUIET).allowingSettingChanges().run(SENTENCES, m);
            assertEquals("3", model.provenance().get("steps"));
        }
    }

    @Test
    void aResumedRunAnnealsItsLearningRateToZeroAtTheLastStepOnlyWhenAsked(@TempDir Path dir) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            new DiffusionLmTraining(tiny(dir, 2), QUIET).run(SENTENCES, m);
            TrainingSettings anneal = tiny(dir, 4).withRun(r -> r.lrDecayFrom(2));
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> new DiffusionLmTraining(anneal, QUIET).run(SENTENCES, m));
            assertTrue(e.getMessage().contains("lrDecayEndStep=0") && e.getMessage().contains("lrDecayEndStep=4"),
                    e.getMessage());
            DiffusionLmModel model = new DiffusionLmTraining(anneal, QUIET).allowingSettingChanges().run(SENTENCES, m);
            assertEquals("linear from step 2 to 0 at step 4", model.provenance().get("learningRateDecay"));
            // the last checkpoint records the decay, so that the run's schedule survives another resume: η at step 3
            // is 1e-3·(4 − 3)/(4 − 2)
            Path last = TrainingCheckpoint.latest(dir.resolve("checkpoints")).orElseThrow();
            try (NDManager scope = m.newSubManager()) {
                TrainingCheckpoint c = TrainingCheckpoint.read(last, scope);
                assertEquals(4, c.step());
                assertEquals(5e-4, c.config().learningRateAt(3), 1e-15);
            }
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> tiny(dir, 4).withRun(r -> r.lrDecayFrom(4)), "a decay must start before the last step");
    }

    @Test
    void aRunKeepsTheHuggingFaceTokenizerItStartedWith(@TempDir Path dir) throws Exception {
        Path wordLevel = org.diffusion4j.text.data.TokenizerFiles.wordLevel();
        Path wordPiece = org.diffusion4j.text.data.TokenizerFiles.wordPiece();
        try (NDManager m = NDManager.newBaseManager();
             org.diffusion4j.text.data.HuggingFaceJsonTokenizer hf = org.diffusion4j.text.data.HuggingFaceJsonTokenizer.load(wordLevel);
             org.diffusion4j.text.data.HuggingFaceJsonTokenizer other = org.diffusion4j.text.data.HuggingFaceJsonTokenizer.load(wordPiece)) {
            List<List<String>> sentences = List.of("The pub is cheap.", "A pub in Riverside.", "The pub is a pub.", "A cheap pub.")
                    .stream().map(hf::tokenize).toList();
            DiffusionLmModel model = new DiffusionLmTraining(tiny(dir, 2), QUIET).withTokenizer(hf)
                    .describingData("four pub sentences").run(sentences, m);
            assertTrue(model.hasHuggingFaceTokenizer());
            assertEquals("four pub sentences", model.provenance().get("data"));
            assertArrayEquals(Files.readAllBytes(wordLevel), Files.readAllBytes(dir.resolve(DiffusionLmTraining.TOKENIZER_FILE)));
            assertTrue(DiffusionLmModel.load(dir.resolve("model"), m).hasHuggingFaceTokenizer());
            // resuming without it, or with another one, is refused before any step
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> new DiffusionLmTraining(tiny(dir, 3), QUIET).run(sentences, m));
            assertTrue(e.getMessage().startsWith("tokenizer: the run in") && e.getMessage().contains("whitespace"), e.getMessage());
            e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> new DiffusionLmTraining(tiny(dir, 3), QUIET).withTokenizer(other).run(sentences, m));
            assertTrue(e.getMessage().contains(other.fingerprint()) && e.getMessage().contains(hf.fingerprint()), e.getMessage());
            assertEquals(1, TrainingCheckpoint.list(dir.resolve("checkpoints")).size(), "nothing trained after the refusals");
            // a whitespace run refuses a tokenizer handed to it later
            Path plain = dir.resolve("plain");
            new DiffusionLmTraining(tiny(plain, 2), QUIET).run(SENTENCES, m);
            e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> new DiffusionLmTraining(tiny(plain, 3), QUIET).withTokenizer(hf).run(SENTENCES, m));
            assertTrue(e.getMessage().contains("started with whitespace splitting"), e.getMessage());
            assertTrue(!Files.exists(plain.resolve(DiffusionLmTraining.TOKENIZER_FILE)));
        }
    }
}
