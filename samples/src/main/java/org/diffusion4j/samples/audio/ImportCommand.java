package org.diffusion4j.samples.audio;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.diffusion4j.audio.mel.MelRecipe;
import org.diffusion4j.audio.model.WaveGradCheckpoint;
import org.diffusion4j.audio.model.WaveGradConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Turns a published WaveGrad weights file (lmnt-com/wavegrad's layout) into a model directory the other commands load. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Make a model directory from lmnt-com/wavegrad weights (its weights-*.pt, or a safetensors/.npz "
                + "conversion), for vocode --model, eval --model and schedule-search --model.")
public final class ImportCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "weights file with lmnt's 108 parameter names (.pt, .safetensors or .npz)")
    Path weights;

    @Parameters(index = "1", description = "model directory to write (wavegrad.safetensors + wavegrad.properties)")
    Path dir;

    @Option(names = "--network", defaultValue = "base",
            description = "the weights' layout: base (lmnt's), small or wide (default: ${DEFAULT-VALUE})")
    String network;

    @Option(names = "--noise-level-scale", defaultValue = "1",
            description = "the noise-level scale the weights were trained with: 1 for lmnt's code, 5000 as the paper "
                    + "(default: ${DEFAULT-VALUE})")
    double noiseLevelScale;

    @Option(names = "--sample-rate", defaultValue = "22050",
            description = "the rate of the training audio; lmnt's recipe at that rate is the model's mel (lmnt's "
                    + "published model: 24000; its params.py: 22050) (default: ${DEFAULT-VALUE})")
    int sampleRate;

    @Override
    public Integer call() throws Exception {
        WaveGradConfig base = AudioCommand.network(network);
        WaveGradConfig config = base.toBuilder().noiseLevelScale(noiseLevelScale).build();
        WaveGradCheckpoint.importWeights(weights, config, MelRecipe.wavegrad(sampleRate), dir);
        System.out.println(weights + " -> " + dir + ": " + network + " network, noise-level scale " + noiseLevelScale
                + ", lmnt's mel at " + sampleRate + " Hz");
        return 0;
    }
}
