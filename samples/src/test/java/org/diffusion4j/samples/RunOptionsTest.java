package org.diffusion4j.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import org.diffusion4j.audio.train.WaveGradTraining;
import org.diffusion4j.core.training.RunSettings;
import org.diffusion4j.image.train.ImageDiffusionTraining;
import org.diffusion4j.samples.audio.TrainCommand;
import org.diffusion4j.samples.text.TextTrainCommand;
import org.diffusion4j.text.train.TrainingSettings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RunOptionsTest {

    /** A train command and its domain's recipe; each parse gets a new command, as each CLI run does. */
    private record Case(Supplier<Object> factory, RunSettings recipe) {
        Object command() {
            return factory.get();
        }
    }

    private static List<Case> trainCommands() {
        return List.of(new Case(TrainCommand::new, WaveGradTraining.Options.LMNT_RUN),
                new Case(TextTrainCommand::new, TrainingSettings.E2E_RUN),
                new Case(org.diffusion4j.samples.image.TrainCommand::new, ImageDiffusionTraining.MNIST_RUN));
    }

    private static RunOptions parse(Object command, String... args) {
        CommandLine cl = new CommandLine(command);
        cl.parseArgs(args);
        return (RunOptions) cl.getMixins().get("run");
    }

    @Test
    void eachTrainCommandStartsFromItsDomainsRecipeAndPrintsIt() {
        for (Case c : trainCommands()) {
            Object command = c.command();
            assertEquals(c.recipe(), parse(command).settings(c.recipe()), command.getClass().getName());
            String help = new CommandLine(c.command()).getUsageMessage(CommandLine.Help.Ansi.OFF).replaceAll("\\s+", " ");
            RunSettings r = c.recipe();
            for (String expected : List.of("(default: " + r.steps() + ")", "(default: " + r.learningRate() + ")",
                    "(default: " + r.emaDecay() + ")", "(default: " + r.checkpointEvery() + ")")) {
                assertTrue(help.contains(expected), command.getClass().getSimpleName() + " help lacks " + expected);
            }
        }
    }

    @Test
    void givenOptionsReplaceTheRecipesValues() {
        for (Case c : trainCommands()) {
            RunSettings got = parse(c.command(), "--steps", "120", "--batch", "3", "--seed", "9", "--lr", "1e-3",
                    "--warmup", "7", "--ema", "0.5", "--checkpoint-every", "11", "--lr-decay-from", "100")
                    .settings(c.recipe());
            assertEquals(RunSettings.builder().steps(120).batchSize(3).seed(9).learningRate(1e-3).warmupSteps(7)
                    .emaDecay(0.5).checkpointEvery(11).lrDecayFrom(100).build(), got);
            RunSettings one = parse(c.command(), "--lr", "5e-5").settings(c.recipe());
            assertEquals(c.recipe().with(b -> b.learningRate(5e-5)), one, "only --lr changed");
        }
    }

    @Test
    void aDecayOutsideTheRunIsRefusedNamingTheOption() {
        for (Case c : trainCommands()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> parse(c.command(), "--steps", "50", "--lr-decay-from", "50").settings(c.recipe()));
            assertTrue(e.getMessage().startsWith("--lr-decay-from: expected a step in [0, --steps = 50)"), e.getMessage());
        }
    }
}
