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
import org.diffusion4j.image.pipeline.ImageToImage;
import org.diffusion4j.samples.NativeSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** SDEdit image-to-image: one row per strength, [input | edits...]. */
@Command(name = "edit", mixinStandardHelpOptions = true,
        description = "Image-to-image (SDEdit): noise an image to a strength, then denoise it, optionally towards a class.")
public final class EditCommand implements Callable<Integer> {

    @Mixin
    ModelOptions options;

    @Option(names = "--image", description = "PNG of the model's size (default: an MNIST test digit)")
    Path image;

    @Option(names = "--mnist-index", defaultValue = "0")
    int index;

    @Option(names = "--strength", defaultValue = "0.3,0.5,0.7", split = ",",
            description = "strengths in [0, 1], one row each (default: ${DEFAULT-VALUE})")
    double[] strengths;

    @Option(names = "--class", defaultValue = "-1", description = "class to pull the image towards (-1: none)")
    int label;

    @Option(names = "--guidance", defaultValue = "2.0")
    double guidance;

    @Option(names = "--count", defaultValue = "6")
    int count;

    @Option(names = "--out", defaultValue = "image-out/edited.png")
    Path out;

    @Override
    public Integer call() throws Exception {
        NativeSetup.singleThreadUnlessSet();
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelOptions.Loaded loaded = options.load(manager);
            ImageModel m = loaded.model();
            NDArray x = ModelOptions.input(image, index, m, manager);
            ImageToImage edit = loaded.injector().getInstance(ImageToImage.class);
            NDList rows = new NDList();
            long t0 = System.nanoTime();
            for (double s : strengths) {
                rows.add(x);
                rows.add(edit.edit(x.repeat(0, count), s, ModelOptions.guidance(label, guidance), options.seed, manager));
            }
            ImageTensors.writeGrid(NDArrays.concat(rows, 0), count + 1, 2, out);
            System.out.printf(Locale.ROOT, "strengths %s, %d edits each, in %.1f s -> %s%n",
                    java.util.Arrays.toString(strengths), count, (System.nanoTime() - t0) / 1e9, out);
        }
        return 0;
    }
}
