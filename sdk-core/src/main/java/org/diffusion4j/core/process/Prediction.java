package org.diffusion4j.core.process;

/** What the network predicts (improved-diffusion's {@code ModelMeanType}; v as in Salimans & Ho 2022). */
public enum Prediction {
    /** The noise ε that was added: x_t = √ᾱ_t·x0 + √(1−ᾱ_t)·ε. */
    EPSILON,
    /** The clean sample x0 directly. */
    X0,
    /** The velocity v = √ᾱ_t·ε − √(1−ᾱ_t)·x0. */
    V
}
