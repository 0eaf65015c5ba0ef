package org.diffusion4j.text.decode;

import java.util.Objects;
import org.diffusion4j.text.control.FieldClassifier;

/**
 * Plug-and-play content control (Li et al. 2022 §5.1; the release's {@code infill_util.langevin_fn3}): after each
 * sampler step, {@code updates} signed-gradient steps of size {@code stepSize} on x_{t−1} against
 * −log p_φ(c | x_{t−1}) + λ·Σ(μ − x_{t−1})²/σ, where μ, σ are the step's mean and noise scale (σ → 1 when 0). The
 * release re-creates torch's Adagrad each inner step, whose first update is exactly lr·sign(g). No updates at
 * t &lt; {@code minTimestep} (the release skips t &lt; 10).
 *
 * @param classifier  the t-aware field classifier
 * @param value       the requested value (must be one of the classifier's)
 * @param lambda      fluency weight λ (release: 0.01 for semantic content)
 * @param stepSize    signed step size (release: Adagrad lr 0.1)
 * @param updates     updates per diffusion step (release: 3)
 * @param minTimestep no guidance below this training-schedule timestep
 */
public record SemanticGuidance(FieldClassifier classifier, String value, double lambda, double stepSize, int updates,
        int minTimestep) {

    public SemanticGuidance {
        Objects.requireNonNull(classifier, "classifier");
        classifier.classIndex(value);
        if (!(lambda >= 0) || !(stepSize > 0) || updates < 0 || minTimestep < 0) {
            throw new IllegalArgumentException("guidance: expected lambda >= 0, stepSize > 0, updates >= 0, minTimestep >= 0, got "
                    + lambda + ", " + stepSize + ", " + updates + ", " + minTimestep);
        }
    }

    /** The release's settings: λ = 0.01, step 0.1, 3 updates, none below t = 10 (of T = 2,000 here). */
    public static SemanticGuidance of(FieldClassifier classifier, String value) {
        return new SemanticGuidance(classifier, value, 0.01, 0.1, 3, 10);
    }
}
