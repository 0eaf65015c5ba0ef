package org.diffusion4j.image.metrics;

import ai.djl.ndarray.NDArray;

/** Maps images [B, C, H, W] in [-1, 1] to feature vectors, one row per image (the FID embedding). */
public interface FeatureExtractor {

    /** Feature rows [B][featureDim()]; any array created is freed before returning. */
    double[][] features(NDArray images);

    int featureDim();
}
