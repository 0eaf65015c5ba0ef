package org.diffusion4j.samples.image;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code samples image <generate|inpaint|outpaint|edit|interpolate|train|fid>}. */
@Command(name = "image", mixinStandardHelpOptions = true,
        description = "Image diffusion: the shipped MNIST model, pipelines, training and FID.",
        subcommands = {GenerateCommand.class, InpaintCommand.class, OutpaintCommand.class, EditCommand.class,
            InterpolateCommand.class, TrainCommand.class, FidCommand.class})
public final class ImageCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return CommandLine.ExitCode.USAGE;
    }
}
