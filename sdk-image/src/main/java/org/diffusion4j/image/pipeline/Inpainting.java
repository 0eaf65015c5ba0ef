package org.diffusion4j.image.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;
import org.diffusion4j.core.sampling.MaskedGeneration;
import org.diffusion4j.core.sampling.Sampler;
import org.diffusion4j.core.sampling.SamplingOptions;

/**
 * Inpainting with an unconditionally trained model: at every reverse step the known pixels are replaced by a
 * forward-noised copy of the image at that step's level (RePaint, Lugmayr et al. 2022, eq. 8), so the unknown
 * region is generated in harmony with them; the result holds the known pixels exactly. With RePaint resampling
 * (jump length j, jump count r &gt; 1) the run goes back j levels and denoises them again r − 1 times per jump
 * point, which blends the boundary better at about r× the cost.
 */
public final class Inpainting {

    private final ImageModel model;
    private final Sampler sampler;
    private final int jumpLength;
    private final int jumpCount;

    /** Replacement at every step, no resampling. */
    public Inpainting(ImageModel model, Sampler sampler) {
        this(model, sampler, 1, 1);
    }

    /** With RePaint resampling (jumpLength j ≥ 1, jumpCount r ≥ 1; r = 1 means none). */
    public Inpainting(ImageModel model, Sampler sampler, int jumpLength, int jumpCount) {
        this.model = Objects.requireNonNull(model, "model");
        this.sampler = Objects.requireNonNull(sampler, "sampler");
        if (jumpLength < 1 || jumpCount < 1) {
            throw new IllegalArgumentException("jumpLength/jumpCount: expected >= 1/>= 1, got " + jumpLength + "/"
                    + jumpCount);
        }
        this.jumpLength = jumpLength;
        this.jumpCount = jumpCount;
    }

    /**
     * Fills the pixels where {@code mask} is 0.
     *
     * @param image    [B, C, H, W] in [−1, 1], the model's size
     * @param mask     1 (or true) where the pixel is known, 0 where it is generated: [H, W], [1, 1, H, W] or
     *                 [B, 1, H, W]; float values must be exactly 0 or 1
     * @param guidance labels / guidance weight (or {@link Guidance#none()})
     */
    public NDArray inpaint(NDArray image, NDArray mask, Guidance guidance, long seed, NDManager manager) {
        int b = model.requireImage("image", image);
        return run(image, mask, guidance, seed, manager, b);
    }

    /** As {@link #inpaint} on a canvas of any size the U-Net accepts (for outpainting). */
    NDArray run(NDArray image, NDArray mask, Guidance guidance, long seed, NDManager manager, int b) {
        Objects.requireNonNull(guidance, "guidance");
        Shape s = image.getShape();
        try (NDManager scope = manager.newSubManager()) {
            NDArray known = booleanMask(mask, b, s.get(2), s.get(3), scope);
            Guidance.Resolved r = guidance.resolve(model, b, scope);
            SamplingOptions o = SamplingOptions.builder(scope).seed(seed).conditioning(r.conditioning())
                    .mask(new MaskedGeneration(image, known, jumpLength, jumpCount)).build();
            NDArray x = sampler.sample(r.denoiser(), s, o);
            x.attach(manager);
            return x;
        }
    }

    /** The mask as boolean [B or 1, 1, H, W], checked. */
    static NDArray booleanMask(NDArray mask, int b, long h, long w, NDManager scope) {
        Objects.requireNonNull(mask, "mask");
        Shape m = mask.getShape();
        NDArray m4;
        if (m.dimension() == 2 && m.get(0) == h && m.get(1) == w) {
            m4 = mask.reshape(1, 1, h, w);
        } else if (m.dimension() == 4 && (m.get(0) == 1 || m.get(0) == b) && m.get(1) == 1 && m.get(2) == h
                && m.get(3) == w) {
            m4 = mask;
        } else {
            throw new IllegalArgumentException("mask: expected shape [" + h + ", " + w + "], [1, 1, " + h + ", " + w
                    + "] or [" + b + ", 1, " + h + ", " + w + "], got " + m);
        }
        if (m4.getDataType() == DataType.BOOLEAN) {
            NDArray out = m4.duplicate();
            out.attach(scope);
            return out;
        }
        NDArray f = m4.toType(DataType.FLOAT32, false);
        NDArray isZero = f.eq(0f);
        NDArray isOne = f.eq(1f);
        boolean binary = isZero.logicalOr(isOne).all().getBoolean();
        if (!binary) {
            throw new IllegalArgumentException("mask: expected values 0 (generate) or 1 (known) only, got others (min "
                    + f.min().getFloat() + ", max " + f.max().getFloat() + ")");
        }
        isOne.attach(scope);
        return isOne;
    }
}
