package org.diffusion4j.image.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.diffusion4j.core.memory.NativeArrays;
import org.diffusion4j.core.random.NoiseSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TorchScript form of the U-Net ({@link UNet2DScript}, {@link CompiledUNet}) against the eager network. */
class CompiledUNetTest {

    /** Unconditional, additive embedding (no scale-shift), learned σ, attention at the second level. */
    static UNet2DConfig tinyUnconditional() {
        return UNet2DConfig.builder().inChannels(3).modelChannels(8).outChannels(3).channelMult(1, 2)
                .numResBlocks(2).attentionResolutions(2).numHeads(1).normGroups(4).useScaleShiftNorm(false)
                .learnSigma(true).build();
    }

    static NDList inputs(UNet2DConfig c, int batch, int side, long seed, NDManager m) {
        NoiseSource noise = NoiseSource.seeded(seed);
        NDArray x = noise.normal(m, new Shape(batch, c.inChannels(), side, side), DataType.FLOAT32);
        long[] t = new long[batch];
        long[] y = new long[batch];
        for (int i = 0; i < batch; i++) {
            t[i] = (i * 389L + seed) % 1000;
            y[i] = c.classConditional() ? i % c.labelRows() : 0; // the null class included when there is one
        }
        NDList in = new NDList(x, NativeArrays.copyOf(m, t));
        if (c.classConditional()) {
            in.add(NativeArrays.copyOf(m, y));
        }
        return in;
    }

    /** Max |a − b| / max(1, max |b|): float32 sums in another order differ by a few ulps of the output scale. */
    static double relativeError(float[] a, float[] b) {
        double diff = 0;
        double scale = 1;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return diff / scale;
    }

    @Property(tries = 6)
    void compiledForwardEqualsTheEagerNetwork(@ForAll boolean classConditional, @ForAll @IntRange(min = 1, max = 3) int batch,
            @ForAll @IntRange(min = 0, max = 1000) int seed) throws IOException {
        UNet2DConfig c = classConditional ? UNet2DTest.tinyClassConditional() : tinyUnconditional();
        try (NDManager m = NDManager.newBaseManager()) {
            UNet2D net = new UNet2D(c).initialize(m);
            UNet2DTest.randomise(net, seed);
            NDList in = inputs(c, batch, 8, seed, m);
            float[] eager = net.forward(new ParameterStore(m, false), in, false).head().toFloatArray();
            try (CompiledUNet compiled = CompiledUNet.compile(net)) {
                NDArray out = compiled.predict(in.get(0), in.get(1), in.size() == 3 ? new NDList(in.get(2)) : new NDList());
                assertEquals(new Shape(batch, c.networkOutChannels(), 8, 8), out.getShape());
                double err = relativeError(out.toFloatArray(), eager);
                assertTrue(err < 1e-5, "compiled vs eager: relative error " + err);
            }
        }
    }

    @Test
    void theOutputLivesInTheCallersManagerAndNothingElseStays() throws IOException {
        UNet2DConfig c = UNet2DTest.tinyClassConditional();
        try (NDManager m = NDManager.newBaseManager(); NDManager calls = m.newSubManager()) {
            UNet2D net = new UNet2D(c).initialize(m);
            NDList in = inputs(c, 2, 8, 3, calls);
            int before = calls.getManagedArrays().size();
            try (CompiledUNet compiled = CompiledUNet.compile(net)) {
                for (int i = 0; i < 3; i++) {
                    NDArray out = compiled.predict(in.get(0), in.get(1), new NDList(in.get(2)));
                    assertEquals(calls, out.getManager());
                    assertEquals(before + 1, calls.getManagedArrays().size());
                    out.close();
                }
            }
        }
    }

    @Test
    void theWeightsAreThoseAtCompilation() throws IOException {
        UNet2DConfig c = tinyUnconditional();
        try (NDManager m = NDManager.newBaseManager()) {
            UNet2D net = new UNet2D(c).initialize(m);
            UNet2DTest.randomise(net, 1);
            NDList in = inputs(c, 1, 8, 1, m);
            float[] before = net.forward(new ParameterStore(m, false), in, false).head().toFloatArray();
            try (CompiledUNet compiled = CompiledUNet.compile(net)) {
                UNet2DTest.randomise(net, 2);
                float[] changed = net.forward(new ParameterStore(m, false), in, false).head().toFloatArray();
                float[] out = compiled.predict(in.get(0), in.get(1), new NDList()).toFloatArray();
                assertTrue(relativeError(out, before) < 1e-5, "compiled output follows the weights it was compiled with");
                assertTrue(relativeError(out, changed) > 1e-2, "the eager network did change");
            }
        }
    }

    @Test
    void rejectsInputsTheEagerNetworkRejects() throws IOException {
        UNet2DConfig c = UNet2DTest.tinyClassConditional();
        try (NDManager m = NDManager.newBaseManager()) {
            UNet2D net = new UNet2D(c).initialize(m);
            try (CompiledUNet compiled = CompiledUNet.compile(net)) {
                NDList in = inputs(c, 2, 8, 0, m);
                IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                        () -> compiled.predict(m.zeros(new Shape(2, 3, 8, 8)), in.get(1), new NDList(in.get(2))));
                assertTrue(ex.getMessage().startsWith("x: expected [B, 1, H, W], got (2, 3, 8, 8)"), ex.getMessage());
                IllegalArgumentException ec = assertThrows(IllegalArgumentException.class,
                        () -> compiled.predict(in.get(0), in.get(1), new NDList()));
                assertTrue(ec.getMessage().startsWith("cond: expected the class labels y [B]"), ec.getMessage());
                IllegalArgumentException et = assertThrows(IllegalArgumentException.class,
                        () -> compiled.predict(in.get(0), m.zeros(new Shape(3)), new NDList(in.get(2))));
                assertTrue(et.getMessage().startsWith("t: expected shape [2]"), et.getMessage());
            }
        }
    }

    @Test
    void loadingAFileThatIsNotAModuleFailsNamingIt(@TempDir Path dir) throws IOException {
        Path bogus = dir.resolve("unet.pt");
        Files.writeString(bogus, "not a zip");
        IOException e = assertThrows(IOException.class,
                () -> CompiledUNet.load(bogus, tinyUnconditional(), ai.djl.Device.cpu()));
        assertTrue(e.getMessage().contains(bogus.toString()), e.getMessage());
        IOException missing = assertThrows(IOException.class,
                () -> CompiledUNet.load(dir.resolve("none.pt"), tinyUnconditional(), ai.djl.Device.cpu()));
        assertTrue(missing.getMessage().contains("none.pt"), missing.getMessage());
    }

    @Test
    void aWrittenModuleLoadsBackWithTheSameOutputs(@TempDir Path dir) throws IOException {
        UNet2DConfig c = UNet2DTest.tinyClassConditional();
        try (NDManager m = NDManager.newBaseManager()) {
            UNet2D net = new UNet2D(c).initialize(m);
            UNet2DTest.randomise(net, 4);
            Path file = dir.resolve("tiny.pt");
            UNet2DScript.write(net, file);
            try (Stream<Path> left = Files.list(dir)) {
                assertEquals(java.util.List.of(file), left.toList(), "only the module, no temporary file");
            }
            NDList in = inputs(c, 2, 8, 4, m);
            float[] eager = net.forward(new ParameterStore(m, false), in, false).head().toFloatArray();
            try (CompiledUNet loaded = CompiledUNet.load(file, c, ai.djl.Device.cpu())) {
                float[] out = loaded.predict(in.get(0), in.get(1), new NDList(in.get(2))).toFloatArray();
                assertTrue(relativeError(out, eager) < 1e-5);
            }
        }
    }

    /** Every parameter of the network is in the module under its PyTorch name, plus the timestep frequencies. */
    @Test
    void theModuleHoldsEveryParameter() {
        UNet2DConfig c = UNet2DTest.tinyClassConditional();
        try (NDManager m = NDManager.newBaseManager()) {
            UNet2D net = new UNet2D(c).initialize(m);
            java.util.List<String> names = UNet2DScript.archive(net).tensorNames();
            for (String p : net.namedParameters().keySet()) {
                assertTrue(names.contains("p_" + p.replace('.', '_')), "missing " + p);
            }
            assertEquals(net.namedParameters().size() + 1, names.size());
        }
    }
}
