package org.diffusion4j.samples.audio;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.diffusion4j.audio.io.AudioClip;
import org.diffusion4j.audio.io.AudioResampler;
import org.diffusion4j.audio.io.WavReader;
import org.diffusion4j.audio.mel.MelFiles;
import org.diffusion4j.audio.mel.MelRecipe;
import org.diffusion4j.audio.mel.MelSpectrogram;
import org.diffusion4j.audio.vocode.VocoderModel;
import org.diffusion4j.audio.vocode.VocoderSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Writes a WAV's mel spectrogram in a model's recipe as a NumPy file: the format {@code vocode} takes, and a reference
 * to compare an acoustic model's mels with.
 */
@Command(name = "mel", mixinStandardHelpOptions = true,
        description = "Compute a WAV file's mel spectrogram in the model's recipe and write it as .npy or .npz "
                + "([nMels, frames] float32, normalised to [0, 1]).")
public final class MelCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "input WAV (PCM, any rate and channel count)")
    Path input;

    @Parameters(index = "1", description = "output .npy, or .npz with the array named 'mel' (written atomically)")
    Path output;

    @Option(names = "--model", defaultValue = AudioCommand.DEFAULT_MODEL,
            description = "the model whose mel recipe to use: " + AudioCommand.MODEL_HELP)
    String model;

    @Option(names = "--no-resample", description = "refuse a WAV at another rate instead of resampling it")
    boolean noResample;

    @Override
    public Integer call() throws Exception {
        MelRecipe recipe = VocoderModel.readMetadata(VocoderSource.parse(model)).recipe();
        MelSpectrogram mel = new MelSpectrogram(recipe);
        AudioClip clip = AudioResampler.atRate(WavReader.read(input, mel.minSamples()), recipe.sampleRate(), !noResample,
                "input " + input);
        float[][] m = mel.compute(clip.samples());
        MelFiles.write(output, m);
        System.out.printf(Locale.ROOT, "%s -> %s: %d mel bands x %d frames (hop %d at %d Hz)%n", input, output, m.length,
                m[0].length, recipe.hop(), recipe.sampleRate());
        return 0;
    }
}
