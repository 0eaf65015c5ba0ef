package org.diffusion4j.samples.text;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code samples text ...}: Diffusion-LM on E2E restaurant descriptions (sdk-text). */
@Command(name = "text", mixinStandardHelpOptions = true,
        description = "Diffusion-LM: generate, train and evaluate text diffusion on E2E restaurant descriptions.",
        subcommands = {TextGenerateCommand.class, TextTrainCommand.class, TextClassifierCommand.class, TextEvalCommand.class})
public final class TextCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return CommandLine.ExitCode.USAGE;
    }
}
