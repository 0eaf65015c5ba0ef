package org.diffusion4j.core.inject;

import java.util.Objects;
import org.diffusion4j.core.process.GaussianDiffusion;
import org.diffusion4j.core.process.LossType;
import org.diffusion4j.core.process.Prediction;
import org.diffusion4j.core.process.VarianceType;
import org.diffusion4j.core.schedule.NoiseSchedule;
import org.diffusion4j.core.schedule.ScheduleKind;

/**
 * The configuration value of a diffusion process: schedule family and T, optional respacing spec
 * (improved-diffusion's "timestep_respacing", empty for none), prediction, variance and loss.
 */
public record DiffusionConfig(ScheduleKind schedule, int numTimesteps, String respacing, Prediction prediction,
                              VarianceType variance, LossType loss) {

    public DiffusionConfig {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(prediction, "prediction");
        Objects.requireNonNull(variance, "variance");
        Objects.requireNonNull(loss, "loss");
        respacing = respacing == null ? "" : respacing.trim();
        if (numTimesteps < 1) {
            throw new IllegalArgumentException("numTimesteps: expected T >= 1, got " + numTimesteps);
        }
    }

    /** Ho et al.'s setting: linear schedule, T = 1000, ε prediction, fixed small variance, L_simple. */
    public static DiffusionConfig ddpmDefaults() {
        return new DiffusionConfig(ScheduleKind.LINEAR, 1000, "", Prediction.EPSILON, VarianceType.FIXED_SMALL,
                LossType.MSE);
    }

    /** The schedule this configuration describes (respaced when a spec is given). */
    public NoiseSchedule buildSchedule() {
        NoiseSchedule base = schedule.create(numTimesteps);
        return respacing.isEmpty() ? base : base.respace(respacing);
    }

    /** The process this configuration describes. */
    public GaussianDiffusion buildDiffusion() {
        return GaussianDiffusion.builder().schedule(buildSchedule()).prediction(prediction).variance(variance)
                .loss(loss).build();
    }
}
