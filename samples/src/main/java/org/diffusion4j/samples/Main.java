package org.diffusion4j.samples;

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
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
