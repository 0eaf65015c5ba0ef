package org.diffusion4j.core.training;

/** How the trainer draws the timestep t of each training example (improved-diffusion's {@code resample.py}). */
public enum TimestepSampling {
    /** t ~ U{0, …, T−1}, every example weighted 1. */
    UNIFORM,
    /**
     * Importance sampling by the loss' second moment (Nichol & Dhariwal 2021 §3.3, improved-diffusion's
     * {@code LossSecondMomentResampler}): p_t ∝ √E[L_t²] over the last losses seen at t, mixed with a small uniform
     * probability, and each example weighted 1/(T·p_t) so the weighted loss stays an unbiased estimate of the mean
     * over uniform t. Uniform until every t has a full history. Meant for the VLB objectives, whose terms differ by
     * orders of magnitude across t.
     */
    LOSS_SECOND_MOMENT
}
