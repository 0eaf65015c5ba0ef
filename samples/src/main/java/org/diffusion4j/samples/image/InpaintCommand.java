package org.diffusion4j.samples.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.diffusion4j.image.data.ImageTensors;
import org.diffusion4j.image.pipeline.ImageModel;
import org.diffusion4j.image.pipeline.Inpainting;
import org.diffusion4j.samples.NativeSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Fills a masked region of an image; writes [input | masked input | fills...]. */
@Command(name = "inpaint", mixinStandardHelpOptions = true, description = "Fill the masked part of an image.")
public final class InpaintCommand implements Callable<Integer> {

    @Mixin
    ModelOptions options;

    @Option(names = "--image", description = "PNG of the model's size (default: an MNIST test digit)")
    Path image;

    @Option(names = "--mnist-index", defaultValue = "0", description = "MNIST test image used without --image")
    int index;

    @Option(names = "--mask", description = "PNG mask, white = keep, black = generate (default: see --box)")
    Path mask;

    @Option(names = "--box", defaultValue = "14,0,14,28", split = ",",
            description = "without --mask: region to generate as top,left,height,width (default: the bottom half)")
    int[] box;

    @Option(names = "--class", defaultValue = "-1", description = "class to condition on (-1: unconditional)")
    int label;

    @Option(names = "--guidance", defaultValue = "1.0", description = "guidance weight with --class")
    double guidance;

    @Option(names = "--repaint", split = ",", description = "RePaint resampling jumpLength,jumpCount (e.g. 10,5)")
    int[] repaint;

    @Option(names = "--count", defaultValue = "6", description = "fills to draw (default: ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--out", defaultValue = "image-out/inpainted.png")
    Path out;

    @Override
    public Integer call() throws Exception {
        NativeSetup.singleThreadUnlessSet();
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelOptions.Loaded loaded = options.load(manager);
            ImageModel m = loaded.model();
            NDArray x = ModelOptions.input(image, index, m, manager);
            NDArray known = mask != null ? ImageTensors.readMask(mask, m.height(), m.width(), manager) : boxMask(m, manager);
            Inpainting inpaint = repaint == null ? loaded.injector().getInstance(Inpainting.class)
                    : new Inpainting(m, loaded.sampler(), jump(0), jump(1));
            NDArray batch = x.repeat(0, count);
            long t0 = System.nanoTime();
            NDArray filled = inpaint.inpaint(batch, known, ModelOptions.guidance(label, guidance), options.seed, manager);
            NDArray masked = x.mul(known).add(known.sub(1f)); // unknown pixels shown black (−1)
            NDArray grid = NDArrays.concat(new NDList(x, masked.reshape(x.getShape()), filled), 0);
            ImageTensors.writeGrid(grid, count + 2, 2, out);
            System.out.printf(Locale.ROOT, "%d fills in %.1f s -> %s (columns: input, masked input, fills)%n", count,
                    (System.nanoTime() - t0) / 1e9, out);
        }
        return 0;
    }

    private int jump(int i) {
        if (repaint.length != 2) {
            throw new IllegalArgumentException("--repaint: expected jumpLength,jumpCount, got " + repaint.length + " values");
        }
        return repaint[i];
    }

    private NDArray boxMask(ImageModel m, NDManager manager) {
        if (box.length != 4) {
            throw new IllegalArgumentException("--box: expected top,left,height,width, got " + box.length + " values");
        }
        int top = box[0];
        int left = box[1];
        int h = box[2];
        int w = box[3];
        if (top < 0 || left < 0 || h < 1 || w < 1 || top + h > m.height() || left + w > m.width()) {
            throw new IllegalArgumentException("--box: expected a region inside " + m.height() + "×" + m.width() + ", got "
                    + top + "," + left + "," + h + "," + w);
        }
        NDArray known = manager.ones(new Shape(m.height(), m.width()));
        known.set(new NDIndex("{}:{}, {}:{}", top, top + h, left, left + w), 0f);
        return known;
    }
}
