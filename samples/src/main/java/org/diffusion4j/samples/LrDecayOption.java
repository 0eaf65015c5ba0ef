package org.diffusion4j.samples;

import picocli.CommandLine.Option;

/**
 * The learning-rate decay option every {@code train} command shares (a picocli mixin): a linear decay to 0 at the
 * run's last step ({@code core.training.TrainerConfig.lrDecay}).
 */
public final class LrDecayOption {

    @Option(names = "--lr-decay-from", paramLabel = "STEP", description = "decay the learning rate linearly from this "
            + "step to 0 at --steps (0: improved-diffusion's lr_anneal_steps; a later step anneals a run resumed at "
            + "constant rate, with --change-settings); default: constant after the warm-up")
    Long from;

    /**
     * The step the decay starts at, or −1 for a constant learning rate.
     *
     * @throws IllegalArgumentException if the step is not in [0, steps), the run's last step being where η reaches 0
     */
    public long fromOrNone(long steps) {
        if (from == null) {
            return -1;
        }
        if (from < 0 || from >= steps) {
            throw new IllegalArgumentException("--lr-decay-from: expected a step in [0, --steps = " + steps + "), got "
                    + from);
        }
        return from;
    }
}
