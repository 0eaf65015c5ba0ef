package org.diffusion4j.core.training;

/**
 * Thrown when a training step produces a non-finite loss or gradient norm. The parameters, EMA and optimiser
 * state are left as they were after the previous step, and no checkpoint is written for the failed step.
 */
public final class NonFiniteLossException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final long step;

    public NonFiniteLossException(long step, String what, double value) {
        super("non-finite " + what + " " + value + " at training step " + step
                + " (0-based; the last checkpoint before it is intact)");
        this.step = step;
    }

    /** The 0-based step whose loss or gradient was not finite. */
    public long step() {
        return step;
    }
}
