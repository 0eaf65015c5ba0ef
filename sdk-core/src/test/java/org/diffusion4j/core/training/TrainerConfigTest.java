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
                .checkpointDir(Path.of("/tmp/x y")).checkpointEvery(5).lrDecay(warmup, warmup + lrSteps).build();
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
    void decayFromStepZeroIsImprovedDiffusionsAnneal() {
        // improved-diffusion's _anneal_lr: lr = η·(1 − step/lr_anneal_steps), step counting completed steps.
        double eta = 6e-4;
        int anneal = 1000;
        TrainerConfig c = TrainerConfig.builder().learningRate(eta).lrDecay(0, anneal).build();
        for (int s : new int[] {0, 1, 250, 999}) {
            assertEquals(eta * (1.0 - (double) s / anneal), c.learningRateAt(s), 1e-18, "step " + s);
        }
        assertEquals(0.0, c.learningRateAt(1000), 0.0);
        assertEquals(0.0, c.learningRateAt(5000), 0.0);
        assertTrue(c.decayedToZeroAt(1000) && !c.decayedToZeroAt(999));
    }

    @Test
    void lateDecayContinuesFromTheConstantRateWithoutAJump() {
        TrainerConfig c = TrainerConfig.builder().learningRate(0.01).warmupSteps(4).lrDecay(30_000, 34_000).build();
        assertEquals(0.0025, c.learningRateAt(0), 1e-15);
        assertEquals(0.01, c.learningRateAt(29_999), 1e-15);
        assertEquals(0.01, c.learningRateAt(30_000), 1e-15);
        assertEquals(0.005, c.learningRateAt(32_000), 1e-15);
        assertEquals(0.01 * 1 / 4000.0, c.learningRateAt(33_999), 1e-15);
        assertTrue(!TrainerConfig.builder().build().decayedToZeroAt(Long.MAX_VALUE), "no decay by default");
    }

    @Test
    void checkpointsWrittenBeforeTheDecayExistedStillLoad() {
        String text = TrainerConfig.builder().learningRate(0.003).build().toText();
        String old = text.replaceAll("(?m)^lrDecay(Start|End)Step=.*\n", "");
        assertTrue(!old.contains("lrDecay"), old);
        TrainerConfig c = TrainerConfig.fromText(old);
        assertEquals(0.003, c.learningRateAt(1_000_000), 0.0);
        assertEquals(TrainerConfig.builder().learningRate(0.003).build(), c);
    }

    @Test
    void badValuesNameTheArgument() {
        assertMessage("lrDecayStartStep", () -> TrainerConfig.builder().lrDecay(-1, 10).build());
        assertMessage("lrDecayEndStep", () -> TrainerConfig.builder().lrDecay(10, 10).build());
        assertMessage("lrDecayEndStep", () -> TrainerConfig.builder().lrDecay(10, 5).build());
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
