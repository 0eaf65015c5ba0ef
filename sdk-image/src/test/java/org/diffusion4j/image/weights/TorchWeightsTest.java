package org.diffusion4j.image.weights;

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
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.diffusion4j.core.random.NoiseSource;
import org.diffusion4j.image.model.UNet2D;
import org.diffusion4j.image.model.UNet2DConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchWeightsTest {

    private static final UNet2DConfig TINY = UNet2DConfig.builder().inChannels(1).modelChannels(8).outChannels(1)
            .channelMult(1, 2).numResBlocks(1).attentionResolutions(2).numHeads(2).normGroups(4)
            .useScaleShiftNorm(true).learnSigma(true).numClasses(3).nullClass(true).build();

    private static void randomise(UNet2D net, long seed) {
        NoiseSource noise = NoiseSource.seeded(seed);
        for (Parameter p : net.namedParameters().values()) {
            float[] v = new float[Math.toIntExact(p.getArray().size())];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (0.3 * noise.nextGaussian());
            }
            org.diffusion4j.core.memory.NativeArrays.copyInto(p.getArray(), v);
        }
    }

    private static float[] run(UNet2D net, NDManager m) {
        NDArray x = NoiseSource.seeded(3).normal(m, new Shape(2, 1, 8, 8), DataType.FLOAT32);
        return net.forward(new ParameterStore(m, false),
                new NDList(x, m.create(new long[] {5, 900}), m.create(new long[] {0, 3})), false).head().toFloatArray();
    }

    @Test
    void roundTripGivesIdenticalOutputs(@TempDir Path dir) throws IOException {
        for (String name : List.of("w.safetensors", "w.npz")) {
            try (NDManager m = NDManager.newBaseManager()) {
                UNet2D a = new UNet2D(TINY, 1).initialize(m);
                randomise(a, 42);
                Path f = dir.resolve(name);
                TorchWeights.save(a.namedParameters(), f);
                UNet2D b = new UNet2D(TINY, 2).initialize(m);
                TorchWeights.load(b.namedParameters(), f);
                assertArrayEquals(run(a, m), run(b, m), name);
                try (var files = Files.list(dir)) {
                    assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
                }
            }
        }
    }

    /**
     * tiny-unet.pt is laid out as torch.save writes an improved-diffusion state dict (make_tiny_unet_pt.py beside it):
     * element i of the j-th tensor is float32(0.25·sin(0.7·i + 1.3·j)), j in namedParameters() order.
     */
    @Test
    void loadsATorchSaveStateDictWithoutPython(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("ema_0.9999_000000.pt");
        try (java.io.InputStream in = TorchWeightsTest.class.getResourceAsStream(
                "/org/diffusion4j/image/weights/tiny-unet.pt")) {
            Files.copy(in, file);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            UNet2D net = new UNet2D(TINY, 1).initialize(m);
            TorchWeights.load(net.namedParameters(), file);
            int j = 0;
            for (Map.Entry<String, Parameter> e : net.namedParameters().entrySet()) {
                float[] actual = e.getValue().getArray().toFloatArray();
                float[] expected = new float[actual.length];
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = (float) (0.25 * Math.sin(0.7 * i + 1.3 * j));
                }
                assertArrayEquals(expected, actual, e.getKey());
                j++;
            }
            assertTrue(Float.isFinite(run(net, m)[0]));
        }
    }

    @Test
    void everyMismatchIsListedAndNothingIsLoaded(@TempDir Path dir) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            UNet2D net = new UNet2D(TINY, 1).initialize(m);
            Map<String, Parameter> params = net.namedParameters();
            NDList list = new NDList();
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                if (e.getKey().equals("time_embed.0.bias")) {
                    continue; // missing
                }
                NDArray a = e.getKey().equals("label_emb.weight")
                        ? m.zeros(new Shape(3, 32)) // a checkpoint without the null-class row
                        : e.getValue().getArray().add(1f);
                a.setName(e.getKey());
                list.add(a);
            }
            NDArray extra = m.zeros(new Shape(2));
            extra.setName("input_blocks.9.0.op.weight");
            list.add(extra);
            Path f = dir.resolve("bad.safetensors");
            try (OutputStream out = Files.newOutputStream(f)) {
                list.encode(out, NDList.Encoding.SAFETENSORS);
            }
            float[] before = params.get("out.0.weight").getArray().toFloatArray();
            WeightsMismatchException e = assertThrows(WeightsMismatchException.class, () -> TorchWeights.load(params, f));
            assertEquals(List.of("time_embed.0.bias"), e.missing());
            assertEquals(List.of("input_blocks.9.0.op.weight"), e.unexpected());
            assertEquals(List.of("label_emb.weight: expected (4, 32), got (3, 32)"), e.wrongShape());
            assertArrayEquals(before, params.get("out.0.weight").getArray().toFloatArray());
        }
    }

    @Test
    void float16TensorsAreConverted(@TempDir Path dir) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            UNet2D net = new UNet2D(TINY, 1).initialize(m);
            Map<String, Parameter> params = net.namedParameters();
            NDList list = new NDList();
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                NDArray a = m.full(e.getValue().getArray().getShape(), 0.5f).toType(DataType.FLOAT16, false);
                a.setName(e.getKey());
                list.add(a);
            }
            Path f = dir.resolve("half.safetensors");
            Files.write(f, list.encode(NDList.Encoding.SAFETENSORS));
            TorchWeights.load(params, f);
            assertEquals(0.5f, params.get("out.2.bias").getArray().getFloat(0));
        }
    }

    @Test
    void badFilesAreIoExceptions(@TempDir Path dir) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            UNet2D net = new UNet2D(TINY, 1).initialize(m);
            Path f = dir.resolve("junk.safetensors");
            Files.write(f, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
            assertThrows(IOException.class, () -> TorchWeights.load(net.namedParameters(), f));
            assertThrows(java.nio.file.NoSuchFileException.class, () -> TorchWeights.load(net.namedParameters(), dir.resolve("x.pt")));
            // .pt is read (torch.save state dicts) but never written: saving names the formats it writes
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TorchWeights.save(net.namedParameters(), dir.resolve("x.pt")));
            assertTrue(e.getMessage().contains(".safetensors or .npz"), e.getMessage());
            Map<String, Parameter> none = new LinkedHashMap<>();
            assertThrows(IllegalArgumentException.class, () -> TorchWeights.save(none, dir.resolve("y.npz")));
        }
    }
}
