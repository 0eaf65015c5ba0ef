package org.diffusion4j.core.sampling;

import ai.djl.ndarray.NDArray;

/**
 * Observes a sampling run (a CLI adapts it to a progress bar). All methods default to doing nothing. The loop
 * copies nothing to the host for a listener; one that wants the intermediate samples says so with
 * {@link #wantsSamples()} and may read x (valid only during the call, in the step's scope).
 */
public interface SamplingListener {

    /** A listener that ignores everything. */
    SamplingListener NONE = new SamplingListener() {
    };

    /** Called once before the first network evaluation with the number of evaluations the run will make. */
    default void onStart(int totalSteps) {
    }

    /**
     * Called after each step.
     *
     * @param index 0-based count of completed evaluations
     * @param t     the timestep the step started from
     * @param x     the new sample when {@link #wantsSamples()} is true, else null
     */
    default void onStep(int index, int t, NDArray x) {
    }

    /** Called once after the last step (also when the run fails). */
    default void onEnd() {
    }

    /** Whether {@link #onStep} should receive the sample. */
    default boolean wantsSamples() {
        return false;
    }
}
