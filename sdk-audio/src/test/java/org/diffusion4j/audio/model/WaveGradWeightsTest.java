package org.diffusion4j.audio.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WaveGradWeightsTest {

    @TempDir
    Path dir;

    private static WaveGrad randomModel(NDManager m, long seed) {
        WaveGrad model = new WaveGrad(WaveGradTest.tiny(1));
        model.initialize(m, DataType.FLOAT32);
        Random r = new Random(seed);
        for (Parameter p : model.parameters().values()) {
            float[] v = new float[(int) p.getArray().size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) r.nextGaussian();
            }
            org.diffusion4j.core.memory.NativeArrays.copyInto(p.getArray(), v);
        }
        return model;
    }

    @Test
    void safetensorsAndNpzRoundTripEveryTensorByName() throws IOException {
        for (String name : new String[] {"w.safetensors", "w.npz"}) {
            try (NDManager m = NDManager.newBaseManager()) {
                WaveGrad a = randomModel(m, 1);
                WaveGrad b = randomModel(m, 2);
                Path file = dir.resolve(name);
                WaveGradWeights.save(a, file);
                WaveGradWeights.load(b, file);
                for (Map.Entry<String, Parameter> e : a.parameters().entrySet()) {
                    assertArrayEquals(e.getValue().getArray().toFloatArray(),
                            b.parameters().get(e.getKey()).getArray().toFloatArray(), 0f, e.getKey());
                }
                // the file carries lmnt's names, readable by any safetensors/npz reader
                try (NDManager t = NDManager.newBaseManager()) {
                    NDList list = NDList.decode(t, Files.readAllBytes(file));
                    assertEquals(a.parameters().size(), list.size());
                    assertTrue(list.stream().anyMatch(x -> x.getName().equals("upsample.1.block3.1.weight")));
                }
            }
        }
    }

    /** lmnt's weights-*.pt read as {"model": state_dict (DataParallel "module." names), "optimizer": ...}. */
    @Test
    void aTrainingCheckpointsStateDictIsFoundUnderModelAndModule() throws IOException {
        for (String prefix : new String[] {"model.", "model.module."}) {
            try (NDManager m = NDManager.newBaseManager()) {
                WaveGrad a = randomModel(m, 4);
                NDList list = new NDList();
                for (Map.Entry<String, Parameter> e : a.parameters().entrySet()) {
                    NDArray x = e.getValue().getArray().duplicate();
                    x.setName(prefix + e.getKey());
                    list.add(x);
                }
                NDArray moment = m.ones(new ai.djl.ndarray.types.Shape(3));
                moment.setName("optimizer.state.0.exp_avg");
                list.add(moment);
                Path file = dir.resolve("nested.safetensors");
                Files.write(file, list.encode(NDList.Encoding.SAFETENSORS));
                WaveGrad b = randomModel(m, 5);
                WaveGradWeights.load(b, file);
                for (Map.Entry<String, Parameter> e : a.parameters().entrySet()) {
                    assertArrayEquals(e.getValue().getArray().toFloatArray(),
                            b.parameters().get(e.getKey()).getArray().toFloatArray(), 0f, prefix + e.getKey());
                }
            }
        }
    }

    @Test
    void mismatchedFilesAreRejectedListingEveryProblemAndLeaveTheModelUntouched() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            WaveGrad model = randomModel(m, 3);
            float[] before = model.parameters().get("first_conv.weight").getArray().toFloatArray();
            NDList list = new NDList();
            for (Map.Entry<String, Parameter> e : model.parameters().entrySet()) {
                if (e.getKey().equals("last_conv.bias")) {
                    continue; // missing
                }
                NDArray a = e.getKey().equals("film.0.input_conv.weight") ? m.zeros(new ai.djl.ndarray.types.Shape(1, 2, 3))
                        : e.getValue().getArray().zerosLike();
                a.setName(e.getKey());
                list.add(a);
            }
            NDArray extra = m.zeros(new ai.djl.ndarray.types.Shape(2));
            extra.setName("upsample.9.block1.weight");
            list.add(extra);
            Path file = dir.resolve("bad.safetensors");
            try (OutputStream out = Files.newOutputStream(file)) {
                list.encode(out, NDList.Encoding.SAFETENSORS);
            }
            IOException e = assertThrows(IOException.class, () -> WaveGradWeights.load(model, file));
            assertTrue(e.getMessage().contains("missing last_conv.bias"), e.getMessage());
            assertTrue(e.getMessage().contains("wrong shape film.0.input_conv.weight"), e.getMessage());
            assertTrue(e.getMessage().contains("unexpected upsample.9.block1.weight"), e.getMessage());
            assertArrayEquals(before, model.parameters().get("first_conv.weight").getArray().toFloatArray(), 0f);

            Path junk = Files.writeString(dir.resolve("junk.safetensors"), "this is not a tensor file");
            assertThrows(IOException.class, () -> WaveGradWeights.load(model, junk));
        }
    }
}
