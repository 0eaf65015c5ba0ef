package org.diffusion4j.image.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;

/**
 * Outpainting: the image is placed on a larger canvas (extended by {@code top}, {@code bottom}, {@code left},
 * {@code right} pixels) and the new border is generated as an inpainting of the canvas whose known region is the
 * original image. The U-Net is convolutional, so the canvas may be larger than the training images; each side
 * must be divisible by the model's {@code sizeMultiple}. Quality degrades away from the training size.
 */
public final class Outpainting {

    private final ImageModel model;
    private final Inpainting inpainting;

    public Outpainting(ImageModel model, Inpainting inpainting) {
        this.model = Objects.requireNonNull(model, "model");
        this.inpainting = Objects.requireNonNull(inpainting, "inpainting");
    }

    /**
     * @param image [B, C, h, w] in [−1, 1], any h, w ≥ 1
     * @return [B, C, h + top + bottom, w + left + right] holding {@code image} exactly at (top, left)
     */
    public NDArray outpaint(NDArray image, int top, int bottom, int left, int right, Guidance guidance, long seed,
                            NDManager manager) {
        Objects.requireNonNull(image, "image");
        if (top < 0 || bottom < 0 || left < 0 || right < 0) {
            throw new IllegalArgumentException("top/bottom/left/right: expected >= 0, got " + top + "/" + bottom + "/"
                    + left + "/" + right);
        }
        Shape s = image.getShape();
        if (s.dimension() != 4 || s.get(1) != model.channels() || s.get(0) < 1) {
            throw new IllegalArgumentException("image: expected shape [B, " + model.channels() + ", h, w], got " + s);
        }
        if (image.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("image: expected dtype float32, got " + image.getDataType());
        }
        int b = Math.toIntExact(s.get(0));
        long h = s.get(2);
        long w = s.get(3);
        long ch = h + top + bottom;
        long cw = w + left + right;
        int k = model.sizeMultiple();
        if (ch % k != 0 || cw % k != 0) {
            throw new IllegalArgumentException("canvas: expected sides divisible by " + k + " (the U-Net's size "
                    + "multiple), got " + ch + "×" + cw + " (image " + h + "×" + w + " extended by top " + top
                    + ", bottom " + bottom + ", left " + left + ", right " + right + ")");
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray canvas = scope.zeros(new Shape(b, s.get(1), ch, cw), DataType.FLOAT32);
            NDIndex inside = new NDIndex(":, :, {}:{}, {}:{}", top, top + h, left, left + w);
            canvas.set(inside, image);
            NDArray mask = scope.zeros(new Shape(1, 1, ch, cw), DataType.FLOAT32);
            mask.set(new NDIndex(":, :, {}:{}, {}:{}", top, top + h, left, left + w), 1f);
            NDArray out = inpainting.run(canvas, mask, guidance, seed, scope, b);
            out.attach(manager);
            return out;
        }
    }
}
