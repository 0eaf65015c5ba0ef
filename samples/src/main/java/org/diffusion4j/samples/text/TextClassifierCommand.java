package org.diffusion4j.samples.text;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.diffusion4j.text.control.FieldClassifier;
import org.diffusion4j.text.control.FieldClassifierTraining;
import org.diffusion4j.text.data.E2eCorpus;
import org.diffusion4j.text.model.DiffusionLmModel;
import org.diffusion4j.text.train.DiffusionLmTraining;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Trains the t-aware classifier of one MR field on noisy latents of a trained model's embedding. */
@Command(name = "classifier", mixinStandardHelpOptions = true,
        description = "Train the noisy-latent classifier for --food/--area control; written to MODEL/classifier-FIELD.")
public final class TextClassifierCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = "runs/text/model", description = "trained model directory (default: ${DEFAULT-VALUE})")
    Path model;

    @Option(names = "--field", required = true, description = "MR field, e.g. food or area")
    String field;

    @Option(names = "--steps", defaultValue = "1500", description = "optimiser steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--batch", defaultValue = "64", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--lr", defaultValue = "1e-3", description = "AdamW learning rate (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--seed", defaultValue = "102", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            DiffusionLmModel m = DiffusionLmModel.load(model, manager);
            FieldClassifier.Sizes sizes = new FieldClassifier.Sizes(m.config().embeddingDim(), m.config().sequenceLength(),
                    64, 4, 1, m.config().numTimesteps(), m.config().timeScale());
            FieldClassifier c = FieldClassifierTraining.train(m, DiffusionLmTraining.process(m.config().numTimesteps()),
                    E2eCorpus.load(E2eCorpus.Split.TRAIN), field, sizes, steps, batch, lr, seed, manager, System.out);
            c.save(model.resolve("classifier-" + field));
            System.out.println("classifier for " + field + " " + c.values() + " written to " + model.resolve("classifier-" + field));
        }
        return 0;
    }
}
