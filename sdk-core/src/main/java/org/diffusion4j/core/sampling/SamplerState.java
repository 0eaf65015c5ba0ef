package org.diffusion4j.core.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The per-run memory of a sampler (diffusers keeps it inside the scheduler; here it is separate so one sampler
 * serves concurrent and repeated runs): how many steps were taken and, for multistep solvers, the previous data
 * prediction and its log-SNR half λ. Arrays kept across steps live in a manager owned by this state, created on
 * the device of the first array kept, and freed by {@link #close()}. Not thread-safe: one state per run.
 */
public final class SamplerState implements AutoCloseable {

    private NDManager manager;
    private NDArray previousX0;
    private double previousLambda = Double.NaN;
    private int stepsTaken;
    private boolean closed;

    SamplerState() {
    }

    /** Steps completed since {@link Sampler#start()} (or the last {@link #reset()}). */
    public int stepsTaken() {
        return stepsTaken;
    }

    /** Forgets the history (used after a RePaint jump, which leaves the solver's trajectory). */
    public void reset() {
        requireOpen();
        if (previousX0 != null) {
            previousX0.close();
            previousX0 = null;
        }
        previousLambda = Double.NaN;
        stepsTaken = 0;
    }

    void advance() {
        requireOpen();
        stepsTaken++;
    }

    NDArray previousX0() {
        return previousX0;
    }

    double previousLambda() {
        return previousLambda;
    }

    /** Keeps {@code x0} (moved into this state's manager) as the history for the next step. */
    void remember(NDArray x0, double lambda) {
        requireOpen();
        if (manager == null) {
            manager = NDManager.newBaseManager(x0.getDevice(), x0.getManager().getEngine().getEngineName());
        }
        if (previousX0 != null && previousX0 != x0) {
            previousX0.close();
        }
        x0.attach(manager);
        previousX0 = x0;
        previousLambda = lambda;
    }

    /** Arrays alive in this state's own manager (the history); for tests of native memory. */
    int liveArrays() {
        return manager == null ? 0 : ((ai.djl.ndarray.BaseNDManager) manager).getManagedArrays().size();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("SamplerState is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        previousX0 = null;
        if (manager != null) {
            manager.close();
            manager = null;
        }
    }
}
