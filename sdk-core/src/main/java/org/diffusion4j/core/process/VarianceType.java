package org.diffusion4j.core.process;

/** The variance Σ_θ(x_t, t) of the reverse step p(x_{t−1} | x_t) (improved-diffusion's {@code ModelVarType}). */
public enum VarianceType {
    /** The posterior variance β̃_t (lower bound of Ho et al.). */
    FIXED_SMALL,
    /** β_t, with β̃_1 at t = 0 (upper bound of Ho et al.). */
    FIXED_LARGE,
    /** The network outputs log Σ directly in the second half of axis 1. */
    LEARNED,
    /** The network outputs v ∈ [−1, 1]; log Σ = ((v+1)/2)·log β_t + (1 − (v+1)/2)·log β̃_t (Nichol & Dhariwal eq. 15). */
    LEARNED_RANGE;

    /** True when the model output carries 2C channels on axis 1. */
    public boolean isLearned() {
        return this == LEARNED || this == LEARNED_RANGE;
    }
}
