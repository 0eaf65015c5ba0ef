package org.diffusion4j.samples.audio;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.diffusion4j.audio.data.VocoderDataset;
import org.diffusion4j.audio.eval.VocoderEvaluation;
import org.diffusion4j.audio.metrics.GriffinLim;
import org.diffusion4j.audio.refine.MelConsistencyRefiner;
import org.diffusion4j.audio.schedule.InferenceSchedule;
import org.diffusion4j.audio.vocode.VocoderModel;
import org.diffusion4j.audio.vocode.VocoderSource;
import org.diffusion4j.audio.vocode.WaveGradVocoder;
import org.diffusion4j.samples.NativeSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Metrics and RTF on held-out clips for each schedule, beside Griffin-Lim from the same mel. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Log-mel, MCD-13, MR-STFT, FFE and RTF of the vocoder per schedule on held-out clips, beside Griffin-Lim; "
                + "with --refine, also each method refined towards the mel.")
public final class EvalCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = AudioCommand.DEFAULT_MODEL, description = AudioCommand.MODEL_HELP)
    String model;

    @Option(names = "--clips", defaultValue = AudioCommand.DEFAULT_HELDOUT, description = "held-out clip list (default: ${DEFAULT-VALUE})")
    Path clips;

    @Option(names = "--steps", split = ",", defaultValue = "6,25,50,1000",
            description = "schedules to evaluate, by step count (default: ${DEFAULT-VALUE})")
    int[] steps;

    @Option(names = "--seed", defaultValue = "0", description = "sampling and Griffin-Lim seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--max-frames", defaultValue = "0",
            description = "cut each clip to its first N mel frames, 0 = whole clips (default: ${DEFAULT-VALUE})")
    int maxFrames;

    @Option(names = "--limit", defaultValue = "0", description = "use only the first N clips, 0 = all (default: ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--frames-per-call", defaultValue = "0",
            description = "mel frames each network call produces at most (longer clips run in windows with the same output); "
                    + "0 = the model's default (default: ${DEFAULT-VALUE})")
    int framesPerCall;

    @Option(names = "--eta", defaultValue = "1",
            description = "step-noise scale in [0, 1]: 1 = DDPM as lmnt, 0 = deterministic DDIM (default: ${DEFAULT-VALUE})")
    double eta;

    @Mixin
    RefineMomentumOption refineMomentum;

    @Option(names = "--refine", split = ",",
            description = "also evaluate every method refined towards the mel with these numbers of mel-consistency rounds, "
                    + "e.g. 30,100 (default: none)")
    int[] refineRounds = new int[0];

    @Option(names = "--per-clip", description = "also print one line per clip")
    boolean perClip;

    @Override
    public Integer call() throws Exception {
        NativeSetup.singleThreadUnlessSet();
        try (NDManager manager = NDManager.newBaseManager()) {
            VocoderModel vm = VocoderModel.load(VocoderSource.parse(model), manager);
            VocoderDataset heldOut = VocoderDataset.load(clips, vm.melSpectrogram(), false);
            List<VocoderDataset.Item> clipsUsed = VocoderEvaluation.cut(heldOut,
                    maxFrames > 0 ? maxFrames : Integer.MAX_VALUE / 1000, limit > 0 ? limit : heldOut.size());
            VocoderEvaluation eval = new VocoderEvaluation(clipsUsed, vm.melSpectrogram());
            WaveGradVocoder vocoder = new WaveGradVocoder(vm.model(), manager, eta, framesPerCall);
            List<VocoderEvaluation.Summary> summaries = new ArrayList<>();
            VocoderEvaluation.Method griffinLim = VocoderEvaluation.griffinLim(GriffinLim.wavegrad(vm.recipe().sampleRate()), seed);
            List<VocoderEvaluation.Row> gl = eval.run("griffin-lim-32", griffinLim);
            summaries.add(VocoderEvaluation.summarise(gl));
            print(gl);
            runRefined(eval, vm, "griffin-lim-32", griffinLim, summaries);
            // one untimed warm-up call so that the first schedule's RTF does not include libtorch's start-up
            vocoder.vocode(clipsUsed.get(0).mel(), InferenceSchedule.ivanvovk6(), seed);
            for (int n : steps) {
                InferenceSchedule s = vm.schedule(n);
                String name = "wavegrad " + s.name() + (eta == 1 ? "" : " eta " + eta);
                VocoderEvaluation.Method method = VocoderEvaluation.wavegrad(vocoder, s, seed);
                List<VocoderEvaluation.Row> rows = eval.run(name, method);
                summaries.add(VocoderEvaluation.summarise(rows));
                print(rows);
                runRefined(eval, vm, name, method, summaries);
            }
            double audio = 0;
            for (VocoderDataset.Item it : clipsUsed) {
                audio += it.audio().length / (double) vm.recipe().sampleRate();
            }
            System.out.printf(java.util.Locale.ROOT, "%n%d clips, %.2f s of audio, model %s%n", clipsUsed.size(), audio, vm.source());
            System.out.print(VocoderEvaluation.markdown(summaries));
        }
        return 0;
    }

    /** The method once more for each --refine count, its output refined towards the mel. */
    private void runRefined(VocoderEvaluation eval, VocoderModel vm, String name, VocoderEvaluation.Method method,
            List<VocoderEvaluation.Summary> summaries) {
        for (int rounds : refineRounds) {
            MelConsistencyRefiner refiner = refineMomentum.refiner(vm.recipe(), rounds);
            List<VocoderEvaluation.Row> rows = eval.run(name + " + mel-refine " + rounds + " (momentum " + refiner.momentum() + ")", VocoderEvaluation.refined(method, refiner));
            summaries.add(VocoderEvaluation.summarise(rows));
            print(rows);
        }
    }

    private void print(List<VocoderEvaluation.Row> rows) {
        if (perClip) {
            System.out.print(VocoderEvaluation.perClip(rows));
        }
        System.out.flush();
    }
}
