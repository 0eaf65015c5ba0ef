package org.diffusion4j.image.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.diffusion4j.core.random.NoiseSource;
import org.diffusion4j.core.testing.FiniteDifferences;

class UNet2DTest {

    // ---- independent closed-form parameter count (PyTorch module sizes) ----
    private static long conv(long i, long o, long k) { return o * i * k * k + o; }
    private static long lin(long i, long o) { return o * i + o; }
    private static long gn(long c) { return 2 * c; }
    private static long res(long i, long o, long ted, boolean ss) {
        return gn(i) + conv(i, o, 3) + lin(ted, ss ? 2 * o : o) + gn(o) + conv(o, o, 3) + (i == o ? 0 : conv(i, o, 1));
    }
    private static long attn(long c) { return gn(c) + (3 * c * c + 3 * c) + (c * c + c); }

    static long closedFormCount(UNet2DConfig c) {
        long mc = c.modelChannels();
        long ted = 4 * mc;
        boolean ss = c.useScaleShiftNorm();
        long n = lin(mc, ted) + lin(ted, ted);
        if (c.numClasses() > 0) {
            n += (c.numClasses() + (c.nullClass() ? 1 : 0)) * ted;
        }
        n += conv(c.inChannels(), mc, 3);
        java.util.List<Long> skips = new java.util.ArrayList<>(List.of(mc));
        long ch = mc;
        int levels = c.channelMult().size();
        for (int l = 0; l < levels; l++) {
            long out = mc * c.channelMult().get(l);
            boolean a = c.attentionResolutions().contains(1 << l);
            for (int r = 0; r < c.numResBlocks(); r++) {
                n += res(ch, out, ted, ss) + (a ? attn(out) : 0);
                ch = out;
                skips.add(ch);
            }
            if (l < levels - 1) {
                n += conv(ch, ch, 3);
                skips.add(ch);
            }
        }
        n += 2 * res(ch, ch, ted, ss) + attn(ch);
        for (int l = levels - 1; l >= 0; l--) {
            long out = mc * c.channelMult().get(l);
            boolean a = c.attentionResolutions().contains(1 << l);
            for (int r = 0; r <= c.numResBlocks(); r++) {
                long skip = skips.remove(skips.size() - 1);
                n += res(ch + skip, out, ted, ss) + (a ? attn(out) : 0);
                ch = out;
                if (l > 0 && r == c.numResBlocks()) {
                    n += conv(ch, ch, 3);
                }
            }
        }
        n += gn(ch) + conv(ch, c.learnSigma() ? 2L * c.outChannels() : c.outChannels(), 3);
        return n;
    }

    @Property(tries = 1)
    void ddpmCifar10HasTheDdpmPaperParameterCount() {
        UNet2D net = new UNet2D(UNet2DConfig.ddpmCifar10());
        // Ho et al. 2020 report 35.7M parameters for this model; the exact TF-checkpoint count is 35,746,307
        assertEquals(35_746_307L, net.parameterCount());
        assertEquals(closedFormCount(UNet2DConfig.ddpmCifar10()), net.parameterCount());
    }

    @Property(tries = 1)
    void mnistConfigsMatchClosedFormCount() {
        for (UNet2DConfig c : List.of(UNet2DConfig.mnistSmall(), UNet2DConfig.mnistProduction())) {
            assertEquals(closedFormCount(c), new UNet2D(c).parameterCount(), c.toString());
        }
    }

    @Property(tries = 1)
    void improvedDiffusionParameterNames() {
        Map<String, Parameter> p = new UNet2D(UNet2DConfig.mnistSmall()).namedParameters();
        for (String name : List.of("time_embed.0.weight", "time_embed.2.bias", "label_emb.weight",
                "input_blocks.0.0.weight", "input_blocks.1.0.in_layers.0.weight", "input_blocks.1.0.in_layers.2.weight",
                "input_blocks.1.0.emb_layers.1.weight", "input_blocks.1.0.out_layers.0.bias",
                "input_blocks.1.0.out_layers.3.weight", "input_blocks.2.0.op.weight",
                "input_blocks.3.0.skip_connection.weight", "input_blocks.3.1.qkv.weight",
                "input_blocks.3.1.proj_out.bias", "input_blocks.3.1.norm.weight",
                "middle_block.0.in_layers.0.weight", "middle_block.1.qkv.weight", "middle_block.2.out_layers.3.bias",
                "output_blocks.0.0.skip_connection.weight", "output_blocks.3.2.conv.weight",
                "out.0.weight", "out.2.weight", "out.2.bias")) {
            assertTrue(p.containsKey(name), name + " missing; have " + p.keySet());
        }
        assertEquals(new Shape(11, 128), p.get("label_emb.weight").getShape());
        assertEquals(new Shape(192, 64, 1), p.get("input_blocks.3.1.qkv.weight").getShape());
        assertEquals(new Shape(2, 32, 3, 3), p.get("out.2.weight").getShape());
    }

    @Property(tries = 12)
    void forwardShapeOverRandomSmallConfigs(
            @ForAll @IntRange(min = 1, max = 3) int levels,
            @ForAll @IntRange(min = 1, max = 2) int resBlocks,
            @ForAll @IntRange(min = 1, max = 3) int inChannels,
            @ForAll boolean scaleShift,
            @ForAll boolean learnSigma,
            @ForAll boolean conditional,
            @ForAll @IntRange(min = 0, max = 3) int attnLevel,
            @ForAll @IntRange(min = 1, max = 3) int batch,
            @ForAll @IntRange(min = 1, max = 2) int sizeFactor) {
        int[] mult = new int[levels];
        for (int i = 0; i < levels; i++) {
            mult[i] = i == 0 ? 1 : 2;
        }
        UNet2DConfig.Builder b = UNet2DConfig.builder().inChannels(inChannels).modelChannels(8).outChannels(inChannels)
                .channelMult(mult).numResBlocks(resBlocks).numHeads(2).normGroups(4)
                .useScaleShiftNorm(scaleShift).learnSigma(learnSigma);
        if (attnLevel < levels) {
            b.attentionResolutions(1 << attnLevel);
        }
        if (conditional) {
            b.numClasses(3).nullClass(true);
        }
        UNet2DConfig c = b.build();
        assertEquals(closedFormCount(c), new UNet2D(c).parameterCount());
        int side = c.sizeMultiple() * sizeFactor * 2;
        try (NDManager m = NDManager.newBaseManager()) {
            UNet2D net = new UNet2D(c, 7).initialize(m);
            NoiseSource noise = NoiseSource.seeded(1);
            NDList in = new NDList(noise.normal(m, new Shape(batch, inChannels, side, side), DataType.FLOAT32),
                    m.create(new long[batch]));
            if (conditional) {
                in.add(m.full(new Shape(batch), 3, DataType.INT64)); // the null class
            }
            NDArray out = net.forward(new ParameterStore(m, false), in, false).head();
            assertEquals(new Shape(batch, c.networkOutChannels(), side, side), out.getShape());
            // zero_module output conv: a freshly initialised network predicts exactly zero
            assertEquals(0f, out.abs().max().getFloat());
        }
    }

    /** Randomises every parameter so that the zero-initialised layers no longer hide the computation. */
    static void randomise(UNet2D net, long seed) {
        NoiseSource noise = NoiseSource.seeded(seed);
        for (Parameter p : net.namedParameters().values()) {
            float[] v = new float[Math.toIntExact(p.getArray().size())];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (0.2 * noise.nextGaussian());
            }
            org.diffusion4j.core.memory.NativeArrays.copyInto(p.getArray(), v);
        }
    }

    @Property(tries = 1)
    void outputDependsOnTimeAndClassAndIsDeterministic() {
        try (NDManager m = NDManager.newBaseManager()) {
            UNet2D net = new UNet2D(UNet2DConfig.mnistSmall(), 3).initialize(m);
            randomise(net, 5);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = NoiseSource.seeded(2).normal(m, new Shape(2, 1, 28, 28), DataType.FLOAT32);
            float[] a = net.forward(ps, new NDList(x, m.create(new long[] {10, 10}), m.create(new long[] {1, 1})), false).head().toFloatArray();
            float[] a2 = net.forward(ps, new NDList(x, m.create(new long[] {10, 10}), m.create(new long[] {1, 1})), false).head().toFloatArray();
            float[] bt = net.forward(ps, new NDList(x, m.create(new long[] {500, 500}), m.create(new long[] {1, 1})), false).head().toFloatArray();
            float[] by = net.forward(ps, new NDList(x, m.create(new long[] {10, 10}), m.create(new long[] {10, 10})), false).head().toFloatArray();
            assertTrue(java.util.Arrays.equals(a, a2));
            assertNotEquals(a[0], bt[0]);
            assertNotEquals(a[0], by[0]);
            for (float v : a) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    @Property(tries = 1)
    void sameSeedSameWeightsDifferentSeedDifferentWeights() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] a = new UNet2D(UNet2DConfig.mnistSmall(), 11).initialize(m).namedParameters().get("input_blocks.0.0.weight").getArray().toFloatArray();
            float[] b = new UNet2D(UNet2DConfig.mnistSmall(), 11).initialize(m).namedParameters().get("input_blocks.0.0.weight").getArray().toFloatArray();
            float[] c = new UNet2D(UNet2DConfig.mnistSmall(), 12).initialize(m).namedParameters().get("input_blocks.0.0.weight").getArray().toFloatArray();
            assertTrue(java.util.Arrays.equals(a, b));
            assertTrue(!java.util.Arrays.equals(a, c));
            // PyTorch default bound 1/sqrt(fan_in) with fan_in = 1·3·3
            for (float v : a) {
                assertTrue(Math.abs(v) <= 1.0 / 3.0 + 1e-6);
            }
        }
    }

    @Property(tries = 1)
    void noArraysLeakAcrossForwards() {
        try (NDManager m = NDManager.newBaseManager();
                NDManager params = m.newSubManager();
                NDManager calls = m.newSubManager()) {
            UNet2D net = new UNet2D(UNet2DConfig.mnistSmall()).initialize(params);
            randomise(net, 1);
            ParameterStore ps = new ParameterStore(params, false);
            int paramArrays = params.getManagedArrays().size();
            NDArray x = calls.zeros(new Shape(1, 1, 28, 28));
            NDArray t = calls.create(new long[] {3});
            NDArray y = calls.create(new long[] {2});
            int before = calls.getManagedArrays().size();
            for (int i = 0; i < 3; i++) {
                net.forward(ps, new NDList(x, t, y), false).head().close();
            }
            assertEquals(before, calls.getManagedArrays().size());
            assertEquals(paramArrays, params.getManagedArrays().size());
        }
    }

    /** 8 channels, two levels, attention at the second, scale-shift norm, 2 classes + null: every kind of layer. */
    static UNet2DConfig tinyClassConditional() {
        return UNet2DConfig.builder().inChannels(1).modelChannels(8).outChannels(1).channelMult(1, 2)
                .numResBlocks(1).attentionResolutions(2).numHeads(2).normGroups(4).useScaleShiftNorm(true)
                .numClasses(2).nullClass(true).build();
    }

    /**
     * Backward through the per-layer scopes (each activation's handle closed once read) against central finite
     * differences: for every parameter, at its element of largest gradient, of L = Σ out·r with fixed random r.
     */
    @org.junit.jupiter.api.Test
    void gradientsMatchFiniteDifferencesWithIntermediatesFreedDuringTheForward() {
        try (NDManager m = NDManager.newBaseManager()) {
            UNet2DConfig c = tinyClassConditional();
            UNet2D net = new UNet2D(c).initialize(m);
            randomise(net, 21);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = NoiseSource.seeded(6).normal(m, new Shape(2, 1, 8, 8), DataType.FLOAT32);
            NDArray r = NoiseSource.seeded(7).normal(m, new Shape(2, 1, 8, 8), DataType.FLOAT32);
            NDArray t = m.create(new long[] {3, 40});
            NDArray y = m.create(new long[] {1, 2});
            java.util.function.DoubleSupplier loss = () -> {
                try (NDManager call = m.newSubManager()) {
                    x.tempAttach(call);
                    return net.forward(ps, new NDList(x, t, y), false).head().mul(r).sum().getFloat();
                }
            };
            Map<String, float[]> grads = FiniteDifferences.gradients(net.namedParameters(), () -> {
                try (NDManager call = m.newSubManager(); GradientCollector gc = m.getEngine().newGradientCollector()) {
                    x.tempAttach(call);
                    gc.backward(net.forward(ps, new NDList(x, t, y), true).head().mul(r).sum());
                }
            });
            double h = 1e-2;
            int checked = 0;
            for (Map.Entry<String, Parameter> e : net.namedParameters().entrySet()) {
                float[] g = grads.get(e.getKey());
                int k = FiniteDifferences.argMaxAbs(g);
                if (g[k] == 0) {
                    continue; // e.g. the null class's embedding row: no sample uses it
                }
                double fd = FiniteDifferences.centralDifference(e.getValue().getArray(), k, h, loss);
                // float32 forward: loss ~ 10 carries ~1e-6 rounding, / 2h -> 1e-4; curvature over h adds ~1 %
                assertEquals(g[k], fd, 0.03 * Math.abs(g[k]) + 2e-3, e.getKey() + "[" + k + "]");
                checked++;
            }
            assertTrue(checked >= net.namedParameters().size() - 1, "checked " + checked + " parameters");
        }
    }

    @org.junit.jupiter.api.Test
    void gradientsReachEveryParameterAfterTheForwardScopeCloses() {
        try (NDManager m = NDManager.newBaseManager()) {
            UNet2DConfig c = tinyClassConditional();
            UNet2D net = new UNet2D(c).initialize(m);
            randomise(net, 9);
            for (Parameter p : net.namedParameters().values()) {
                p.getArray().setRequiresGradient(true);
            }
            ParameterStore ps = new ParameterStore(m, false);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray x = NoiseSource.seeded(4).normal(m, new Shape(2, 1, 8, 8), DataType.FLOAT32);
                NDArray out = net.forward(ps, new NDList(x, m.create(new long[] {1, 7}), m.create(new long[] {0, 2})), true).head();
                gc.backward(out.square().sum());
            }
            Map<String, Float> norms = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, Parameter> e : net.namedParameters().entrySet()) {
                NDArray g = e.getValue().getArray().getGradient();
                assertNotNull(g, e.getKey());
                norms.put(e.getKey(), g.abs().sum().getFloat());
            }
            // NaN here was libtorch's oneDNN convolution reading unzeroed channel padding; Convolutions pads around it
            norms.forEach((name, norm) -> assertTrue(Float.isFinite(norm), "non-finite gradient for " + name));
            norms.forEach((name, norm) -> assertTrue(norm > 0, "zero gradient for " + name));
        }
    }

    @Property(tries = 1)
    void rejectsBadInputs() {
        try (NDManager m = NDManager.newBaseManager()) {
            UNet2D net = new UNet2D(UNet2DConfig.mnistSmall()).initialize(m);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray t = m.create(new long[] {1});
            NDArray y = m.create(new long[] {1});
            IllegalArgumentException e;
            e = assertThrows(IllegalArgumentException.class,
                    () -> net.forward(ps, new NDList(m.zeros(new Shape(1, 3, 28, 28)), t, y), false));
            assertTrue(e.getMessage().contains("[B, 1, H, W]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> net.forward(ps, new NDList(m.zeros(new Shape(1, 1, 30, 30)), t, y), false));
            assertTrue(e.getMessage().contains("multiples of 4"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> net.forward(ps, new NDList(m.zeros(new Shape(1, 1, 28, 28)), t), false));
            e = assertThrows(IllegalArgumentException.class,
                    () -> net.forward(ps, new NDList(m.zeros(new Shape(1, 1, 28, 28)), t, m.create(new long[] {11})), false));
            assertTrue(e.getMessage().contains("[0, 11)"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> UNet2DConfig.mnistSmall().toBuilder().numHeads(3).build());
        assertThrows(IllegalArgumentException.class, () -> UNet2DConfig.mnistSmall().toBuilder().modelChannels(40).build());
    }
}
