package org.diffusion4j.samples.text;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.diffusion4j.text.train.DiffusionLmTraining;
import org.diffusion4j.text.train.TrainingSettings;
import picocli.CommandLine.Command;
import org.diffusion4j.samples.ResumeOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Trains (or resumes) a Diffusion-LM on E2E src1_valid through sdk-core's trainer. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a Diffusion-LM on E2E (resumes from the newest checkpoint in --run-dir).")
public final class TextTrainCommand implements Callable<Integer> {

    @Option(names = "--run-dir", defaultValue = "runs/text", description = "vocabulary, checkpoints and model/ (default: ${DEFAULT-VALUE})")
    Path runDir;

    @Option(names = "--steps", defaultValue = "30000", description = "total optimiser steps (default: ${DEFAULT-VALUE})")
    long steps;

    @Option(names = "--seed", defaultValue = "102", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--batch", defaultValue = "64", description = "sentences per step (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--lr", defaultValue = "1e-3", description = "AdamW learning rate (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--layers", defaultValue = "2", description = "transformer layers (default: ${DEFAULT-VALUE})")
    int layers;

    @Option(names = "--hidden", defaultValue = "128", description = "hidden size (default: ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--length", defaultValue = "40", description = "sequence length L incl. START/END (default: ${DEFAULT-VALUE})")
    int length;

    @Option(names = "--checkpoint-every", defaultValue = "500", description = "steps between checkpoints (default: ${DEFAULT-VALUE})")
    int checkpointEvery;

    @Mixin
    ResumeOptions resume;

    @Override
    public Integer call() throws Exception {
        TrainingSettings d = TrainingSettings.defaults(runDir);
        TrainingSettings s = new TrainingSettings(runDir, seed, steps, batch, lr, d.warmupSteps(), d.emaDecay(),
                checkpointEvery, d.minCount(), length, d.embeddingDim(), hidden, layers, d.heads(), d.dropout());
        try (NDManager manager = NDManager.newBaseManager()) {
            DiffusionLmTraining training = new DiffusionLmTraining(s, System.out);
            (resume.allowSettingChanges() ? training.allowingSettingChanges() : training)
                    .run(DiffusionLmTraining.trainingSentences(), manager);
        }
        return 0;
    }
}
