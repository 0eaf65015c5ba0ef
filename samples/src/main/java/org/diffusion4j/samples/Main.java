package org.diffusion4j.samples;

import com.google.inject.ProvisionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import org.diffusion4j.core.runtime.GlibcMalloc;
import org.diffusion4j.samples.toy.ToyCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The diffusion4j demo CLI: {@code java -jar samples/target/diffusion4j-samples.jar <subcommand> [options]}.
 * Each domain adds its subcommand to the list below.
 */
@Command(name = "samples", mixinStandardHelpOptions = true, version = "diffusion4j samples 0.1.0-SNAPSHOT",
        description = "Demos of the diffusion4j SDK.",
        subcommands = {
            DemoCommand.class,
            ToyCommand.class,
            BenchCommand.class,
            org.diffusion4j.samples.text.TextCommand.class,
            org.diffusion4j.samples.audio.AudioCommand.class,
            org.diffusion4j.samples.image.ImageCommand.class,
        })
public final class Main implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    /** Without a subcommand: print the usage and exit with picocli's usage-error code. */
    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return CommandLine.ExitCode.USAGE;
    }

    public static void main(String[] args) {
        // libtorch ships in the pytorch-native-cpu jar: DJL must never try the network.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        // Keep freed tensor memory in the process instead of mmap/munmap per tensor (3x faster U-Net steps here;
        // docs/benchmarks.md). -Ddiffusion4j.malloc=default keeps glibc's defaults.
        if (!"default".equals(System.getProperty("diffusion4j.malloc"))) {
            GlibcMalloc.tuneForTensors();
        }
        System.exit(new CommandLine(new Main()).setExecutionExceptionHandler(Main::report).execute(args));
    }

    /**
     * Bad input (an argument, a file) is reported as its message alone, without a stack trace, also when it was
     * raised while the SDK's Guice modules built an object; anything else is a bug and keeps its stack trace.
     */
    private static int report(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
        Throwable cause = e;
        while (cause instanceof ProvisionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof IllegalArgumentException || cause instanceof IOException
                || cause instanceof UncheckedIOException) {
            command.getErr().println("error: " + cause.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        e.printStackTrace(command.getErr());
        return CommandLine.ExitCode.SOFTWARE;
    }
}
