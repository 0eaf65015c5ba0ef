package org.diffusion4j.image.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;
import org.diffusion4j.core.model.BlockDenoiser;
import org.diffusion4j.core.model.Denoiser;
import org.diffusion4j.image.model.CompiledUNet;
import org.diffusion4j.image.model.UNet2D;
import org.diffusion4j.image.model.UNet2DConfig;

/**
 * A trained image denoiser as the pipelines see it: the {@link Denoiser}, the image layout it was trained on
 * (C × H × W, values in [−1, 1]) and its class conditioning.
 *
 * @param denoiser        ε (or x₀ / v, as its process says) from (x_t, t, cond)
 * @param channels        C
 * @param height          H of the training images
 * @param width           W of the training images
 * @param sizeMultiple    a canvas of another size must have sides divisible by this (a U-Net halves it
 *                        several times); outpainting may use such canvases
 * @param numClasses      K for a class-conditional model (label in cond as int64 [B]), 0 if unconditional
 * @param nullClass       the "no class" label of classifier-free guidance, −1 if the model has none
 * @param learnedVariance whether the output carries a variance half on axis 1 (guidance leaves it alone)
 */
public record ImageModel(Denoiser denoiser, int channels, int height, int width, int sizeMultiple, int numClasses,
                         int nullClass, boolean learnedVariance) {

    public ImageModel {
        Objects.requireNonNull(denoiser, "denoiser");
        if (channels < 1 || height < 1 || width < 1 || sizeMultiple < 1) {
            throw new IllegalArgumentException("channels/height/width/sizeMultiple: expected >= 1, got " + channels + "/"
                    + height + "/" + width + "/" + sizeMultiple);
        }
        if (numClasses < 0) {
            throw new IllegalArgumentException("numClasses: expected >= 0, got " + numClasses);
        }
        if (nullClass != -1 && (numClasses == 0 || nullClass < 0)) {
            throw new IllegalArgumentException("nullClass: expected -1 (none) or a label >= 0 of a class-conditional "
                    + "model, got " + nullClass + " with numClasses " + numClasses);
        }
    }

    /** An inference view of a U-Net for images of side {@code imageSize}, run op by op from Java. */
    public static ImageModel of(UNet2D net, NDManager manager, int imageSize) {
        return of(BlockDenoiser.forInference(net, manager), net.config(), imageSize);
    }

    /**
     * An inference view of a compiled U-Net ({@link CompiledUNet}: the same outputs, one native call per forward,
     * 1.2–1.6× faster; docs/benchmarks.md). The caller closes {@code compiled}.
     */
    public static ImageModel of(CompiledUNet compiled, int imageSize) {
        return of(compiled, compiled.config(), imageSize);
    }

    private static ImageModel of(Denoiser denoiser, UNet2DConfig c, int imageSize) {
        if (imageSize % c.sizeMultiple() != 0) {
            throw new IllegalArgumentException("imageSize: expected a multiple of " + c.sizeMultiple() + ", got "
                    + imageSize);
        }
        return new ImageModel(denoiser, c.inChannels(), imageSize, imageSize,
                c.sizeMultiple(), c.numClasses(), c.nullClass() ? c.numClasses() : -1, c.learnSigma());
    }

    public boolean classConditional() {
        return numClasses > 0;
    }

    /** [B, C, H, W] of the model. */
    public Shape shape(int batch) {
        return new Shape(batch, channels, height, width);
    }

    /**
     * Checks that {@code image} is a float32 [B, C, H, W] batch of the model's size and returns B.
     *
     * @throws IllegalArgumentException naming {@code name} with the expected and the actual shape
     */
    int requireImage(String name, NDArray image) {
        return requireCanvas(name, image, height, width);
    }

    /** As {@link #requireImage} with an explicit H × W. */
    int requireCanvas(String name, NDArray image, long h, long w) {
        Objects.requireNonNull(image, name);
        Shape s = image.getShape();
        if (s.dimension() != 4 || s.get(1) != channels || s.get(2) != h || s.get(3) != w || s.get(0) < 1) {
            throw new IllegalArgumentException(name + ": expected shape [B, " + channels + ", " + h + ", " + w
                    + "] (B >= 1), got " + s);
        }
        if (image.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException(name + ": expected dtype float32, got " + image.getDataType());
        }
        return Math.toIntExact(s.get(0));
    }
}
