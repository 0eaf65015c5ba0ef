package org.diffusion4j.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TrainerConfigTest {

    @Property(tries = 50)
    void textRoundTripIsExact(@ForAll long seed, @ForAll @IntRange(min = 1, max = 100_000) int lrSteps,
                              @ForAll @IntRange(min = 0, max = 10_000) int warmup,
                              @ForAll @IntRange(min = 0, max = 99_999) int emaSteps,
                              @ForAll @IntRange(min = 0, max = 3_000) int dropSteps) {
        // Values with long binary expansions, so that any lossy formatting would show.
        double lr = lrSteps / 3.0e5;
        double ema = emaSteps / 1.0e5 + 1.0 / 3.0e6;
        double drop = dropSteps / 3.0e3;
        TrainerConfig c = TrainerConfig.builder().seed(seed).learningRate(lr).warmupSteps(warmup).emaDecay(ema)
                .condDropProbability(drop).timestepSampling(TimestepSampling.LOSS_SECOND_MOMENT)
                .checkpointDir(Path.of("/tmp/x y")).checkpointEvery(5).build();
        assertEquals(c, TrainerConfig.fromText(c.toText()));
    }

    @Test
    void warmupIsLinearThenFlat() {
        TrainerConfig c = TrainerConfig.builder().learningRate(0.01).warmupSteps(4).build();
        assertEquals(0.0025, c.learningRateAt(0), 1e-15);
        assertEquals(0.0075, c.learningRateAt(2), 1e-15);
        assertEquals(0.01, c.learningRateAt(3), 1e-15);
        assertEquals(0.01, c.learningRateAt(1000), 1e-15);
        assertEquals(0.01, TrainerConfig.builder().learningRate(0.01).build().learningRateAt(0), 0.0);
    }

    @Test
    void badValuesNameTheArgument() {
        assertMessage("learningRate", () -> TrainerConfig.builder().learningRate(0).build());
        assertMessage("emaDecay", () -> TrainerConfig.builder().emaDecay(1.0).build());
        assertMessage("beta2", () -> TrainerConfig.builder().beta2(Double.NaN).build());
        assertMessage("condDropProbability", () -> TrainerConfig.builder().condDropProbability(1.5).build());
        assertMessage("gradClipNorm", () -> TrainerConfig.builder().gradClipNorm(-1).build());
        assertMessage("keepCheckpoints", () -> TrainerConfig.builder().keepCheckpoints(0).build());
        assertMessage("config", () -> TrainerConfig.fromText("seed=1\n"));
        String text = TrainerConfig.builder().build().toText();
        assertMessage("config", () -> TrainerConfig.fromText(text + "bogus=1\n"));
    }

    private static void assertMessage(String name, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().startsWith(name + ":"), ex.getMessage());
    }
}
