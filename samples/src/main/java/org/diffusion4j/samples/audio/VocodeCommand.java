package org.diffusion4j.samples.audio;

import ai.djl.ndarray.NDManager;
import com.google.inject.Guice;
import com.google.inject.Injector;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.diffusion4j.audio.inject.VocoderConfig;
import org.diffusion4j.audio.inject.VocoderModule;
import org.diffusion4j.audio.io.AudioClip;
import org.diffusion4j.audio.io.AudioResampler;
import org.diffusion4j.audio.io.WavReader;
import org.diffusion4j.audio.io.WavWriter;
import org.diffusion4j.audio.mel.MelFiles;
import org.diffusion4j.audio.mel.MelSpectrogram;
import org.diffusion4j.audio.metrics.GriffinLim;
import org.diffusion4j.audio.refine.MelConsistencyRefiner;
import org.diffusion4j.audio.schedule.InferenceSchedule;
import org.diffusion4j.audio.vocode.VocoderModel;
import org.diffusion4j.audio.vocode.VocoderSource;
import org.diffusion4j.audio.vocode.WaveGradVocoder;
import org.diffusion4j.samples.ConsoleProgress;
import org.diffusion4j.samples.NativeSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Re-synthesises a WAV from its own mel: WAV → mel (the model's recipe) → WaveGrad (or Griffin-Lim) → optional
 * mel-consistency refinement → WAV. Given a .npy/.npz mel instead (an acoustic model's output, or {@code audio mel}'s),
 * it vocodes that mel.
 */
@Command(name = "vocode", mixinStandardHelpOptions = true,
        description = "Re-synthesise a WAV file from its mel spectrogram with the WaveGrad vocoder, or vocode a mel "
                + "given as a NumPy .npy/.npz file.")
public final class VocodeCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "input WAV (PCM, any rate and channel count), or a mel as .npy/.npz "
            + "([nMels, frames] or [1, nMels, frames], float32/float64, the model's normalised scale in [0, 1]; "
            + "the output is then frames x hop samples)")
    Path input;

    @Parameters(index = "1", description = "output WAV (16-bit mono, the model's rate; written atomically)")
    Path output;

    @Option(names = "--steps", defaultValue = "6", description = "6, 25, 50 or 1000 (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--schedule", description = "a schedule file (overrides --steps)")
    Path scheduleFile;

    @Option(names = "--model", defaultValue = AudioCommand.DEFAULT_MODEL, description = AudioCommand.MODEL_HELP)
    String model;

    @Option(names = "--seed", defaultValue = "0", description = "sampling seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--eta", defaultValue = "1",
            description = "step-noise scale in [0, 1]: 1 = DDPM as lmnt, 0 = deterministic DDIM (default: ${DEFAULT-VALUE})")
    double eta;

    @Option(names = "--method", defaultValue = "wavegrad",
            description = "wavegrad (the model) or griffin-lim (32 iterations, seed --seed, no network; with --refine 300 "
                    + "the best quality this project measures on its held-out clips) (default: ${DEFAULT-VALUE})")
    String method;

    @Mixin
    RefineMomentumOption refineMomentum;

    @Option(names = "--refine", defaultValue = "0",
            description = "mel-consistency rounds after the vocoder (signal processing that pulls the output's mel towards "
                    + "the input's; 100 is a good value), 0 = off (default: ${DEFAULT-VALUE})")
    int refineRounds;

    @Option(names = "--frames-per-call", defaultValue = "0",
            description = "mel frames each network call produces at most; longer inputs run in windows with the same output, "
                    + "so memory does not grow with the input's length; 0 = the model's default (128 for lmnt's base "
                    + "model, 1,024 for the shipped small one) (default: ${DEFAULT-VALUE})")
    int framesPerCall;

    @Option(names = "--no-resample", description = "refuse a WAV at another rate instead of resampling it")
    boolean noResample;

    @Override
    public Integer call() throws Exception {
        if (!method.equals("wavegrad") && !method.equals("griffin-lim")) {
            throw new IllegalArgumentException("--method: expected wavegrad or griffin-lim, got " + method);
        }
        if (refineRounds < 0) {
            throw new IllegalArgumentException("--refine: expected >= 0 rounds, got " + refineRounds);
        }
        NativeSetup.singleThreadUnlessSet();
        try (NDManager manager = NDManager.newBaseManager()) {
            VocoderConfig config = VocoderConfig.of(VocoderSource.parse(model)).withEta(eta).withRefineMomentum(refineMomentum.momentum)
                    .withFramesPerCall(framesPerCall);
            if (refineRounds > 0) {
                config = config.withRefineRounds(refineRounds);
            }
            Injector injector = Guice.createInjector(new VocoderModule(config, manager));
            VocoderModel vm = injector.getInstance(VocoderModel.class);
            MelSpectrogram mel = injector.getInstance(MelSpectrogram.class);
            int rate = vm.recipe().sampleRate();
            float[][] m;
            int length;
            if (isMelFile(input)) {
                m = MelFiles.read(input, vm.recipe());
                length = m[0].length * vm.recipe().hop();
            } else {
                AudioClip clip = AudioResampler.atRate(WavReader.read(input, mel.minSamples()), rate, !noResample,
                        "input " + input);
                m = mel.compute(clip.samples());
                length = clip.length();
            }
            InferenceSchedule schedule = scheduleFile != null ? InferenceSchedule.load(scheduleFile) : vm.schedule(steps);
            long t0 = System.nanoTime();
            float[] audio;
            try (ConsoleProgress bar = ConsoleProgress.sampling("vocode")) {
                audio = switch (method) {
                    case "wavegrad" -> injector.getInstance(WaveGradVocoder.class).vocode(m, schedule, seed, bar);
                    case "griffin-lim" -> injector.getInstance(GriffinLim.class).reconstruct(m, seed);
                    default -> throw new IllegalStateException(method); // checked above
                };
            }
            if (refineRounds > 0) {
                audio = injector.getInstance(MelConsistencyRefiner.class).refine(m, audio);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            AudioClip out = new AudioClip(java.util.Arrays.copyOf(audio, length), rate);
            WavWriter.write(output, out);
            String how = method.equals("wavegrad") ? "schedule " + schedule.name() + " (" + schedule.steps() + " steps)"
                    : "Griffin-Lim (32 iterations)";
            System.out.printf(Locale.ROOT, "%s -> %s: %.2f s of audio, %s%s, %.2f s, RTF %.3f%n",
                    input, output, out.durationSeconds(), how,
                    refineRounds > 0 ? ", " + refineRounds + " mel-consistency rounds" : "", seconds,
                    seconds / out.durationSeconds());
        }
        return 0;
    }

    private static boolean isMelFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".npy") || name.endsWith(".npz");
    }
}
