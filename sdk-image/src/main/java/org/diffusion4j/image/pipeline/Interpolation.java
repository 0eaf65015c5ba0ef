package org.diffusion4j.image.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;
import org.diffusion4j.core.sampling.DdimSampler;
import org.diffusion4j.core.sampling.SamplingOptions;

/**
 * Interpolation between two images through their DDIM latents (Song et al. 2021, §5.3): both images are mapped to
 * x_T by deterministic DDIM inversion (η = 0), the latents are interpolated spherically (they are near-Gaussian,
 * so their norms concentrate around √d and a straight line would pass through low-norm, blurry latents), and each
 * interpolated latent is decoded with the same deterministic DDIM run. The end frames reproduce the inputs up to
 * the inversion error.
 *
 * <p>Guidance: inversion and decoding use the plain model under the given labels (or the null class); a guidance
 * weight ≠ 1 would make the inversion inconsistent with decoding and is refused.
 */
public final class Interpolation {

    private final ImageModel model;
    private final DdimSampler ddim;

    /** {@code ddim} must be deterministic (η = 0). */
    public Interpolation(ImageModel model, DdimSampler ddim) {
        this.model = Objects.requireNonNull(model, "model");
        this.ddim = Objects.requireNonNull(ddim, "ddim");
        if (ddim.eta() != 0.0) {
            throw new IllegalArgumentException("ddim: expected eta 0 (deterministic inversion), got " + ddim.eta());
        }
    }

    /**
     * @param a      [1, C, H, W] in [−1, 1]
     * @param b      [1, C, H, W] in [−1, 1]
     * @param frames number of images, both ends included (≥ 2)
     * @return [frames, C, H, W], frame i decoded from slerp(z_a, z_b, i / (frames − 1))
     */
    public NDArray interpolate(NDArray a, NDArray b, int frames, Guidance guidance, NDManager manager) {
        if (model.requireImage("a", a) != 1 || model.requireImage("b", b) != 1) {
            throw new IllegalArgumentException("a, b: expected one image each ([1, C, H, W]), got " + a.getShape() + " and "
                    + b.getShape());
        }
        if (frames < 2) {
            throw new IllegalArgumentException("frames: expected >= 2, got " + frames);
        }
        Objects.requireNonNull(guidance, "guidance");
        if (guidance.scale() != 1.0) {
            throw new IllegalArgumentException("guidance scale: expected 1 for interpolation (inversion and decoding "
                    + "must use the same model), got " + guidance.scale());
        }
        try (NDManager scope = manager.newSubManager()) {
            Guidance.Resolved one = guidance.resolve(model, 1, scope);
            SamplingOptions inv = SamplingOptions.builder(scope).conditioning(one.conditioning()).build();
            NDArray za = ddim.invert(one.denoiser(), a, inv);
            NDArray zb = ddim.invert(one.denoiser(), b, inv);
            NDList latents = new NDList(frames);
            for (int i = 0; i < frames; i++) {
                latents.add(slerp(za, zb, i / (double) (frames - 1)));
            }
            NDArray z = NDArrays.concat(latents, 0);
            Guidance.Resolved all = guidance.resolve(model, frames, scope);
            int start = ddim.timesteps()[0];
            SamplingOptions dec = SamplingOptions.builder(scope).conditioning(all.conditioning()).initial(start, z).build();
            NDArray x = ddim.sample(all.denoiser(), new Shape(frames, model.channels(), model.height(), model.width()), dec);
            x.attach(manager);
            return x;
        }
    }

    /**
     * Spherical interpolation of two arrays as flat vectors (Shoemake 1985): sin((1−α)θ)/sin θ · a + sin(αθ)/sin θ · b
     * with cos θ = ⟨a, b⟩/(‖a‖‖b‖); linear interpolation when θ is below 1e−4 (the formula is 0/0 there).
     */
    public static NDArray slerp(NDArray a, NDArray b, double alpha) {
        if (!a.getShape().equals(b.getShape())) {
            throw new IllegalArgumentException("b: expected shape " + a.getShape() + " (that of a), got " + b.getShape());
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha: expected a value in [0, 1], got " + alpha);
        }
        double dot = a.mul(b).sum().getFloat();
        double na = Math.sqrt(a.mul(a).sum().getFloat());
        double nb = Math.sqrt(b.mul(b).sum().getFloat());
        double cos = Math.max(-1, Math.min(1, dot / (na * nb)));
        double theta = Math.acos(cos);
        double ca;
        double cb;
        if (theta < 1e-4 || na == 0 || nb == 0) {
            ca = 1 - alpha;
            cb = alpha;
        } else {
            ca = Math.sin((1 - alpha) * theta) / Math.sin(theta);
            cb = Math.sin(alpha * theta) / Math.sin(theta);
        }
        return a.mul((float) ca).add(b.mul((float) cb));
    }
}
