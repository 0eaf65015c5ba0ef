package org.diffusion4j.core.schedule;

/** The named schedule families, for configuration files and dependency injection. */
public enum ScheduleKind {
    LINEAR,
    COSINE,
    SQRT;

    /** Builds the T-step schedule of this family. */
    public NoiseSchedule create(int numTimesteps) {
        return switch (this) {
            case LINEAR -> NoiseSchedule.linear(numTimesteps);
            case COSINE -> NoiseSchedule.cosine(numTimesteps);
            case SQRT -> NoiseSchedule.sqrt(numTimesteps);
        };
    }
}
