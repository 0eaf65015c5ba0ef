package org.diffusion4j.samples;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.diffusion4j.core.io.AtomicFiles;
import org.diffusion4j.samples.audio.VocodeCommand;
import org.diffusion4j.samples.image.GenerateCommand;
import org.diffusion4j.samples.text.TextGenerateCommand;
import org.diffusion4j.samples.toy.ToyCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The README's demo: every domain end to end on the shipped defaults, no download and no training beyond the toy
 * model's few seconds. Each part is the same subcommand a user would run by hand, with its defaults.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run every domain on the shipped models: toy 2-D diffusion, MNIST digits, a vocoded WAV, "
                + "generated restaurant descriptions.")
public final class DemoCommand implements Callable<Integer> {

    /**
     * A held-out clip (the voice en-us on a sentence the shipped vocoder never trained on; sdk-audio/data/espeak-30), in
     * this jar so that the demo runs from any directory: it is written beside the outputs as the reference to listen to.
     */
    static final String AUDIO_CLIP = "hs033.wav";

    @Option(names = "--out", defaultValue = "demo-out", description = "output directory (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws Exception {
        Path clip = out.resolve("audio").resolve("input-" + AUDIO_CLIP);
        try (InputStream in = DemoCommand.class.getResourceAsStream(AUDIO_CLIP)) {
            if (in == null) {
                throw new IllegalStateException("demo: the clip " + AUDIO_CLIP + " is missing from the samples jar");
            }
            byte[] wav = in.readAllBytes();
            AtomicFiles.write(clip, o -> o.write(wav));
        }
        List<String[]> parts = new ArrayList<>();
        parts.add(new String[] {"toy", "--out", out.resolve("toy").toString()});
        parts.add(new String[] {"image", "--count", "2", "--out", out.resolve("image/generated.png").toString()});
        parts.add(new String[] {"text", "--n", "5"});
        parts.add(new String[] {"audio", clip.toString(), out.resolve("audio/vocoded-6-steps.wav").toString()});
        // the same output pulled towards the clip's mel: hear what the refiner fixes and what it cannot
        parts.add(new String[] {"audio", clip.toString(), out.resolve("audio/vocoded-6-steps-refined-100.wav").toString(),
            "--refine", "100"});
        for (String[] part : parts) {
            String name = part[0];
            String[] args = java.util.Arrays.copyOfRange(part, 1, part.length);
            System.out.println();
            System.out.println("=== " + name + " " + String.join(" ", args));
            Object command = switch (name) {
                case "toy" -> new ToyCommand();
                case "image" -> new GenerateCommand();
                case "text" -> new TextGenerateCommand();
                case "audio" -> new VocodeCommand();
                default -> throw new IllegalStateException(name);
            };
            int code = new CommandLine(command).execute(args);
            if (code != 0) {
                System.err.println("demo: the " + name + " part failed with exit code " + code);
                return code;
            }
        }
        System.out.println();
        System.out.println("demo: outputs under " + out.toAbsolutePath());
        return 0;
    }
}
