package org.diffusion4j.core.training;

import java.nio.file.Path;

/** Observes a training run. Called on the training thread; keep it cheap. */
public interface TrainingListener {

    /** After every optimiser step. */
    void onStep(TrainingProgress progress);

    /** After a checkpoint has been written (and renamed into place). */
    default void onCheckpoint(long step, Path file) {
    }

    /** When a {@link DiffusionTrainer#train} call returns normally. */
    default void onEnd(long step) {
    }
}
