package org.diffusion4j.text.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.diffusion4j.core.random.NoiseSource;
import org.diffusion4j.text.control.FieldClassifier;
import org.diffusion4j.text.control.FieldClassifierTraining;
import org.diffusion4j.text.data.E2eCorpus;
import org.diffusion4j.text.data.E2eExample;
import org.diffusion4j.text.data.Vocabulary;
import org.diffusion4j.text.model.DiffusionLmBlock;
import org.diffusion4j.text.model.DiffusionLmConfig;
import org.diffusion4j.text.model.DiffusionLmModel;
import org.diffusion4j.text.model.RoundingOps;
import org.diffusion4j.text.train.DiffusionLmTraining;
import org.junit.jupiter.api.Test;

class GuidedDecoderTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    private static DiffusionLmModel randomModel(NDManager m) {
        Vocabulary vocab = Vocabulary.of(List.of("a", "b", "x", "y"));
        DiffusionLmConfig cfg = DiffusionLmConfig.builder(vocab.size()).embeddingDim(4).hiddenSize(16).layers(1).heads(2)
                .sequenceLength(6).timeEmbeddingDim(8).numTimesteps(100).build();
        DiffusionLmBlock block = DiffusionLmBlock.create(cfg, 9);
        block.initialize(m, DataType.FLOAT32, block.inputShapes(1));
        return DiffusionLmModel.of(block, vocab, Map.of());
    }

    /** food = A sentences hold "x", food = B ones hold "y": separable from the latent at low noise. */
    private static E2eCorpus corpus() {
        List<E2eExample> ex = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ex.add(E2eExample.parse("food[A]||a x b"));
            ex.add(E2eExample.parse("food[B]||a y b"));
        }
        return new E2eCorpus(ex);
    }

    private static FieldClassifier.Sizes sizes() {
        return new FieldClassifier.Sizes(4, 6, 16, 2, 1, 100, 1000f);
    }

    @Test
    void classifierLearnsTheFieldFromSlightlyNoisyLatents() {
        try (NDManager m = NDManager.newBaseManager()) {
            DiffusionLmModel model = randomModel(m);
            FieldClassifier clf = FieldClassifierTraining.train(model, DiffusionLmTraining.process(100), corpus(), "food",
                    sizes(), 300, 16, 1e-2, 1, m, QUIET);
            assertEquals(List.of("A", "B"), clf.values());
            NDArray e = model.block().embeddings(new ParameterStore(m, false), m.getDevice(), false);
            // ids [START a x b END PAD] vs [... y ...] at t = 0
            NDArray ids = m.create(new long[] {0, 4, 6, 5, 1, 3, 0, 4, 7, 5, 1, 3}, new Shape(2, 6));
            NDArray x0 = RoundingOps.embed(e, ids);
            NDArray xt = DiffusionLmTraining.process(100).qSample(x0, m.create(new long[] {0, 0}), NoiseSource.seeded(2));
            long[] predicted = clf.block().forward(new ParameterStore(m, false), new NDList(xt, m.create(new long[] {0, 0})),
                    false).head().argMax(1).toLongArray();
            assertEquals(0, predicted[0]);
            assertEquals(1, predicted[1]);
            IllegalArgumentException err = assertThrows(IllegalArgumentException.class, () -> clf.classIndex("Thai"));
            assertTrue(err.getMessage().contains("[A, B]"), err.getMessage());
        }
    }

    @Test
    void withoutUpdatesTheGuidedLoopEqualsCoreDdim() {
        try (NDManager m = NDManager.newBaseManager()) {
            DiffusionLmModel model = randomModel(m);
            FieldClassifier clf = FieldClassifierTraining.train(model, DiffusionLmTraining.process(100), corpus(), "food",
                    sizes(), 1, 4, 1e-3, 1, m, QUIET);
            DecodeRequest r = DecodeRequest.of(5, 12, SamplerKind.DDIM, 21);
            List<List<String>> core = new DiffusionLmDecoder(model).decode(r, m);
            GuidedDecoder guided = new GuidedDecoder(model);
            assertEquals(core, guided.decode(r, new SemanticGuidance(clf, "A", 0.01, 0.1, 0, 10), m));
            // with updates the result moves (no clamping: a random network's clamped x̂0 is one word everywhere)
            DecodeRequest raw = new DecodeRequest(5, 12, SamplerKind.DDIM, 21, Rounding.NEAREST, false, null, 1, true);
            float[][] latents = new float[2][];
            guided.decode(raw, new SemanticGuidance(clf, "A", 0.01, 0.1, 0, 10), m, z -> latents[0] = z);
            guided.decode(raw, new SemanticGuidance(clf, "A", 0.0, 0.5, 3, 0), m, z -> latents[1] = z);
            double maxDiff = 0;
            for (int i = 0; i < latents[0].length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(latents[0][i] - latents[1][i]));
            }
            assertTrue(maxDiff > 1e-3, "guidance did not move the latent: " + maxDiff);
            assertThrows(IllegalArgumentException.class,
                    () -> guided.decode(DecodeRequest.of(1, 5, SamplerKind.DPMPP2M, 0), SemanticGuidance.of(clf, "A"), m));
            assertThrows(IllegalArgumentException.class, () -> SemanticGuidance.of(clf, "C"));
        }
    }

    /**
     * Decoding works in the caller's manager: nothing may be left in the manager that holds the model's and the
     * classifier's parameters, however many steps run (clamping rounds x̂0 against the embedding parameter at every
     * step, and results of ops on a parameter are created in the parameter's manager unless moved).
     */
    @Test
    void decodingLeavesNothingInTheModelsManager() {
        try (NDManager params = NDManager.newBaseManager(); NDManager work = NDManager.newBaseManager()) {
            DiffusionLmModel model = randomModel(params);
            FieldClassifier clf = FieldClassifierTraining.train(model, DiffusionLmTraining.process(100), corpus(), "food",
                    sizes(), 1, 4, 1e-3, 1, params, QUIET);
            int before = params.getManagedArrays().size();
            for (Rounding rounding : Rounding.values()) {
                DecodeRequest r = DecodeRequest.of(3, 8, SamplerKind.DDIM, 5).withRounding(rounding);
                new DiffusionLmDecoder(model).decode(r, work);
                new GuidedDecoder(model).decode(r, new SemanticGuidance(clf, "A", 0.01, 0.1, 2, 0), work);
            }
            assertEquals(before, params.getManagedArrays().size(), "arrays left in the parameters' manager");
        }
    }
}
