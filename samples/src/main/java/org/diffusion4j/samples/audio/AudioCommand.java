package org.diffusion4j.samples.audio;

import java.util.concurrent.Callable;
import org.diffusion4j.audio.model.WaveGradConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code samples audio <vocode|mel|import|train|schedule-search|eval>}: the WaveGrad vocoder of sdk-audio. */
@Command(name = "audio", mixinStandardHelpOptions = true,
        description = "WaveGrad diffusion vocoder: vocode a WAV or a mel, write a mel, import lmnt weights, train, "
                + "search a schedule, evaluate.",
        subcommands = {VocodeCommand.class, MelCommand.class, ImportCommand.class, TrainCommand.class,
                ScheduleSearchCommand.class, EvalCommand.class})
public final class AudioCommand implements Callable<Integer> {

    /** The shipped small model, from sdk-audio's jar ({@code VocoderSource.parse}). */
    static final String DEFAULT_MODEL = "small";
    /** The help text of every {@code --model} option. */
    static final String MODEL_HELP = "small or wide (the models shipped in sdk-audio's jar), or a model directory "
            + "(a training run's model/, an imported lmnt checkpoint; ./small for a directory of that name); "
            + "default: ${DEFAULT-VALUE}";
    static final String DEFAULT_TRAIN = "sdk-audio/data/espeak-30/train.txt";
    /** Clips for reporting: never trained on, never used to choose anything. */
    static final String DEFAULT_HELDOUT = "sdk-audio/data/espeak-30/heldout.txt";
    /** Clips for choosing (a schedule): never trained on, never reported on. */
    static final String DEFAULT_VALIDATION = "sdk-audio/data/espeak-30/validation.txt";

    @Spec
    private CommandSpec spec;

    /** The network layout named on the command line: small, wide or base (lmnt's). */
    static WaveGradConfig network(String name) {
        return switch (name) {
            case "small" -> WaveGradConfig.small();
            case "wide" -> WaveGradConfig.wide();
            case "base" -> WaveGradConfig.base();
            default -> throw new IllegalArgumentException("--network: expected small, wide or base, got " + name);
        };
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return CommandLine.ExitCode.USAGE;
    }

}
