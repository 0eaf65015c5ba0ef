package org.diffusion4j.audio.vocode;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.diffusion4j.audio.mel.MelRecipe;
import org.diffusion4j.audio.mel.MelSpectrogram;
import org.diffusion4j.audio.model.WaveGrad;
import org.diffusion4j.audio.model.WaveGradCheckpoint;
import org.diffusion4j.audio.schedule.InferenceSchedule;

/**
 * A model directory as shipped ({@code sdk-audio/models/wavegrad-small/}) or exported by training: the
 * {@link WaveGradCheckpoint} files plus optional searched schedules {@code schedule-<steps>.txt}
 * ({@link InferenceSchedule#save} format). {@link #schedule(int)} prefers a schedule searched for this model and
 * falls back on the generic ones.
 */
public record VocoderModel(Path dir, WaveGrad model, MelRecipe recipe) {

    public VocoderModel {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(recipe, "recipe");
    }

    /** Loads the weights; the recipe stored with them becomes the model's recipe. */
    public static VocoderModel load(Path dir, NDManager manager) throws IOException {
        MelRecipe recipe = WaveGradCheckpoint.readMetadata(dir).recipe();
        return new VocoderModel(dir, WaveGradCheckpoint.load(dir, manager, recipe), recipe);
    }

    /** The mel front end the model was trained with. */
    public MelSpectrogram melSpectrogram() {
        return new MelSpectrogram(recipe);
    }

    /** Where a searched schedule of this many steps lives. */
    public static Path scheduleFile(Path dir, int steps) {
        return dir.resolve("schedule-" + steps + ".txt");
    }

    /**
     * The schedule for a step count: {@code schedule-<steps>.txt} in the model directory when present, else
     * train-1000 (1000), linear-50 (50), Fibonacci-25 (25) or ivanvovk's 6-step schedule (6).
     *
     * @throws IllegalArgumentException for another count without a searched schedule file
     */
    public InferenceSchedule schedule(int steps) throws IOException {
        Path file = scheduleFile(dir, steps);
        if (Files.exists(file)) {
            InferenceSchedule s = InferenceSchedule.load(file);
            if (s.steps() != steps) {
                throw new IOException(file + ": expected " + steps + " steps, got " + s.steps());
            }
            return s;
        }
        return switch (steps) {
            case 1000 -> InferenceSchedule.train1000();
            case 50 -> InferenceSchedule.linear50();
            case 25 -> InferenceSchedule.fibonacci25();
            case 6 -> InferenceSchedule.ivanvovk6();
            default -> throw new IllegalArgumentException("steps: expected 6, 25, 50 or 1000 (or a " + file.getFileName()
                    + " in " + dir + "), got " + steps);
        };
    }
}
