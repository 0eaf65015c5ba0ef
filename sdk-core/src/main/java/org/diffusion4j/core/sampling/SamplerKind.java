package org.diffusion4j.core.sampling;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.diffusion4j.core.process.GaussianDiffusion;

/**
 * The built-in samplers by name, with the step counts they are usually run at: the one place that maps a
 * configuration or command-line string to a sampler.
 */
public enum SamplerKind {
    /** Ancestral sampling (Ho et al.), all T steps by default. */
    DDPM("ddpm", Integer.MAX_VALUE),
    /** DDIM, η = 0 (deterministic), 50 steps by default. */
    DDIM("ddim", 50),
    /** DDIM, η = 1 (stochastic), 50 steps by default. */
    DDIM_ETA1("ddim-eta1", 50),
    /** DPM-Solver++ 2M, 20 steps by default. */
    DPMPP_2M("dpmpp2m", 20);

    private final String cliName;
    private final int defaultSteps;

    SamplerKind(String cliName, int defaultSteps) {
        this.cliName = cliName;
        this.defaultSteps = defaultSteps;
    }

    /** The name used in configuration and on the command line ("ddpm", "ddim", "ddim-eta1", "dpmpp2m"). */
    public String cliName() {
        return cliName;
    }

    /** The usual number of steps for a T-step process: T for DDPM, 50 for DDIM, 20 for DPM-Solver++ (at most T). */
    public int defaultSteps(int numTimesteps) {
        return Math.min(defaultSteps, numTimesteps);
    }

    /** The kind with this name (case-insensitive). */
    public static SamplerKind fromName(String name) {
        for (SamplerKind k : values()) {
            if (k.cliName.equalsIgnoreCase(name == null ? "" : name.trim())) {
                return k;
            }
        }
        throw new IllegalArgumentException("sampler: expected one of "
                + Arrays.stream(values()).map(SamplerKind::cliName).collect(Collectors.joining(", "))
                + ", got '" + name + "'");
    }

    /**
     * A sampler of this kind over {@code steps} timesteps picked with {@code spacing}; {@code clipDenoised} clamps
     * every predicted x0 to [−1, 1] (for data normalised to that range, such as images).
     */
    public Sampler create(GaussianDiffusion diffusion, int steps, TimestepSpacing spacing, boolean clipDenoised) {
        return switch (this) {
            case DDPM -> DdpmSampler.builder(diffusion).steps(steps).spacing(spacing).clipDenoised(clipDenoised)
                    .build();
            case DDIM -> DdimSampler.builder(diffusion).steps(steps).spacing(spacing).clipDenoised(clipDenoised)
                    .eta(0).build();
            case DDIM_ETA1 -> DdimSampler.builder(diffusion).steps(steps).spacing(spacing)
                    .clipDenoised(clipDenoised).eta(1).build();
            case DPMPP_2M -> DpmSolverPlusPlusSampler.builder(diffusion).steps(steps).spacing(spacing)
                    .clipDenoised(clipDenoised).build();
        };
    }

    @Override
    public String toString() {
        return cliName;
    }
}
