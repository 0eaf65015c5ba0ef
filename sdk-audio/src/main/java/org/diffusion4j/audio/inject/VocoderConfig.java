package org.diffusion4j.audio.inject;

import java.nio.file.Path;
import java.util.Objects;
import org.diffusion4j.audio.metrics.GriffinLim;
import org.diffusion4j.audio.refine.MelConsistencyRefiner;
import org.diffusion4j.audio.vocode.VocoderSource;

/**
 * The configuration value of a vocoder: where its model comes from ({@link VocoderSource}: a shipped model or a model
 * directory, {@code VocoderModel.load}), the step-noise scale η of
 * its sampler (1 = DDPM, lmnt's), the Griffin-Lim iterations of the baseline bound beside it, and the rounds of
 * the {@code MelConsistencyRefiner} bound with it and its momentum, and the mel frames each network call of the vocoder
 * produces at most (longer inputs run in windows with the same output: {@code ChunkedForward}; 0 for the model's
 * default, {@code ChunkedForward.defaultFramesPerCall}).
 */
public record VocoderConfig(VocoderSource model, double eta, int griffinLimIterations, int refineRounds, double refineMomentum,
                            int framesPerCall) {

    public VocoderConfig {
        Objects.requireNonNull(model, "model");
        if (!(eta >= 0 && eta <= 1)) {
            throw new IllegalArgumentException("eta: expected a value in [0, 1], got " + eta);
        }
        if (griffinLimIterations < 1) {
            throw new IllegalArgumentException("griffinLimIterations: expected >= 1, got " + griffinLimIterations);
        }
        if (refineRounds < 1) {
            throw new IllegalArgumentException("refineRounds: expected >= 1, got " + refineRounds);
        }
        if (!(refineMomentum >= 0 && refineMomentum < 1)) {
            throw new IllegalArgumentException("refineMomentum: expected a value in [0, 1), got " + refineMomentum);
        }
        if (framesPerCall < 0) {
            throw new IllegalArgumentException("framesPerCall: expected >= 1, or 0 for the model's default, got " + framesPerCall);
        }
    }

    /**
     * The shipped small vocoder ({@link VocoderSource#shipped()}) with lmnt's sampler (η = 1), torchaudio's 32
     * Griffin-Lim iterations, 100 refinement rounds with momentum 0.9, the model's default frames per network call (0).
     */
    public static VocoderConfig shipped() {
        return of(VocoderSource.shipped());
    }

    /** As {@link #shipped()}, for the model in {@code modelDir}. */
    public static VocoderConfig defaults(Path modelDir) {
        return of(VocoderSource.directory(modelDir));
    }

    /** As {@link #shipped()}, for the model {@code source} names. */
    public static VocoderConfig of(VocoderSource source) {
        return new VocoderConfig(source, 1.0, GriffinLim.DEFAULT_ITERATIONS, 100, MelConsistencyRefiner.DEFAULT_MOMENTUM, 0);
    }

    public VocoderConfig withEta(double value) {
        return new VocoderConfig(model, value, griffinLimIterations, refineRounds, refineMomentum, framesPerCall);
    }

    public VocoderConfig withGriffinLimIterations(int value) {
        return new VocoderConfig(model, eta, value, refineRounds, refineMomentum, framesPerCall);
    }

    public VocoderConfig withRefineRounds(int value) {
        return new VocoderConfig(model, eta, griffinLimIterations, value, refineMomentum, framesPerCall);
    }

    public VocoderConfig withRefineMomentum(double value) {
        return new VocoderConfig(model, eta, griffinLimIterations, refineRounds, value, framesPerCall);
    }

    public VocoderConfig withFramesPerCall(int value) {
        return new VocoderConfig(model, eta, griffinLimIterations, refineRounds, refineMomentum, value);
    }
}
