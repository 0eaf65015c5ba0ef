package org.diffusion4j.core.torchscript;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchScriptArchiveTest {

    /** Loads {@code file} with DJL's PyTorch engine and runs forward on {@code inputs}. */
    static float[] run(Path file, NDList inputs) throws Exception {
        try (Model model = Model.newInstance("t", "PyTorch")) {
            String name = file.getFileName().toString();
            model.load(file.getParent(), name.substring(0, name.length() - 3));
            NDManager m = inputs.head().getManager();
            NDList out = model.getBlock().forward(new ParameterStore(m, false), inputs, false);
            return out.head().toFloatArray();
        }
    }

    /**
     * y = W·x + b then a ReLU, with W [o, i] and b [o] stored as buffers: the loaded module's output equals the
     * sum computed here in double precision. Sizes up to 300 make shapes and strides above one byte (BININT).
     */
    @Property(tries = 8)
    void aWrittenModuleComputesItsForwardWithItsTensors(@ForAll @IntRange(min = 1, max = 300) int in,
            @ForAll @IntRange(min = 1, max = 40) int out, @ForAll @IntRange(min = 1, max = 3) int batch) throws Exception {
        SplittableRandom rng = new SplittableRandom(in * 31L + out);
        float[] w = new float[out * in];
        float[] b = new float[out];
        float[] x = new float[batch * in];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rng.nextDouble(-1, 1);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) rng.nextDouble(-1, 1);
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextDouble(-1, 1);
        }
        Path dir = Files.createTempDirectory("ts-archive-test");
        Path file = dir.resolve("affine.pt");
        try {
            TorchScriptArchive.builder("Affine").tensor("weight", w, out, in).tensor("bias", b, out)
                    .forward("x: Tensor) -> Tensor", "    y = torch.linear(x, self.weight, self.bias)\n    return torch.relu(y)\n")
                    .build().write(file);
            try (NDManager m = NDManager.newBaseManager()) {
                float[] y = run(file, new NDList(m.create(x, new Shape(batch, in))));
                assertEquals(batch * out, y.length);
                for (int r = 0; r < batch; r++) {
                    for (int o = 0; o < out; o++) {
                        double s = b[o];
                        for (int i = 0; i < in; i++) {
                            s += (double) w[o * in + i] * x[r * in + i];
                        }
                        double expected = Math.max(0, s);
                        assertEquals(expected, y[r * out + o], 1e-4 * Math.max(1, Math.abs(expected)));
                    }
                }
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void writingLeavesOnlyTheModuleAndReplacesAnOldOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("scale.pt");
        for (float factor : new float[] {2f, 3f}) {
            TorchScriptArchive.builder("Scale").tensor("factor", new float[] {factor}, 1)
                    .forward("x: Tensor) -> Tensor", "    return torch.mul(x, self.factor)\n").build().write(file);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
        try (NDManager m = NDManager.newBaseManager()) {
            assertArrayEquals(new float[] {3f, -6f}, run(file, new NDList(m.create(new float[] {1f, -2f}))), 0f);
        }
    }

    @Test
    void theSourceDeclaresEveryTensorAsABuffer() {
        TorchScriptArchive a = TorchScriptArchive.builder("M").tensor("a", new float[2], 2).tensor("b_1", new float[6], 2, 3)
                .forward("x: Tensor) -> Tensor", "    return x\n").build();
        String src = a.source();
        assertTrue(src.startsWith("class M(Module):\n  __parameters__ = []\n  __buffers__ = [\"a\", \"b_1\", ]\n"), src);
        assertTrue(src.contains("  a : Tensor\n  b_1 : Tensor\n  training : bool\n"), src);
        assertTrue(src.contains("  def forward(self: __torch__.M,\n    x: Tensor) -> Tensor:\n    return x\n"), src);
        assertEquals(List.of("a", "b_1"), a.tensorNames());
    }

    @Test
    void rejectsBadNamesShapesAndBodies() {
        IllegalArgumentException cls = assertThrows(IllegalArgumentException.class, () -> TorchScriptArchive.builder("a.b"));
        assertTrue(cls.getMessage().startsWith("className: expected a Python identifier, got a.b"), cls.getMessage());
        TorchScriptArchive.Builder b = TorchScriptArchive.builder("M");
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class, () -> b.tensor("1x", new float[1], 1));
        assertTrue(name.getMessage().startsWith("name: expected a Python identifier, got 1x"), name.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> b.tensor("w", new float[5], 2, 3));
        assertTrue(size.getMessage().startsWith("data: expected 6 values for shape [2, 3], got 5"), size.getMessage());
        b.tensor("w", new float[6], 2, 3);
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> b.tensor("w", new float[1], 1));
        assertTrue(twice.getMessage().contains("w"), twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.tensor("training", new float[1], 1));
        IllegalArgumentException body = assertThrows(IllegalArgumentException.class,
                () -> b.forward("x: Tensor) -> Tensor", "    return x"));
        assertTrue(body.getMessage().startsWith("body: expected lines ending in a newline"), body.getMessage());
        assertThrows(NullPointerException.class, b::build);
    }

    @Test
    void stridesAreRowMajor() {
        assertArrayEquals(new long[] {12, 4, 1}, TorchScriptArchive.contiguousStrides(new long[] {2, 3, 4}));
        assertArrayEquals(new long[] {1}, TorchScriptArchive.contiguousStrides(new long[] {7}));
    }
}
