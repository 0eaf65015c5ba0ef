package org.diffusion4j.audio.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.diffusion4j.core.testing.FiniteDifferences;
import org.junit.jupiter.api.Test;

class WaveGradTest {

    /** A tiny network: hop 6 = 2·3, channels 4..8, so a naive Java reference can run it. */
    static WaveGradConfig tiny(double scale) {
        return WaveGradConfig.builder().nMels(3).hop(6).upFactors(2, 3).upChannels(6, 4)
                .upDilations(new int[][] {{1, 2, 1, 2}, {1, 2, 4, 8}}).firstDownChannels(4).downChannels(6)
                .melEmbedChannels(5).noiseLevelScale(scale).build();
    }

    @Test
    void baseModelHasLmntsParameterCountAndNames() {
        try (NDManager m = NDManager.newBaseManager()) {
            WaveGrad model = new WaveGrad(WaveGradConfig.base());
            model.initialize(m, DataType.FLOAT32);
            assertEquals(15_920_993L, model.parameterCount());
            Map<String, Parameter> p = model.parameters();
            assertEquals(108, p.size());
            assertTrue(p.containsKey("downsample.0.weight"));
            assertTrue(p.containsKey("downsample.4.conv.2.bias"));
            assertTrue(p.containsKey("downsample.1.residual_dense.weight"));
            assertTrue(p.containsKey("film.4.output_conv.weight"));
            assertTrue(p.containsKey("upsample.0.block2.1.weight"));
            assertTrue(p.containsKey("upsample.4.block3.0.bias"));
            assertEquals(new Shape(768, 128, 3), p.get("first_conv.weight").getArray().getShape());
            assertEquals(new Shape(1024, 512, 3), p.get("film.4.output_conv.weight").getArray().getShape());
            assertEquals(new Shape(512, 768, 1), p.get("upsample.0.block1.weight").getArray().getShape());
            assertEquals(new Shape(1, 128, 3), p.get("last_conv.weight").getArray().getShape());
            // split reported by the anchors: downsample 2,904,256; film 3,767,328; upsample 8,953,344
            assertEquals(2_904_256L, sum(p, "downsample."));
            assertEquals(3_767_328L, sum(p, "film."));
            assertEquals(8_953_344L, sum(p, "upsample."));
            // 80 mels removes 48·768·3 weights (ivanvovk's 15,810,401)
            WaveGrad m80 = new WaveGrad(WaveGradConfig.builder().nMels(80).build());
            m80.initialize(m, DataType.FLOAT32);
            assertEquals(15_810_401L, m80.parameterCount());
        }
    }

    private static long sum(Map<String, Parameter> p, String prefix) {
        return p.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToLong(e -> e.getValue().getArray().size()).sum();
    }

    @Test
    void factorsMustMultiplyToTheHop() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WaveGradConfig.builder().hop(256).build());
        assertTrue(e.getMessage().contains("product must equal the hop 256"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WaveGradConfig.builder().downChannels(1, 2).build());
        assertEquals(WaveGradConfig.base(), WaveGradConfig.base().toBuilder().build());
    }

    @Test
    void rejectsMismatchedInputShapes() {
        try (NDManager m = NDManager.newBaseManager()) {
            WaveGrad model = new WaveGrad(tiny(1));
            model.initialize(m, DataType.FLOAT32);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray mel = m.zeros(new Shape(2, 3, 4));
            NDArray level = m.ones(new Shape(2));
            IllegalArgumentException e1 = assertThrows(IllegalArgumentException.class,
                    () -> model.forward(ps, new NDList(m.zeros(new Shape(2, 25)), level, mel), false));
            assertTrue(e1.getMessage().contains("[2, 24]"), e1.getMessage());
            IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                    () -> model.forward(ps, new NDList(m.zeros(new Shape(2, 24)), level, m.zeros(new Shape(2, 4, 4))), false));
            assertTrue(e2.getMessage().contains("3 bands"), e2.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> model.forward(ps, new NDList(m.zeros(new Shape(2, 24)), m.ones(new Shape(3)), mel), false));
        }
    }

    /**
     * Backward through the per-block scopes of the forward (each activation's handle closed once read) against
     * central finite differences: for every parameter, at its element of largest gradient, of L = Σ out·r.
     */
    @Test
    void gradientsMatchFiniteDifferencesWithIntermediatesFreedDuringTheForward() {
        try (NDManager m = NDManager.newBaseManager()) {
            WaveGradConfig cfg = tiny(1);
            WaveGrad model = new WaveGrad(cfg);
            model.initialize(m, DataType.FLOAT32);
            Random r = new Random(5);
            RandomWeights.randomise(model, r, 0.2);
            int batch = 2;
            int frames = 3;
            int t = frames * cfg.hop();
            NDArray audio = org.diffusion4j.core.memory.NativeArrays.copyOf(m, gaussian(r, batch * t), new Shape(batch, t));
            NDArray mel = org.diffusion4j.core.memory.NativeArrays.copyOf(m, gaussian(r, batch * 3 * frames),
                    new Shape(batch, 3, frames));
            NDArray level = org.diffusion4j.core.memory.NativeArrays.copyOf(m, new float[] {0.3f, 0.9f}, new Shape(batch));
            NDArray weights = org.diffusion4j.core.memory.NativeArrays.copyOf(m, gaussian(r, batch * t), new Shape(batch, 1, t));
            ParameterStore ps = new ParameterStore(m, false);
            java.util.function.DoubleSupplier loss = () -> {
                try (NDManager call = m.newSubManager()) {
                    audio.tempAttach(call);
                    mel.tempAttach(call);
                    return model.forward(ps, new NDList(audio, level, mel), false).head().mul(weights).sum().getFloat();
                }
            };
            Map<String, float[]> grads = FiniteDifferences.gradients(model.parameters(), () -> {
                try (NDManager call = m.newSubManager();
                        ai.djl.training.GradientCollector gc = m.getEngine().newGradientCollector()) {
                    audio.tempAttach(call);
                    mel.tempAttach(call);
                    gc.backward(model.forward(ps, new NDList(audio, level, mel), true).head().mul(weights).sum());
                }
            });
            double h = 1e-3;
            for (Map.Entry<String, Parameter> e : model.parameters().entrySet()) {
                float[] g = grads.get(e.getKey());
                int k = FiniteDifferences.argMaxAbs(g);
                assertTrue(g[k] != 0 && Float.isFinite(g[k]), "gradient of " + e.getKey() + ": " + g[k]);
                double fd = FiniteDifferences.centralDifference(e.getValue().getArray(), k, h, loss);
                // L is piecewise smooth (LeakyReLU kinks: a difference over ±3e-2 is off by up to 15 %, over ±1e-3 by
                // < 0.2 % on most parameters), and float32 rounding of L is worth ~1e-5 / 2h = 5e-3 here
                assertEquals(g[k], fd, 0.02 * Math.abs(g[k]) + 5e-3, e.getKey() + "[" + k + "]");
            }
        }
    }

    @Test
    void matchesANaiveJavaReferenceOfLmntsForward() {
        for (double scale : new double[] {1, 5000}) {
            try (NDManager m = NDManager.newBaseManager()) {
                WaveGradConfig cfg = tiny(scale);
                WaveGrad model = new WaveGrad(cfg);
                model.initialize(m, DataType.FLOAT32);
                Random r = new Random(11);
                // non-zero biases so that bias handling is checked too
                RandomWeights.randomise(model, r, 0.4);
                int batch = 2;
                int frames = 3;
                int t = frames * cfg.hop();
                float[] audio = gaussian(r, batch * t);
                float[] mel = gaussian(r, batch * 3 * frames);
                float[] level = {0.3f, 0.97f};
                NDArray out = model.forward(new ParameterStore(m, false), new NDList(m.create(audio, new Shape(batch, 1, t)),
                        m.create(level), m.create(mel, new Shape(batch, 3, frames))), false).head();
                assertEquals(new Shape(batch, 1, t), out.getShape());
                float[] got = out.toFloatArray();
                Map<String, float[]> w = new java.util.HashMap<>();
                Map<String, long[]> s = new java.util.HashMap<>();
                model.parameters().forEach((k, p) -> {
                    w.put(k, p.getArray().toFloatArray());
                    s.put(k, p.getArray().getShape().getShape());
                });
                Reference ref = new Reference(w, s, scale);
                for (int b = 0; b < batch; b++) {
                    double[][] x = new double[1][t];
                    for (int i = 0; i < t; i++) {
                        x[0][i] = audio[b * t + i];
                    }
                    double[][] mm = new double[3][frames];
                    for (int c = 0; c < 3; c++) {
                        for (int f = 0; f < frames; f++) {
                            mm[c][f] = mel[(b * 3 + c) * frames + f];
                        }
                    }
                    double[][] expected = ref.forward(x, mm, level[b]);
                    for (int i = 0; i < t; i++) {
                        assertEquals(expected[0][i], got[b * t + i], 1e-3 * Math.max(1, Math.abs(expected[0][i])),
                                "scale " + scale + " batch " + b + " sample " + i);
                    }
                }
            }
        }
    }

    private static float[] gaussian(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    /** lmnt-com/wavegrad model.py, written out literally for one sample in double precision. */
    private static final class Reference {
        final Map<String, float[]> w;
        final Map<String, long[]> s;
        final double scale;

        Reference(Map<String, float[]> w, Map<String, long[]> s, double scale) {
            this.w = w;
            this.s = s;
            this.scale = scale;
        }

        double[][] conv(String name, double[][] x, int dilation) {
            float[] wt = w.get(name + ".weight");
            float[] bias = w.get(name + ".bias");
            long[] shape = s.get(name + ".weight");
            int out = (int) shape[0];
            int in = (int) shape[1];
            int k = (int) shape[2];
            int pad = dilation * (k - 1) / 2;
            int len = x[0].length;
            double[][] y = new double[out][len];
            for (int o = 0; o < out; o++) {
                for (int t = 0; t < len; t++) {
                    double acc = bias[o];
                    for (int c = 0; c < in; c++) {
                        for (int j = 0; j < k; j++) {
                            int src = t - pad + j * dilation;
                            if (src >= 0 && src < len) {
                                acc += wt[(o * in + c) * k + j] * x[c][src];
                            }
                        }
                    }
                    y[o][t] = acc;
                }
            }
            return y;
        }

        static double[][] lrelu(double[][] x) {
            double[][] y = new double[x.length][];
            for (int c = 0; c < x.length; c++) {
                y[c] = new double[x[c].length];
                for (int t = 0; t < x[c].length; t++) {
                    y[c][t] = x[c][t] > 0 ? x[c][t] : 0.2 * x[c][t];
                }
            }
            return y;
        }

        static double[][] interpolate(double[][] x, int size) {
            double[][] y = new double[x.length][size];
            int len = x[0].length;
            for (int c = 0; c < x.length; c++) {
                for (int t = 0; t < size; t++) {
                    y[c][t] = x[c][(int) Math.floor(t * (double) len / size)];
                }
            }
            return y;
        }

        static double[][] add(double[][] a, double[][] b) {
            double[][] y = new double[a.length][a[0].length];
            for (int c = 0; c < a.length; c++) {
                for (int t = 0; t < a[0].length; t++) {
                    y[c][t] = a[c][t] + b[c][t];
                }
            }
            return y;
        }

        static double[][] film(double[][] shift, double[][] sc, double[][] x) {
            double[][] y = new double[x.length][x[0].length];
            for (int c = 0; c < x.length; c++) {
                for (int t = 0; t < x[0].length; t++) {
                    y[c][t] = shift[c][t] + sc[c][t] * x[c][t];
                }
            }
            return y;
        }

        double[][] dblock(String p, double[][] x, int factor) {
            int size = x[0].length / factor;
            double[][] residual = interpolate(conv(p + "residual_dense", x, 1), size);
            double[][] y = interpolate(x, size);
            int[] d = {1, 2, 4};
            for (int i = 0; i < 3; i++) {
                y = conv(p + "conv." + i, lrelu(y), d[i]);
            }
            return add(y, residual);
        }

        double[][][] filmBlock(String p, double[][] x, double level) {
            double[][] h = lrelu(conv(p + "input_conv", x, 1));
            int count = h.length / 2;
            for (int i = 0; i < count; i++) {
                // the argument rounded to float32 as any fp32 implementation forms it (at scale 5000 it reaches
                // ~5000 rad, where one float ulp is ~5e-4 rad: the rounding, not the formula, dominates)
                double e = (float) ((float) level * (float) (scale * Math.exp(-Math.log(1e4) * i / count)));
                for (int t = 0; t < h[0].length; t++) {
                    h[i][t] += Math.sin(e);
                    h[i + count][t] += Math.cos(e);
                }
            }
            double[][] out = conv(p + "output_conv", h, 1);
            int half = out.length / 2;
            double[][] shift = new double[half][];
            double[][] sc = new double[half][];
            for (int c = 0; c < half; c++) {
                shift[c] = out[c];
                sc[c] = out[c + half];
            }
            return new double[][][] {shift, sc};
        }

        double[][] ublock(String p, double[][] x, int factor, int[] d, double[][] shift, double[][] sc) {
            int size = x[0].length * factor;
            double[][] b1 = conv(p + "block1", interpolate(x, size), 1);
            double[][] b2 = conv(p + "block2.0", interpolate(lrelu(x), size), d[0]);
            b2 = conv(p + "block2.1", lrelu(film(shift, sc, b2)), d[1]);
            double[][] y = add(b1, b2);
            double[][] b3 = conv(p + "block3.0", lrelu(film(shift, sc, y)), d[2]);
            b3 = conv(p + "block3.1", lrelu(film(shift, sc, b3)), d[3]);
            return add(y, b3);
        }

        double[][] forward(double[][] audio, double[][] mel, double level) {
            List<double[][][]> mods = new ArrayList<>();
            double[][] x = conv("downsample.0", audio, 1);
            mods.add(filmBlock("film.0.", x, level));
            x = dblock("downsample.1.", x, 3); // tiny(): up factors (2, 3) → down factor 3
            mods.add(filmBlock("film.1.", x, level));
            double[][] y = conv("first_conv", mel, 1);
            y = ublock("upsample.0.", y, 2, new int[] {1, 2, 1, 2}, mods.get(1)[0], mods.get(1)[1]);
            y = ublock("upsample.1.", y, 3, new int[] {1, 2, 4, 8}, mods.get(0)[0], mods.get(0)[1]);
            return conv("last_conv", y, 1);
        }
    }

    @Test
    void denoiserMapsStepIndexToSqrtAlphaBar() {
        try (NDManager m = NDManager.newBaseManager()) {
            WaveGrad model = new WaveGrad(tiny(1));
            model.initialize(m, DataType.FLOAT32);
            double[] betas = {1e-4, 1e-3, 1e-2, 0.2};
            float[] levels = WaveGradDenoiser.noiseLevels(betas);
            assertEquals(Math.sqrt((1 - 1e-4) * (1 - 1e-3) * (1 - 1e-2)), levels[2], 1e-7);
            ParameterStore ps = new ParameterStore(m, false);
            WaveGradDenoiser d = new WaveGradDenoiser(model, ps, betas, false);
            NDArray xt = m.create(gaussian(new Random(3), 2 * 12), new Shape(2, 12));
            NDArray mel = m.create(gaussian(new Random(4), 2 * 3 * 2), new Shape(2, 3, 2));
            NDArray eps = d.predict(xt, m.create(new long[] {2, 0}), new NDList(mel));
            assertEquals(xt.getShape(), eps.getShape());
            NDArray direct = model.forward(ps, new NDList(xt, m.create(new float[] {levels[2], levels[0]}), mel), false).head();
            assertArrayEquals(direct.toFloatArray(), eps.toFloatArray(), 0f);
            assertThrows(IllegalArgumentException.class, () -> d.predict(xt, m.create(new long[] {4, 0}), new NDList(mel)));
            assertThrows(IllegalArgumentException.class, () -> WaveGradDenoiser.noiseLevels(new double[] {0.5, 1.0}));
        }
    }
}
