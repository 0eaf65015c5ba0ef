package org.diffusion4j.samples.audio;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.diffusion4j.audio.data.VocoderDataset;
import org.diffusion4j.audio.eval.ScheduleSearch;
import org.diffusion4j.audio.schedule.InferenceSchedule;
import org.diffusion4j.audio.schedule.ScheduleGridSearch;
import org.diffusion4j.audio.vocode.VocoderModel;
import org.diffusion4j.audio.vocode.VocoderSource;
import org.diffusion4j.audio.vocode.WaveGradVocoder;
import org.diffusion4j.samples.NativeSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The paper's grid search of a short schedule, scored by log-mel distance on clips the model never trained on. By
 * default those are the validation clips, not the held-out clips {@code audio eval} reports on, so the reported
 * figures of the schedule it finds carry no selection bias.
 */
@Command(name = "schedule-search", mixinStandardHelpOptions = true,
        description = "Grid-search an N-step schedule (mantissa x decade per step) by log-mel distance on clips the model "
                + "never trained on (the validation clips, kept apart from the ones audio eval reports on).")
public final class ScheduleSearchCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = AudioCommand.DEFAULT_MODEL, description = AudioCommand.MODEL_HELP)
    String model;

    @Option(names = "--clips", defaultValue = AudioCommand.DEFAULT_VALIDATION,
            description = "clip list to score the candidates on (default: ${DEFAULT-VALUE})")
    Path clips;

    @Option(names = "--steps", defaultValue = "6", description = "schedule length (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--mantissas", split = ",", defaultValue = "1,2,3,4,5,6,7,8,9",
            description = "per-step mantissas; the grid has |mantissas|^steps candidates (default: ${DEFAULT-VALUE})")
    double[] mantissas;

    @Option(names = "--min-exponent", defaultValue = "-6", description = "decade of the first step (default: ${DEFAULT-VALUE})")
    double minExponent;

    @Option(names = "--max-exponent", defaultValue = "-1", description = "decade of the last step (default: ${DEFAULT-VALUE})")
    double maxExponent;

    @Option(names = "--max-frames", defaultValue = "40", description = "score each clip's first N mel frames (default: ${DEFAULT-VALUE})")
    int maxFrames;

    @Option(names = "--seed", defaultValue = "0", description = "sampling seed, the same for every candidate (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", description = "schedule file to write (default: MODEL/schedule-<steps>.txt; required for a shipped model)")
    Path out;

    @Override
    public Integer call() throws Exception {
        VocoderSource source = VocoderSource.parse(model);
        if (source.isShipped() && out == null) {
            throw new IllegalArgumentException("--out: expected a schedule file to write, since --model " + model
                    + " is a shipped model inside sdk-audio's jar (or give --model a model directory)");
        }
        NativeSetup.singleThreadUnlessSet();
        try (NDManager manager = NDManager.newBaseManager()) {
            VocoderModel vm = VocoderModel.load(source, manager);
            VocoderDataset scored = VocoderDataset.load(clips, vm.melSpectrogram(), false);
            ScheduleGridSearch grid = new ScheduleGridSearch(mantissas, steps, minExponent, maxExponent);
            System.out.printf(Locale.ROOT, "%d candidates (%d mantissas ^ %d steps) on %d clips of <= %d frames%n",
                    grid.size(), mantissas.length, steps, scored.size(), maxFrames);
            long t0 = System.nanoTime();
            ScheduleGridSearch.Result r = ScheduleSearch.run(new WaveGradVocoder(vm.model(), manager), scored, grid,
                    maxFrames, seed);
            InferenceSchedule best = ScheduleSearch.named(r, "searched-" + steps);
            Path target = out != null ? out : VocoderModel.scheduleFile(source.dir(), steps);
            best.save(target);
            System.out.printf(Locale.ROOT, "best log-mel %.4f of %d candidates in %.0f s: betas %s -> %s%n", r.score(),
                    r.candidatesScored(), (System.nanoTime() - t0) / 1e9, Arrays.toString(best.betas()), target);
        }
        return 0;
    }
}
