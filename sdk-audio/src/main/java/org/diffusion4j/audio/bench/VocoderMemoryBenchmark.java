package org.diffusion4j.audio.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.diffusion4j.audio.io.WavReader;
import org.diffusion4j.audio.schedule.InferenceSchedule;
import org.diffusion4j.audio.vocode.VocoderModel;
import org.diffusion4j.audio.vocode.VocoderSource;
import org.diffusion4j.audio.vocode.WaveGradVocoder;
import org.diffusion4j.core.runtime.ResidentMemory;
import org.diffusion4j.core.sampling.SamplingListener;

/**
 * Native memory across the steps of one long vocoder sample: the resident set and the number of arrays alive in the
 * model's manager every tenth of a {@code steps}-step DDPM run (the train-1000 schedule by default) of the shipped
 * vocoder on one clip's mel. Flat figures mean each step frees what it makes. Run the JVM with a fixed, pre-touched
 * heap ({@code -Xms1g -Xmx1g -XX:+AlwaysPreTouch}) so that only native memory can move the resident set. A plain main,
 * not a unit test: figures are printed only.
 *
 * <p>Arguments: [wav=sdk-audio/data/espeak-30/hs033.wav] [model=small] [steps=1000: 1000, 50, 25, 6 or a searched
 * count].
 */
public final class VocoderMemoryBenchmark {

    private VocoderMemoryBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Path wav = Path.of(args.length > 0 ? args[0] : "sdk-audio/data/espeak-30/hs033.wav");
        VocoderSource source = VocoderSource.parse(args.length > 1 ? args[1] : "small");
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        try (NDManager manager = NDManager.newBaseManager()) {
            VocoderModel vm = VocoderModel.load(source, manager);
            InferenceSchedule schedule = vm.schedule(steps);
            float[][] mel = vm.melSpectrogram().compute(WavReader.read(wav).samples());
            int frames = mel[0].length;
            int every = Math.max(1, steps / 10);
            long[] rss = new long[11];
            int[] arrays = new int[11];
            SamplingListener listener = new SamplingListener() {
                @Override
                public void onStep(int index, int t, NDArray x) {
                    int k = (index + 1) / every;
                    if ((index + 1) % every == 0 && k <= 10) {
                        rss[k] = ResidentMemory.currentBytes().orElse(-1);
                        arrays[k] = manager.getManagedArrays().size();
                    }
                }
            };
            rss[0] = ResidentMemory.currentBytes().orElse(-1);
            arrays[0] = manager.getManagedArrays().size();
            long t0 = System.nanoTime();
            new WaveGradVocoder(vm.model(), manager).vocode(mel, schedule, 0L, listener);
            double seconds = (System.nanoTime() - t0) / 1e9;
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                    "%s, %s (%d steps), %s (%d frames), %.1f s: RSS MB", source, schedule.name(), schedule.steps(),
                    wav.getFileName(), frames, seconds));
            for (long b : rss) {
                sb.append(' ').append(b < 0 ? "n/a" : Long.toString(b >> 20));
            }
            sb.append(String.format(Locale.ROOT, "; growth from 10 %% to 100 %% of the run: %.1f MB; live arrays",
                    (rss[10] - rss[1]) / 1048576.0));
            for (int a : arrays) {
                sb.append(' ').append(a);
            }
            System.out.println(sb);
        }
    }
}
