package org.diffusion4j.text.decode;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.diffusion4j.core.process.GaussianDiffusion;
import org.diffusion4j.core.sampling.DdimSampler;
import org.diffusion4j.core.sampling.DdpmSampler;
import org.diffusion4j.core.sampling.DpmSolverPlusPlusSampler;
import org.diffusion4j.core.sampling.Sampler;
import org.diffusion4j.core.sampling.TimestepSpacing;

/** The sdk-core samplers text decoding offers, by command-line name. */
public enum SamplerKind {
    /** Ancestral sampling (Ho et al. 2020), respaced when fewer than T steps are asked for. */
    DDPM("ddpm"),
    /** DDIM with η = 1, as Diffusion-LM's control scripts run it. */
    DDIM("ddim"),
    /** DPM-Solver++(2M), deterministic multistep (Lu et al. 2022). */
    DPMPP2M("dpmpp2m");

    private final String cliName;

    SamplerKind(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** Parses a command-line name; unknown names fail with the known ones listed. */
    public static SamplerKind parse(String name) {
        for (SamplerKind k : values()) {
            if (k.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("sampler: expected one of "
                + Arrays.stream(values()).map(SamplerKind::cliName).toList() + ", got '" + name + "'");
    }

    /**
     * The sampler over {@code steps} timesteps. Fewer-step runs use trailing spacing so that the first step is at
     * t = T − 1 where x_T ~ N(0, I) is right (with the sqrt schedule ᾱ is still 0.025 at t = 0.95·T).
     *
     * @param x0Transform the clamping step applied to every predicted x̂0, or null
     */
    public Sampler build(GaussianDiffusion diffusion, int steps, UnaryOperator<NDArray> x0Transform) {
        return switch (this) {
            case DDPM -> DdpmSampler.builder(diffusion).steps(steps).spacing(TimestepSpacing.TRAILING)
                    .x0Transform(x0Transform).build();
            case DDIM -> DdimSampler.builder(diffusion).steps(steps).spacing(TimestepSpacing.TRAILING).eta(1.0)
                    .x0Transform(x0Transform).build();
            case DPMPP2M -> DpmSolverPlusPlusSampler.builder(diffusion).steps(steps).spacing(TimestepSpacing.TRAILING)
                    .x0Transform(x0Transform).build();
        };
    }
}
