package org.diffusion4j.audio.vocode;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.diffusion4j.audio.mel.MelRecipe;
import org.diffusion4j.audio.mel.MelSpectrogram;
import org.diffusion4j.audio.model.WaveGrad;
import org.diffusion4j.audio.model.WaveGradCheckpoint;
import org.diffusion4j.audio.model.WaveGradWeights;
import org.diffusion4j.audio.schedule.InferenceSchedule;

/**
 * A vocoder as shipped or exported by training: the {@link WaveGradCheckpoint} files plus the schedules searched for it,
 * {@code schedule-<steps>.txt} ({@link InferenceSchedule#save} format), all read when it is loaded. {@link #schedule(int)}
 * prefers a schedule searched for this model and falls back on the generic ones.
 *
 * @param source   where it was loaded from
 * @param searched the searched schedules by step count
 */
public record VocoderModel(VocoderSource source, WaveGrad model, MelRecipe recipe,
                           Map<Integer, InferenceSchedule> searched) {

    private static final Pattern SCHEDULE_FILE = Pattern.compile("schedule-(\\d+)\\.txt");
    /** Step counts probed for a shipped model's searched schedules (a classpath folder cannot be listed). */
    private static final int MAX_SHIPPED_SCHEDULE_STEPS = 1000;

    public VocoderModel {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(recipe, "recipe");
        searched = Map.copyOf(Objects.requireNonNull(searched, "searched"));
    }

    /** Loads a model from wherever {@code source} points. */
    public static VocoderModel load(VocoderSource source, NDManager manager) throws IOException {
        return source.isShipped() ? loadShipped(source.shippedName(), manager) : load(source.dir(), manager);
    }

    /** Loads a model directory; the recipe stored with the weights becomes the model's recipe. */
    public static VocoderModel load(Path dir, NDManager manager) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir.toAbsolutePath() + ": expected a model directory, "
                    + (Files.exists(dir) ? "got a file" : "found nothing there"));
        }
        MelRecipe recipe = WaveGradCheckpoint.readMetadata(dir).recipe();
        WaveGrad model = WaveGradCheckpoint.load(dir, manager, recipe);
        Map<Integer, InferenceSchedule> searched = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Matcher m = SCHEDULE_FILE.matcher(f.getFileName().toString());
                if (m.matches()) {
                    searched.put(Integer.parseInt(m.group(1)), checkedSteps(InferenceSchedule.load(f), m.group(1), f));
                }
            }
        }
        return new VocoderModel(VocoderSource.directory(dir), model, recipe, searched);
    }

    /**
     * The network config and mel recipe of the model {@code source} names, without its weights (what a mel front end
     * needs).
     */
    public static WaveGradCheckpoint readMetadata(VocoderSource source) throws IOException {
        if (!source.isShipped()) {
            return WaveGradCheckpoint.readMetadata(source.dir());
        }
        String file = source.resourceFolder() + WaveGradCheckpoint.META;
        try (InputStream in = resource(file)) {
            return WaveGradCheckpoint.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IOException("classpath:" + file + ": " + e.getMessage(), e);
        }
    }

    /** Loads one of the models shipped in sdk-audio's jar ({@link VocoderSource#SHIPPED}). */
    public static VocoderModel loadShipped(String name, NDManager manager) throws IOException {
        VocoderSource source = VocoderSource.shipped(name);
        String folder = source.resourceFolder();
        WaveGradCheckpoint meta = readMetadata(source);
        WaveGrad model = new WaveGrad(meta.config());
        model.initialize(manager, DataType.FLOAT32);
        try (InputStream in = resource(folder + WaveGradCheckpoint.WEIGHTS)) {
            WaveGradWeights.load(model, in, "classpath:" + folder + WaveGradCheckpoint.WEIGHTS);
        }
        Map<Integer, InferenceSchedule> searched = new TreeMap<>();
        for (int steps = 1; steps <= MAX_SHIPPED_SCHEDULE_STEPS; steps++) {
            String file = folder + "schedule-" + steps + ".txt";
            if (VocoderModel.class.getResource(file) != null) {
                try (InputStream in = resource(file)) {
                    InferenceSchedule s = InferenceSchedule.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    searched.put(steps, checkedSteps(s, Integer.toString(steps), "classpath:" + file));
                } catch (IllegalArgumentException e) {
                    throw new IOException("classpath:" + file + ": " + e.getMessage(), e);
                }
            }
        }
        return new VocoderModel(source, model, meta.recipe(), searched);
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = VocoderModel.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException("classpath:" + name + ": the shipped model file is missing from the class path "
                    + "(is sdk-audio's jar on it?)");
        }
        return in;
    }

    private static InferenceSchedule checkedSteps(InferenceSchedule s, String steps, Object file) throws IOException {
        if (s.steps() != Integer.parseInt(steps)) {
            throw new IOException(file + ": expected " + steps + " steps, got " + s.steps());
        }
        return s;
    }

    /** The mel front end the model was trained with. */
    public MelSpectrogram melSpectrogram() {
        return new MelSpectrogram(recipe);
    }

    /** Where a searched schedule of this many steps lives in a model directory. */
    public static Path scheduleFile(Path dir, int steps) {
        return dir.resolve("schedule-" + steps + ".txt");
    }

    /**
     * The schedule for a step count: the one searched for this model when it has one, else train-1000 (1000),
     * linear-50 (50), Fibonacci-25 (25) or ivanvovk's 6-step schedule (6).
     *
     * @throws IllegalArgumentException for another count without a searched schedule
     */
    public InferenceSchedule schedule(int steps) {
        InferenceSchedule own = searched.get(steps);
        if (own != null) {
            return own;
        }
        return switch (steps) {
            case 1000 -> InferenceSchedule.train1000();
            case 50 -> InferenceSchedule.linear50();
            case 25 -> InferenceSchedule.fibonacci25();
            case 6 -> InferenceSchedule.ivanvovk6();
            default -> throw new IllegalArgumentException("steps: expected 6, 25, 50 or 1000, or a count with a searched "
                    + "schedule (" + (searched.isEmpty() ? "none" : searched.keySet()) + " for " + source + "), got "
                    + steps + " (search one with `samples audio schedule-search --steps " + steps + "`)");
        };
    }
}
