package org.diffusion4j.core.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.diffusion4j.core.process.GaussianDiffusion;
import org.diffusion4j.core.schedule.NoiseSchedule;
import org.junit.jupiter.api.Test;

class SamplerKindTest {

    private final GaussianDiffusion diffusion = GaussianDiffusion.builder().schedule(NoiseSchedule.linear(1000)).build();

    @Test
    void namesMapToTheirSamplersWithTheRequestedTimesteps() {
        assertInstanceOf(DdpmSampler.class, SamplerKind.fromName("DDPM").create(diffusion, 100, TimestepSpacing.TRAILING, true));
        assertInstanceOf(DdimSampler.class, SamplerKind.fromName("ddim").create(diffusion, 50, TimestepSpacing.LEADING, false));
        assertInstanceOf(DdimSampler.class, SamplerKind.fromName(" ddim-eta1 ").create(diffusion, 50, TimestepSpacing.LEADING, false));
        Sampler dpm = SamplerKind.fromName("dpmpp2m").create(diffusion, 20, TimestepSpacing.LINSPACE, false);
        assertInstanceOf(DpmSolverPlusPlusSampler.class, dpm);
        assertArrayEquals(TimestepSpacing.LINSPACE.select(1000, 20), dpm.timesteps());
    }

    @Test
    void defaultStepsAreCappedByTheProcessLength() {
        assertEquals(1000, SamplerKind.DDPM.defaultSteps(1000));
        assertEquals(50, SamplerKind.DDIM.defaultSteps(1000));
        assertEquals(20, SamplerKind.DPMPP_2M.defaultSteps(1000));
        assertEquals(10, SamplerKind.DPMPP_2M.defaultSteps(10));
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SamplerKind.fromName("euler"));
        assertTrue(e.getMessage().contains("euler") && e.getMessage().contains("dpmpp2m")
                && e.getMessage().contains("ddim-eta1"), e.getMessage());
    }
}
