package org.diffusion4j.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.function.UnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class RunSettingsTest {

    /**
     * The trainer's learning rate at every step of a run is what the settings describe, computed here from the
     * definition: η·min(1, (s + 1)/w), times (steps − s)/(steps − from) from the decay's first step and 0 from the
     * run's last step on.
     */
    @Property(tries = 60)
    void trainerConfigFollowsTheDescribedLearningRate(@ForAll @IntRange(min = 1, max = 5_000) int steps,
                                                      @ForAll @IntRange(min = 0, max = 300) int warmup,
                                                      @ForAll @IntRange(min = -1, max = 4_999) int from,
                                                      @ForAll @LongRange(min = 0, max = 6_000) long s) {
        long decayFrom = from >= steps ? RunSettings.NO_DECAY : from;
        double lr = 3e-4;
        RunSettings r = RunSettings.builder().steps(steps).warmupSteps(warmup).learningRate(lr).lrDecayFrom(decayFrom)
                .build();
        TrainerConfig c = r.trainerConfig(Path.of("ckpt")).build();
        double warm = warmup == 0 ? 1 : Math.min(1.0, (s + 1) / (double) warmup);
        double decay = 1;
        if (decayFrom >= 0 && s >= decayFrom) {
            decay = s >= steps ? 0 : (steps - s) / (double) (steps - decayFrom);
        }
        assertEquals(lr * warm * decay, c.learningRateAt(s), 1e-15);
        assertEquals(decayFrom >= 0, r.decaysLearningRate());
    }

    @Test
    void trainerConfigCarriesEverySettingItHolds() {
        RunSettings r = RunSettings.builder().seed(-7).steps(900).batchSize(5).learningRate(1.5e-3).warmupSteps(11)
                .emaDecay(0.97).checkpointEvery(13).lrDecayFrom(400).build();
        TrainerConfig c = r.trainerConfig(Path.of("run", "checkpoints")).build();
        assertEquals(-7, c.seed());
        assertEquals(1.5e-3, c.learningRate(), 0.0);
        assertEquals(11, c.warmupSteps());
        assertEquals(0.97, c.emaDecay(), 0.0);
        assertEquals(Path.of("run", "checkpoints"), c.checkpointDir());
        assertEquals(13, c.checkpointEvery());
        assertEquals(400, c.lrDecayStartStep());
        assertEquals(900, c.lrDecayEndStep());
        TrainerConfig constant = r.with(b -> b.lrDecayFrom(RunSettings.NO_DECAY)).trainerConfig(Path.of("c")).build();
        assertEquals(0, constant.lrDecayEndStep(), "no decay is TrainerConfig's end step 0");
        assertFalse(constant.decayedToZeroAt(1_000_000));
    }

    @Test
    void builderRoundTripsAndEditsOneSettingAtATime() {
        RunSettings r = RunSettings.builder().seed(3).steps(50).batchSize(2).learningRate(0.1).warmupSteps(0)
                .emaDecay(0).checkpointEvery(1).lrDecayFrom(0).build();
        assertEquals(r, r.toBuilder().build());
        RunSettings longer = r.with(b -> b.steps(80));
        assertEquals(80, longer.steps());
        assertEquals(r, longer.with(b -> b.steps(50)), "only the edited setting changed");
    }

    @Test
    void refusesEachBadSettingByName() {
        expectRefusal(b -> b.steps(-1), "steps");
        expectRefusal(b -> b.batchSize(0), "batchSize");
        expectRefusal(b -> b.learningRate(0), "learningRate");
        expectRefusal(b -> b.learningRate(Double.NaN), "learningRate");
        expectRefusal(b -> b.learningRate(Double.POSITIVE_INFINITY), "learningRate");
        expectRefusal(b -> b.warmupSteps(-1), "warmupSteps");
        expectRefusal(b -> b.emaDecay(1), "emaDecay");
        expectRefusal(b -> b.emaDecay(-0.1), "emaDecay");
        expectRefusal(b -> b.checkpointEvery(0), "checkpointEvery");
        expectRefusal(b -> b.steps(100).lrDecayFrom(100), "lrDecayFrom");
        expectRefusal(b -> b.steps(100).lrDecayFrom(-2), "lrDecayFrom");
        assertThrows(NullPointerException.class, () -> RunSettings.builder().build().trainerConfig(null));
    }

    private static void expectRefusal(UnaryOperator<RunSettings.Builder> edit, String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> edit.apply(RunSettings.builder()).build());
        assertTrue(e.getMessage().startsWith(name + ": expected"), e.getMessage());
    }
}
