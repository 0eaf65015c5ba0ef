package org.diffusion4j.image.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.diffusion4j.core.model.Denoiser;
import org.diffusion4j.core.process.GaussianDiffusion;
import org.diffusion4j.core.random.NoiseSource;
import org.diffusion4j.core.sampling.DdimSampler;
import org.diffusion4j.core.sampling.DdpmSampler;
import org.diffusion4j.core.sampling.Sampler;
import org.diffusion4j.core.sampling.TimestepSpacing;
import org.diffusion4j.core.schedule.NoiseSchedule;
import org.diffusion4j.image.model.UNet2D;
import org.diffusion4j.image.model.UNet2DConfig;
import org.junit.jupiter.api.Test;

class PipelinesTest {

    private static final GaussianDiffusion DIFFUSION =
            GaussianDiffusion.builder().schedule(NoiseSchedule.linear(100)).build();
    private static final double DATA_STD = 0.5;

    /** ε that the data N(0, s²I) implies exactly: ε* = √(1−ᾱ)·x / (ᾱs² + 1 − ᾱ) (Tweedie, Gaussian prior). */
    private static Denoiser gaussianOptimal() {
        return (xt, t, cond) -> {
            long[] ts = t.toLongArray();
            float[] x = xt.toFloatArray();
            int per = x.length / ts.length;
            float[] out = new float[x.length];
            for (int i = 0; i < ts.length; i++) {
                double ab = DIFFUSION.schedule().alphaCumprod((int) ts[i]);
                double k = Math.sqrt(1 - ab) / (ab * DATA_STD * DATA_STD + 1 - ab);
                for (int j = 0; j < per; j++) {
                    out[i * per + j] = (float) (k * x[i * per + j]);
                }
            }
            return xt.getManager().create(out, xt.getShape());
        };
    }

    private static ImageModel model(Denoiser d, int numClasses, int nullClass) {
        return new ImageModel(d, 1, 8, 8, 4, numClasses, nullClass, false);
    }

    private static Sampler ddim(int steps) {
        return DdimSampler.builder(DIFFUSION).steps(steps).spacing(TimestepSpacing.TRAILING).build();
    }

    private static NDArray randomImage(NDManager m, int b, long seed) {
        return NoiseSource.seeded(seed).normal(m, new Shape(b, 1, 8, 8), DataType.FLOAT32).mul(0.5f).clip(-1f, 1f);
    }

    private static NDArray randomMask(NDManager m, long seed) {
        NoiseSource n = NoiseSource.seeded(seed);
        float[] v = new float[64];
        for (int i = 0; i < 64; i++) {
            v[i] = n.nextDouble() < 0.5 ? 1f : 0f;
        }
        return m.create(v, new Shape(8, 8));
    }

    @Test
    void inpaintingKeepsKnownPixelsExactlyAndGeneratesTheRest() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (int[] jump : new int[][] {{1, 1}, {2, 3}}) {
                NDArray image = randomImage(m, 2, 1);
                NDArray mask = randomMask(m, 2);
                NDArray out = new Inpainting(model(gaussianOptimal(), 0, -1), ddim(10), jump[0], jump[1])
                        .inpaint(image, mask, Guidance.none(), 3, m);
                float[] o = out.toFloatArray();
                float[] x = image.toFloatArray();
                float[] k = mask.toFloatArray();
                int changed = 0;
                for (int i = 0; i < o.length; i++) {
                    if (k[i % 64] == 1f) {
                        assertEquals(x[i], o[i], 0.0, "known pixel " + i);
                    } else if (Math.abs(x[i] - o[i]) > 1e-3) {
                        changed++;
                    }
                }
                assertTrue(changed > 20, "unknown pixels regenerated: " + changed);
            }
        }
    }

    @Test
    void imageToImageAtStrengthZeroReturnsTheInputAndStartsWhereTheStrengthSays() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray image = randomImage(m, 3, 4);
            ImageToImage edit = new ImageToImage(model(gaussianOptimal(), 0, -1), ddim(10));
            assertArrayEquals(image.toFloatArray(), edit.edit(image, 0.0, Guidance.none(), 5, m).toFloatArray());
            // trailing spacing over T = 100 with 10 steps visits 99, 89, ..., 9: the largest t with t + 1 <= s·T
            assertEquals(99, edit.startTimestep(1.0));
            assertEquals(49, edit.startTimestep(0.5));
            assertEquals(9, edit.startTimestep(0.1));
            assertEquals(-1, edit.startTimestep(0.05));
            NDArray mid = edit.edit(image, 0.5, Guidance.none(), 5, m);
            assertEquals(image.getShape(), mid.getShape());
            assertTrue(mid.sub(image).abs().max().getFloat() > 1e-3f, "strength 0.5 changes the image");
            assertThrows(IllegalArgumentException.class, () -> edit.startTimestep(1.5));
            assertThrows(IllegalArgumentException.class, () -> edit.startTimestep(Double.NaN));
        }
    }

    @Test
    void outpaintingExtendsTheCanvasAndKeepsTheImage() {
        try (NDManager m = NDManager.newBaseManager()) {
            ImageModel model = model(gaussianOptimal(), 0, -1);
            Outpainting out = new Outpainting(model, new Inpainting(model, ddim(5)));
            NDArray small = NoiseSource.seeded(6).normal(m, new Shape(2, 1, 5, 3), DataType.FLOAT32);
            NDArray big = out.outpaint(small, 1, 2, 4, 1, Guidance.none(), 7, m);
            assertEquals(new Shape(2, 1, 8, 8), big.getShape());
            assertArrayEquals(small.toFloatArray(), big.get(":, :, 1:6, 4:7").toFloatArray());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> out.outpaint(small, 1, 1, 4, 1, Guidance.none(), 7, m));
            assertTrue(e.getMessage().contains("7×8"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> out.outpaint(small, -1, 4, 4, 1, Guidance.none(), 7, m));
        }
    }

    @Test
    void guidanceCombinesConditionalAndNullPredictions() {
        // ε depends on the label only: the guided ε is f(∅) + w·(f(y) − f(∅)); a denoiser emitting that directly
        // must give the same samples from the same seed.
        double w = 3.0;
        int nullClass = 4;
        Denoiser byLabel = (xt, t, cond) -> {
            NDArray y = cond.get(0).toType(DataType.FLOAT32, false).reshape(-1, 1, 1, 1);
            return xt.mul(0.1f).add(y.mul(0.05f));
        };
        int[] labels = {0, 1, 2, 3};
        Denoiser manual = (xt, t, cond) -> {
            float[] f = new float[labels.length];
            for (int i = 0; i < labels.length; i++) {
                f[i] = (float) (0.05 * nullClass + w * (0.05 * labels[i] - 0.05 * nullClass));
            }
            return xt.mul(0.1f).add(xt.getManager().create(f, new Shape(labels.length, 1, 1, 1)));
        };
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray guided = new Generation(model(byLabel, 4, nullClass), ddim(8)).generate(labels, w, 11, m);
            NDArray direct = new Generation(model(manual, 0, -1), ddim(8)).generate(labels.length, 11, m);
            float[] a = guided.toFloatArray();
            float[] b = direct.toFloatArray();
            for (int i = 0; i < a.length; i++) {
                assertEquals(b[i], a[i], 1e-4, "element " + i);
            }
        }
    }

    @Test
    void labelsReachTheModelAndUnconditionalUsesTheNullClass() {
        List<long[]> seen = new ArrayList<>();
        Denoiser spy = (xt, t, cond) -> {
            seen.add(cond.get(0).toLongArray());
            return xt.zerosLike();
        };
        try (NDManager m = NDManager.newBaseManager()) {
            ImageModel model = model(spy, 3, 3);
            new Generation(model, ddim(2)).generate(new int[] {2, 0}, 1.0, 1, m);
            assertArrayEquals(new long[] {2, 0}, seen.get(0));
            seen.clear();
            new Generation(model, ddim(2)).generate(2, 1, m);
            assertArrayEquals(new long[] {3, 3}, seen.get(0));
        }
    }

    @Test
    void badInputIsRefusedWithTheArgumentNamed() {
        try (NDManager m = NDManager.newBaseManager()) {
            ImageModel cond = model(gaussianOptimal(), 3, 3);
            ImageModel noNull = model(gaussianOptimal(), 3, -1);
            ImageModel uncond = model(gaussianOptimal(), 0, -1);
            Generation g = new Generation(cond, ddim(2));
            message(() -> Guidance.of(1, -0.5), "guidance scale");
            message(() -> g.generate(new int[] {1}, -1.0, 0, m), "guidance scale");
            message(() -> g.generate(new int[] {3}, 2.0, 0, m), "labels[0]");
            message(() -> new Generation(noNull, ddim(2)).generate(new int[] {1}, 2.0, 0, m), "null class");
            message(() -> new Generation(noNull, ddim(2)).generate(1, 0, m), "null class");
            message(() -> new Generation(uncond, ddim(2)).generate(new int[] {1}, 1.0, 0, m), "labels");
            message(() -> g.generate(2, Guidance.of(new int[] {0, 1, 2}, 1.0), 0, m), "labels");
            Inpainting inpaint = new Inpainting(uncond, ddim(2));
            NDArray rgb = m.zeros(new Shape(1, 3, 8, 8));
            NDArray tooBig = m.zeros(new Shape(1, 1, 16, 8));
            NDArray ok = m.zeros(new Shape(1, 1, 8, 8));
            NDArray mask = m.ones(new Shape(8, 8));
            message(() -> inpaint.inpaint(rgb, mask, Guidance.none(), 0, m), "image: expected shape [B, 1, 8, 8]");
            message(() -> inpaint.inpaint(tooBig, mask, Guidance.none(), 0, m), "image: expected shape [B, 1, 8, 8]");
            message(() -> inpaint.inpaint(ok, m.ones(new Shape(4, 8)), Guidance.none(), 0, m), "mask: expected shape");
            message(() -> inpaint.inpaint(ok, m.ones(new Shape(8, 8)).mul(0.5f), Guidance.none(), 0, m), "mask");
            message(() -> new ImageToImage(uncond, ddim(2)).edit(rgb, 0.5, Guidance.none(), 0, m), "image");
            message(() -> new Interpolation(uncond, DdimSampler.builder(DIFFUSION).steps(2).eta(1.0).build()), "eta");
            message(() -> new Interpolation(uncond, (DdimSampler) ddim(2)).interpolate(ok, ok, 1, Guidance.none(), m),
                    "frames");
        }
    }

    private static void message(Runnable r, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' should contain '" + expected + "'");
    }

    @Test
    void interpolationEndsAreTheDdimRoundTripsOfTheInputsAndConvergeToThem() {
        // DDIM is a first-order solver of the probability-flow ODE: inversion followed by decoding returns the
        // input up to an error that halves when the steps double. The end frames must be exactly those round trips.
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = randomImage(m, 1, 21);
            NDArray b = randomImage(m, 1, 22);
            double[] errors = new double[2];
            int[] steps = {25, 50};
            for (int k = 0; k < 2; k++) {
                DdimSampler ddim = DdimSampler.builder(DIFFUSION).steps(steps[k]).spacing(TimestepSpacing.TRAILING).build();
                NDArray frames = new Interpolation(model(gaussianOptimal(), 0, -1), ddim).interpolate(a, b, 5,
                        Guidance.none(), m);
                assertEquals(new Shape(5, 1, 8, 8), frames.getShape());
                NDArray roundA = roundTrip(ddim, a, m);
                NDArray roundB = roundTrip(ddim, b, m);
                assertTrue(frames.get("0:1").sub(roundA).abs().max().getFloat() < 1e-5f);
                assertTrue(frames.get("4:5").sub(roundB).abs().max().getFloat() < 1e-5f);
                errors[k] = Math.max(roundA.sub(a).abs().max().getFloat(), roundB.sub(b).abs().max().getFloat());
                float mid = frames.get("2:3").sub(roundA).abs().max().getFloat();
                assertTrue(mid > 0.1f, "the middle frame differs from the ends: " + mid);
            }
            assertTrue(errors[1] < 0.6 * errors[0], "first-order convergence of the round trip: " + errors[0] + " -> "
                    + errors[1]);
        }
    }

    private static NDArray roundTrip(DdimSampler ddim, NDArray x, NDManager m) {
        NDArray z = ddim.invert(gaussianOptimal(), x, org.diffusion4j.core.sampling.SamplingOptions.builder(m).build());
        return ddim.sample(gaussianOptimal(), x.getShape(),
                org.diffusion4j.core.sampling.SamplingOptions.builder(m).initial(ddim.timesteps()[0], z).build());
    }

    @Test
    void slerpHasExactEndsAndKeepsTheNormOfEqualNormVectors() {
        try (NDManager m = NDManager.newBaseManager()) {
            NoiseSource n = NoiseSource.seeded(3);
            for (int trial = 0; trial < 20; trial++) {
                NDArray a = n.normal(m, new Shape(1, 16), DataType.FLOAT32);
                NDArray b0 = n.normal(m, new Shape(1, 16), DataType.FLOAT32);
                NDArray b = b0.div(b0.norm()).mul(a.norm());
                assertTrue(Interpolation.slerp(a, b, 0).sub(a).abs().max().getFloat() < 1e-5f);
                assertTrue(Interpolation.slerp(a, b, 1).sub(b).abs().max().getFloat() < 1e-5f);
                double alpha = n.nextDouble();
                NDArray s = Interpolation.slerp(a, b, alpha);
                assertEquals(a.norm().getFloat(), s.norm().getFloat(), 1e-4 * a.norm().getFloat());
                // the angle to a grows linearly in alpha
                double total = angle(a, b);
                assertEquals(alpha * total, angle(a, s), 1e-3);
            }
        }
    }

    private static double angle(NDArray a, NDArray b) {
        double c = a.mul(b).sum().getFloat() / (a.norm().getFloat() * b.norm().getFloat());
        return Math.acos(Math.max(-1, Math.min(1, c)));
    }

    @Test
    void pipelinesRunOnARealClassConditionalUNet() {
        UNet2DConfig c = UNet2DConfig.builder().inChannels(1).outChannels(1).modelChannels(8).channelMult(1, 2)
                .numResBlocks(1).numHeads(2).normGroups(4).useScaleShiftNorm(true).numClasses(3).nullClass(true).build();
        try (NDManager m = NDManager.newBaseManager()) {
            UNet2D net = new UNet2D(c, 1).initialize(m);
            ImageModel model = ImageModel.of(net, m, 8);
            Sampler ddpm = DdpmSampler.builder(DIFFUSION).steps(3).spacing(TimestepSpacing.TRAILING).build();
            NDArray x = new Generation(model, ddpm).generate(new int[] {0, 2}, 2.0, 1, m);
            assertEquals(new Shape(2, 1, 8, 8), x.getShape());
            assertTrue(Float.isFinite(x.sum().getFloat()));
            assertThrows(IllegalArgumentException.class, () -> ImageModel.of(net, m, 7));
        }
    }
}
