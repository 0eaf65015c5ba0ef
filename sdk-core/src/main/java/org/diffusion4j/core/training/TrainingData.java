package org.diffusion4j.core.training;

import ai.djl.ndarray.NDManager;
import java.util.Iterator;
import java.util.Objects;

/**
 * The batches of a training run, addressed by step so that a resumed run sees exactly the batches the
 * uninterrupted run would have seen.
 *
 * <p>Ownership: arrays a source creates in the given step manager are closed with the step; arrays that live in
 * another manager (a data set held in memory) are only lent to the step and returned to their manager after it.
 */
@FunctionalInterface
public interface TrainingData {

    /** The batch of 0-based training step {@code step}. */
    TrainingBatch batch(long step, NDManager stepManager);

    /**
     * Cycles over an iterable, one element per step, starting a new pass when it is exhausted. Asking for a step
     * other than the next one (a resumed run) re-iterates from the start and skips {@code step} elements, so
     * the iterable must yield the same sequence on every pass. Not thread-safe.
     *
     * @throws IllegalArgumentException (at use) if the iterable is empty
     */
    static TrainingData cycling(Iterable<TrainingBatch> batches) {
        Objects.requireNonNull(batches, "batches");
        return new TrainingData() {
            private Iterator<TrainingBatch> it;
            private long next = -1;

            @Override
            public TrainingBatch batch(long step, NDManager stepManager) {
                if (step < 0) {
                    throw new IllegalArgumentException("step: expected a value >= 0, got " + step);
                }
                if (it == null || step != next) {
                    it = batches.iterator();
                    for (long s = 0; s < step; s++) {
                        advance();
                    }
                }
                TrainingBatch b = advance();
                next = step + 1;
                return b;
            }

            private TrainingBatch advance() {
                if (!it.hasNext()) {
                    it = batches.iterator();
                    if (!it.hasNext()) {
                        throw new IllegalArgumentException("batches: expected at least one batch, got an empty iterable");
                    }
                }
                return it.next();
            }
        };
    }
}
