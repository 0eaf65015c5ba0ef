package org.diffusion4j.core.process;

/** Training objective (improved-diffusion's {@code LossType}). */
public enum LossType {
    /** L_simple (plus the stop-gradient L_vlb term when the variance is learned: L_hybrid). */
    MSE,
    /** As MSE, with the L_vlb term scaled by T/1000 (improved-diffusion's {@code rescale_learned_sigmas}). */
    RESCALED_MSE,
    /** The variational bound L_vlb in bits. */
    KL,
    /** L_vlb multiplied by T, so its scale does not shrink with the number of steps. */
    RESCALED_KL;

    /** True for the variational-bound objectives. */
    public boolean isVb() {
        return this == KL || this == RESCALED_KL;
    }
}
