package org.diffusion4j.samples.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.diffusion4j.image.data.ImageTensors;
import org.diffusion4j.image.pipeline.ImageModel;
import org.diffusion4j.image.pipeline.Outpainting;
import org.diffusion4j.samples.NativeSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Crops an image (optionally) and extends the canvas on any side; writes [original | kept part | outpaintings]. */
@Command(name = "outpaint", mixinStandardHelpOptions = true, description = "Extend an image beyond its borders.")
public final class OutpaintCommand implements Callable<Integer> {

    @Mixin
    ModelOptions options;

    @Option(names = "--image", description = "PNG of the model's size (default: an MNIST test digit)")
    Path image;

    @Option(names = "--mnist-index", defaultValue = "0")
    int index;

    @Option(names = "--crop", defaultValue = "0,0,0,14", split = ",",
            description = "pixels removed first as top,bottom,left,right (default: the right half)")
    int[] crop;

    @Option(names = "--extend", defaultValue = "0,0,0,14", split = ",",
            description = "pixels added as top,bottom,left,right (default: the right half back)")
    int[] extend;

    @Option(names = "--class", defaultValue = "-1")
    int label;

    @Option(names = "--guidance", defaultValue = "1.0")
    double guidance;

    @Option(names = "--count", defaultValue = "6")
    int count;

    @Option(names = "--out", defaultValue = "image-out/outpainted.png")
    Path out;

    @Override
    public Integer call() throws Exception {
        NativeSetup.singleThreadUnlessSet();
        if (crop.length != 4 || extend.length != 4) {
            throw new IllegalArgumentException("--crop/--extend: expected 4 values top,bottom,left,right, got "
                    + crop.length + "/" + extend.length);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelOptions.Loaded loaded = options.load(manager);
            ImageModel m = loaded.model();
            NDArray x = ModelOptions.input(image, index, m, manager);
            long h = m.height() - crop[0] - crop[1];
            long w = m.width() - crop[2] - crop[3];
            if (h < 1 || w < 1 || crop[0] < 0 || crop[1] < 0 || crop[2] < 0 || crop[3] < 0) {
                throw new IllegalArgumentException("--crop: expected non-negative values leaving at least one pixel, got "
                        + java.util.Arrays.toString(crop));
            }
            NDArray kept = x.get(new NDIndex(":, :, {}:{}, {}:{}", crop[0], crop[0] + h, crop[2], crop[2] + w));
            Outpainting op = loaded.injector().getInstance(Outpainting.class);
            long t0 = System.nanoTime();
            NDArray result = op.outpaint(kept.repeat(0, count), extend[0], extend[1], extend[2], extend[3],
                    ModelOptions.guidance(label, guidance), options.seed, manager);
            System.out.printf(Locale.ROOT, "%d outpaintings of %d×%d to %s in %.1f s -> %s%n", count, h, w,
                    result.getShape(), (System.nanoTime() - t0) / 1e9, out);
            if (result.getShape().get(2) == m.height() && result.getShape().get(3) == m.width()) {
                NDArray shown = manager.full(x.getShape(), -1f);
                shown.set(new NDIndex(":, :, {}:{}, {}:{}", extend[0], extend[0] + h, extend[2], extend[2] + w), kept);
                ImageTensors.writeGrid(NDArrays.concat(new NDList(x, shown, result), 0), count + 2, 2, out);
            } else {
                ImageTensors.writeGrid(result, count, 2, out);
            }
        }
        return 0;
    }
}
