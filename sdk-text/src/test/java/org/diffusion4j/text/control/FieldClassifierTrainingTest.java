package org.diffusion4j.text.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import java.io.OutputStream;
import java.io.PrintStream;
import org.diffusion4j.text.data.E2eCorpus;
import org.diffusion4j.text.model.DiffusionLmModel;
import org.diffusion4j.text.train.DiffusionLmTraining;
import org.junit.jupiter.api.Test;

class FieldClassifierTrainingTest {

    @Test
    void trainingLeavesNothingInTheLanguageModelsManager() throws Exception {
        try (NDManager modelManager = NDManager.newBaseManager(); NDManager training = NDManager.newBaseManager()) {
            DiffusionLmModel lm = DiffusionLmModel.loadShipped(modelManager);
            int before = modelManager.getManagedArrays().size();
            FieldClassifier.Sizes sizes = new FieldClassifier.Sizes(lm.config().embeddingDim(),
                    lm.config().sequenceLength(), 16, 2, 1, lm.config().numTimesteps(), lm.config().timeScale());
            FieldClassifierTraining.train(lm, DiffusionLmTraining.process(lm.config().numTimesteps()),
                    E2eCorpus.load(E2eCorpus.Split.TRAIN), "area", sizes, 3, 4, 1e-3, 0, training,
                    new PrintStream(OutputStream.nullOutputStream()));
            // Each step's arrays must die with the step: before the fix every step left its x0, x_t, activations
            // and autograd graph in the model's manager (native memory grew ~150 MB/s during classifier training).
            assertEquals(before, modelManager.getManagedArrays().size(),
                    "arrays left in the language model's manager by 3 classifier steps");
        }
    }
}
