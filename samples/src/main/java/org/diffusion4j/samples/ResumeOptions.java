package org.diffusion4j.samples;

import picocli.CommandLine.Option;

/**
 * The resume option every {@code train} command shares (a picocli mixin). A training run resumes from its newest
 * checkpoint and refuses settings other than those it was started with; this option lets the ones in
 * {@code core.training.TrainerConfig.CHANGEABLE_ON_RESUME} change.
 */
public final class ResumeOptions {

    @Option(names = "--change-settings", description = "when resuming, continue with this command's learning rate, "
            + "warm-up, learning-rate decay and checkpoint settings even where the run was started with others (e.g. a lower learning "
            + "rate at the end); every other setting must still match the run")
    boolean changeSettings;

    /** Whether the command may resume with another learning rate, warm-up or checkpoint interval. */
    public boolean allowSettingChanges() {
        return changeSettings;
    }
}
