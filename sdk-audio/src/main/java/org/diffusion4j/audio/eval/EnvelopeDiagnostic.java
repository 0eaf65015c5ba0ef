package org.diffusion4j.audio.eval;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.diffusion4j.audio.data.VocoderDataset;
import org.diffusion4j.audio.metrics.EnvelopeMatch;
import org.diffusion4j.audio.schedule.InferenceSchedule;
import org.diffusion4j.audio.vocode.VocoderModel;
import org.diffusion4j.audio.vocode.WaveGradVocoder;

/**
 * {@code EnvelopeDiagnostic MODEL_DIR [STEPS] [CLIP_LIST] [SEED]}: per held-out clip, how loud the vocoder's output is
 * against the clip and how closely its frame energy follows the clip's ({@link EnvelopeMatch}), with the model's
 * schedule of STEPS steps (default 6) and seed (default 0), then the means. Vocodes each clip once, batch 1.
 */
public final class EnvelopeDiagnostic {

    private EnvelopeDiagnostic() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: EnvelopeDiagnostic MODEL_DIR [STEPS] [CLIP_LIST] [SEED]");
            System.exit(2);
        }
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        Path list = Path.of(args.length > 2 ? args[2] : "sdk-audio/data/espeak-30/heldout.txt");
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            VocoderModel vm = VocoderModel.load(Path.of(args[0]), manager);
            VocoderDataset data = VocoderDataset.load(list, vm.melSpectrogram(), false);
            InferenceSchedule schedule = vm.schedule(steps);
            WaveGradVocoder vocoder = new WaveGradVocoder(vm.model(), manager);
            EnvelopeMatch match = new EnvelopeMatch(vm.recipe());
            double level = 0;
            double corr = 0;
            System.out.printf(Locale.ROOT, "%s, schedule %s, seed %d%n", args[0], schedule.name(), seed);
            for (VocoderDataset.Item it : data.items()) {
                float[] ref = it.audio();
                float[] gen = Arrays.copyOf(vocoder.vocode(it.mel(), schedule, seed), ref.length);
                double l = EnvelopeMatch.levelDifferenceDb(ref, gen);
                double c = match.energyCorrelation(ref, gen);
                level += l / data.size();
                corr += c / data.size();
                System.out.printf(Locale.ROOT, "%-12s level %+.2f dB  energy correlation %.3f%n", it.name(), l, c);
            }
            System.out.printf(Locale.ROOT, "mean over %d clips: level %+.2f dB, energy correlation %.3f%n", data.size(),
                    level, corr);
        }
    }
}
