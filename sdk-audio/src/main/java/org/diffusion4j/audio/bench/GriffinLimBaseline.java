package org.diffusion4j.audio.bench;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import org.diffusion4j.audio.data.VocoderDataset;
import org.diffusion4j.audio.mel.MelSpectrogram;
import org.diffusion4j.audio.metrics.F0FrameError;
import org.diffusion4j.audio.metrics.GriffinLim;
import org.diffusion4j.audio.metrics.LogMelDistance;
import org.diffusion4j.audio.metrics.MelCepstralDistortion;
import org.diffusion4j.audio.metrics.MultiResolutionStftDistance;
import org.diffusion4j.audio.schedule.InferenceSchedule;
import org.diffusion4j.audio.vocode.VocoderModel;
import org.diffusion4j.audio.vocode.WaveGradVocoder;

/**
 * Evaluates the Griffin-Lim baseline (32 iterations, momentum 0.99, seed 0) on a clip list: each clip's
 * WaveGrad mel is inverted and the result, trimmed to the clip's length, is compared with the clip by the
 * four metrics. Prints one line per clip and the means; the vocoder's evaluation reports the same columns.
 *
 * <p>Then the means of two references that bound what any method built on Griffin-Lim's magnitude estimate can
 * reach: Griffin-Lim warm-started from the clip's own phase ({@link GriffinLim#reconstructFrom}), with 1 and with
 * 32 iterations. With a model folder, also the vocoder's output (seed 0) and Griffin-Lim warm-started from it:
 * whether the vocoder's phase is a better start than random phases (the premise of GLA-Grad, Liu et al. 2024).
 *
 * <p>Arguments: {@code [LIST [MODEL_DIR [STEPS]]]}: the list file (default
 * {@code sdk-audio/data/espeak-30/heldout.txt}), a vocoder folder as {@code VocoderModel.load} reads it, and the
 * model's schedule of STEPS steps (default 6).
 */
public final class GriffinLimBaseline {

    private static final int SR = 22050;

    private GriffinLimBaseline() {
    }

    public static void main(String[] args) throws IOException {
        Path list = Path.of(args.length > 0 ? args[0] : "sdk-audio/data/espeak-30/heldout.txt");
        MelSpectrogram mel = MelSpectrogram.wavegrad(SR);
        VocoderDataset data = VocoderDataset.load(list, mel, false);
        GriffinLim gl = GriffinLim.wavegrad(SR);
        Metrics metrics = new Metrics();
        double[] sums = new double[4];
        double seconds = 0;
        double synth = 0;
        System.out.println("clip        log-mel   MCD(dB)  MR-STFT  FFE");
        for (VocoderDataset.Item it : data.items()) {
            long t0 = System.nanoTime();
            float[] y = gl.reconstruct(it.mel(), 0);
            synth += (System.nanoTime() - t0) / 1e9;
            seconds += it.audio().length / (double) SR;
            double[] v = metrics.of(it.audio(), y);
            for (int i = 0; i < 4; i++) {
                sums[i] += v[i];
            }
            System.out.printf(Locale.ROOT, "%-10s %8.4f %8.3f %8.4f %6.3f%n", it.name(), v[0], v[1], v[2], v[3]);
        }
        int n = data.size();
        System.out.printf(Locale.ROOT, "mean       %8.4f %8.3f %8.4f %6.3f   (%d clips, %.2f s of audio, Griffin-Lim RTF %.3f)%n",
                sums[0] / n, sums[1] / n, sums[2] / n, sums[3] / n, n, seconds, synth / seconds);

        System.out.println();
        System.out.println("means over the clips                          log-mel   MCD(dB)  MR-STFT  FFE");
        GriffinLim glOne = new GriffinLim(mel.recipe(), 1, 0.99);
        int hop = mel.recipe().hop();
        List<VocoderDataset.Item> items = data.items();
        report("griffin-lim-1 from the clip's phase", items, metrics,
                i -> glOne.reconstructFrom(items.get(i).mel(), padded(items.get(i), hop)));
        report("griffin-lim-32 from the clip's phase", items, metrics,
                i -> gl.reconstructFrom(items.get(i).mel(), padded(items.get(i), hop)));
        if (args.length > 1) {
            int steps = args.length > 2 ? Integer.parseInt(args[2]) : 6;
            try (NDManager manager = NDManager.newBaseManager()) {
                VocoderModel vm = VocoderModel.load(Path.of(args[1]), manager);
                // the clips' mels (and Griffin-Lim's) use the lmnt recipe at 22,050 Hz: a model of another recipe
                // would be fed mels it was not trained on
                mel.recipe().requireSameAs(vm.recipe(), "model " + args[1]);
                InferenceSchedule schedule = vm.schedule(steps);
                WaveGradVocoder vocoder = new WaveGradVocoder(vm.model(), manager);
                float[][] outputs = new float[n][];
                for (int i = 0; i < n; i++) {
                    outputs[i] = vocoder.vocode(items.get(i).mel(), schedule, 0);
                }
                report("vocoder, " + schedule.name(), items, metrics, i -> outputs[i]);
                report("griffin-lim-32 from the vocoder's output", items, metrics,
                        i -> gl.reconstructFrom(items.get(i).mel(), outputs[i]));
            }
        }
    }

    /** The clip zero-padded (or cut) to hop·F samples, the length a vocoder returns for its mel. */
    private static float[] padded(VocoderDataset.Item clip, int hop) {
        return Arrays.copyOf(clip.audio(), hop * clip.mel()[0].length);
    }

    /** One line of means: {@code method} maps a clip's index to that method's audio for it. */
    private static void report(String name, List<VocoderDataset.Item> items, Metrics metrics, IntFunction<float[]> method) {
        double[] sums = new double[4];
        for (int c = 0; c < items.size(); c++) {
            double[] v = metrics.of(items.get(c).audio(), method.apply(c));
            for (int i = 0; i < 4; i++) {
                sums[i] += v[i] / items.size();
            }
        }
        System.out.printf(Locale.ROOT, "%-44s %8.4f %8.3f %8.4f %6.3f%n", name, sums[0], sums[1], sums[2], sums[3]);
    }

    /** The four metrics of the vocoder's evaluation, on the output trimmed to the clip's length. */
    private static final class Metrics {
        final LogMelDistance lsd = LogMelDistance.wavegrad(SR);
        final MelCepstralDistortion mcd = MelCepstralDistortion.wavegrad(SR);
        final MultiResolutionStftDistance mrstft = new MultiResolutionStftDistance();
        final F0FrameError ffe = F0FrameError.defaults(SR);

        double[] of(float[] reference, float[] output) {
            float[] gen = Arrays.copyOf(output, reference.length);
            return new double[] {lsd.distance(reference, gen), mcd.distortion(reference, gen), mrstft.distance(reference, gen),
                ffe.error(reference, gen)};
        }
    }
}
