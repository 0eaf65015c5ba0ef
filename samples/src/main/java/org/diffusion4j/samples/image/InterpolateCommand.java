package org.diffusion4j.samples.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.diffusion4j.image.data.ImageTensors;
import org.diffusion4j.image.pipeline.ImageModel;
import org.diffusion4j.image.pipeline.Interpolation;
import org.diffusion4j.samples.NativeSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Interpolates two images through DDIM inversion and slerp; writes [a | frames... | b]. */
@Command(name = "interpolate", mixinStandardHelpOptions = true,
        description = "Interpolate between two images (DDIM inversion + spherical interpolation of the latents).")
public final class InterpolateCommand implements Callable<Integer> {

    @Mixin
    ModelOptions options;

    @Option(names = "--image-a", description = "first PNG (default: MNIST test digit --mnist-a)")
    Path a;

    @Option(names = "--image-b", description = "second PNG (default: MNIST test digit --mnist-b)")
    Path b;

    @Option(names = "--mnist-a", defaultValue = "0")
    int indexA;

    @Option(names = "--mnist-b", defaultValue = "1")
    int indexB;

    @Option(names = "--frames", defaultValue = "8")
    int frames;

    @Option(names = "--out", defaultValue = "image-out/interpolated.png")
    Path out;

    @Override
    public Integer call() throws Exception {
        NativeSetup.singleThreadUnlessSet();
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelOptions.Loaded loaded = options.load(manager);
            ImageModel m = loaded.model();
            NDArray xa = ModelOptions.input(a, indexA, m, manager);
            NDArray xb = ModelOptions.input(b, indexB, m, manager);
            // DDIM (η = 0) with --steps, or 50 steps (ImageModule's interpolation)
            int steps = options.config().interpolationSteps(loaded.description().timesteps());
            long t0 = System.nanoTime();
            NDArray f = loaded.injector().getInstance(Interpolation.class).interpolate(xa, xb, frames,
                    org.diffusion4j.image.pipeline.Guidance.none(), manager);
            ImageTensors.writeGrid(NDArrays.concat(new NDList(xa, f, xb), 0), frames + 2, 2, out);
            System.out.printf(Locale.ROOT, "%d frames (DDIM-%d inversion) in %.1f s -> %s (first and last column: inputs)%n",
                    frames, steps, (System.nanoTime() - t0) / 1e9, out);
        }
        return 0;
    }
}
