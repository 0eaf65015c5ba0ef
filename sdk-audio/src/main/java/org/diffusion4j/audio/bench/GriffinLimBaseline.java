package org.diffusion4j.audio.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.diffusion4j.audio.data.VocoderDataset;
import org.diffusion4j.audio.mel.MelSpectrogram;
import org.diffusion4j.audio.metrics.F0FrameError;
import org.diffusion4j.audio.metrics.GriffinLim;
import org.diffusion4j.audio.metrics.LogMelDistance;
import org.diffusion4j.audio.metrics.MelCepstralDistortion;
import org.diffusion4j.audio.metrics.MultiResolutionStftDistance;

/**
 * Evaluates the Griffin-Lim baseline (32 iterations, momentum 0.99, seed 0) on a clip list: each clip's
 * WaveGrad mel is inverted and the result, trimmed to the clip's length, is compared with the clip by the
 * four metrics. Prints one line per clip and the means; the vocoder's evaluation reports the same columns.
 *
 * <p>Argument: the list file (default {@code sdk-audio/data/espeak-30/heldout.txt}).
 */
public final class GriffinLimBaseline {

    private GriffinLimBaseline() {
    }

    public static void main(String[] args) throws IOException {
        Path list = Path.of(args.length > 0 ? args[0] : "sdk-audio/data/espeak-30/heldout.txt");
        int sr = 22050;
        MelSpectrogram mel = MelSpectrogram.wavegrad(sr);
        VocoderDataset data = VocoderDataset.load(list, mel, false);
        GriffinLim gl = GriffinLim.wavegrad(sr);
        LogMelDistance lsd = LogMelDistance.wavegrad(sr);
        MelCepstralDistortion mcd = MelCepstralDistortion.wavegrad(sr);
        MultiResolutionStftDistance mrstft = new MultiResolutionStftDistance();
        F0FrameError ffe = F0FrameError.defaults(sr);
        double[] sums = new double[4];
        double seconds = 0;
        double synth = 0;
        System.out.println("clip        log-mel   MCD(dB)  MR-STFT  FFE");
        for (VocoderDataset.Item it : data.items()) {
            long t0 = System.nanoTime();
            float[] y = gl.reconstruct(it.mel(), 0);
            synth += (System.nanoTime() - t0) / 1e9;
            seconds += it.audio().length / (double) sr;
            float[] gen = Arrays.copyOf(y, it.audio().length);
            double[] v = {lsd.distance(it.audio(), gen), mcd.distortion(it.audio(), gen), mrstft.distance(it.audio(), gen),
                ffe.error(it.audio(), gen)};
            for (int i = 0; i < 4; i++) {
                sums[i] += v[i];
            }
            System.out.printf("%-10s %8.4f %8.3f %8.4f %6.3f%n", it.name(), v[0], v[1], v[2], v[3]);
        }
        int n = data.size();
        System.out.printf("mean       %8.4f %8.3f %8.4f %6.3f   (%d clips, %.2f s of audio, Griffin-Lim RTF %.3f)%n",
                sums[0] / n, sums[1] / n, sums[2] / n, sums[3] / n, n, seconds, synth / seconds);
    }
}
