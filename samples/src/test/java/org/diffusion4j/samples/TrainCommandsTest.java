package org.diffusion4j.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import org.diffusion4j.core.training.TrainerConfig;
import org.diffusion4j.core.training.TrainingCheckpoint;
import org.diffusion4j.samples.text.TextTrainCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Each domain's {@code train} command, run for two steps on tiny settings: the run options given on the command line
 * reach the trainer, as its checkpoint records them (the domains' own tests cover what training computes).
 */
class TrainCommandsTest {

    private static final String[] RUN = {"--steps", "2", "--batch", "2", "--seed", "5", "--lr", "3e-4", "--warmup", "1",
        "--ema", "0.5", "--checkpoint-every", "1", "--lr-decay-from", "1"};

    private static TrainerConfig lastCheckpoint(Path runDir) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            TrainingCheckpoint c = TrainingCheckpoint.read(TrainingCheckpoint.latest(runDir.resolve("checkpoints"))
                    .orElseThrow(), m);
            assertEquals(2, c.step(), "the run stopped at --steps");
            return c.config();
        }
    }

    private static void assertRunOptionsReached(TrainerConfig c) {
        assertEquals(5, c.seed());
        assertEquals(3e-4, c.learningRate(), 0.0);
        assertEquals(1, c.warmupSteps());
        assertEquals(0.5, c.emaDecay(), 0.0);
        assertEquals(1, c.checkpointEvery());
        assertEquals(1, c.lrDecayStartStep());
        assertEquals(2, c.lrDecayEndStep(), "the decay ends at --steps");
    }

    private static String[] with(String... extra) {
        String[] all = new String[RUN.length + extra.length];
        System.arraycopy(RUN, 0, all, 0, RUN.length);
        System.arraycopy(extra, 0, all, RUN.length, extra.length);
        return all;
    }

    @Test
    void audioTrain(@TempDir Path dir) throws IOException {
        Path run = dir.resolve("audio");
        int code = new CommandLine(new org.diffusion4j.samples.audio.TrainCommand()).execute(with("--run-dir",
                run.toString(), "--crop-frames", "4", "--data", "../sdk-audio/data/espeak-30/train.txt"));
        assertEquals(0, code);
        assertRunOptionsReached(lastCheckpoint(run));
    }

    @Test
    void imageTrain(@TempDir Path dir) throws IOException {
        Path run = dir.resolve("image");
        int code = new CommandLine(new org.diffusion4j.samples.image.TrainCommand()).execute(with("--run-dir",
                run.toString(), "--mnist-model", "compact"));
        assertEquals(0, code);
        assertRunOptionsReached(lastCheckpoint(run));
    }

    @Test
    void textTrain(@TempDir Path dir) throws IOException {
        Path run = dir.resolve("text");
        int code = new CommandLine(new TextTrainCommand()).execute(with("--run-dir", run.toString(), "--hidden", "16",
                "--layers", "1"));
        assertEquals(0, code);
        assertRunOptionsReached(lastCheckpoint(run));
    }
}
