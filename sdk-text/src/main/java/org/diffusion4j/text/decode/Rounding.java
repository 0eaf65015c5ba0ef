package org.diffusion4j.text.decode;

/** How the final latent becomes words (Li et al. 2022 §4.2). */
public enum Rounding {
    /** Nearest word embedding by L2 (the release's {@code rounding_func}); the default. */
    NEAREST,
    /** argmax of the rounding head's logits x·Eᵀ + b (the paper's p_θ(w | x0), DiffuSeq). */
    ARGMAX
}
