package org.diffusion4j.audio.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Path;
import org.diffusion4j.audio.mel.MelRecipe;
import org.diffusion4j.audio.prior.MelEnergyPrior;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WaveGradCheckpointTest {

    @TempDir
    Path dir;

    @Test
    void metadataRoundTripsAndTheRecipeIsCheckedOnLoad() throws IOException {
        WaveGradConfig cfg = WaveGradTest.tiny(5000);
        MelRecipe recipe = new MelRecipe(16000, 512, 400, 6, 3, 20, 8000, 1, true, 1e-5, 20, 100);
        WaveGradCheckpoint meta = new WaveGradCheckpoint(cfg, recipe);
        assertEquals(meta, WaveGradCheckpoint.parse(meta.toProperties()));
        assertEquals(WaveGradConfig.base(), WaveGradCheckpoint.parse(
                new WaveGradCheckpoint(WaveGradConfig.base(), MelRecipe.wavegrad(22050)).toProperties()).config());

        try (NDManager m = NDManager.newBaseManager()) {
            WaveGrad model = new WaveGrad(cfg);
            model.initialize(m, DataType.FLOAT32);
            WaveGradCheckpoint.save(dir, model, recipe);
            WaveGrad back = WaveGradCheckpoint.load(dir, m, recipe);
            assertEquals(cfg, back.config());
            assertArrayEquals(model.parameters().get("last_conv.weight").getArray().toFloatArray(),
                    back.parameters().get("last_conv.weight").getArray().toFloatArray(), 0f);
            IOException e = assertThrows(IOException.class,
                    () -> WaveGradCheckpoint.load(dir, m, new MelRecipe(22050, 512, 400, 6, 3, 20, 8000, 1, true, 1e-5, 20, 100)));
            assertTrue(e.getMessage().contains("sampleRate (expected 22050, got 16000)"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new WaveGradCheckpoint(cfg, MelRecipe.wavegrad(22050)));
    }

    /**
     * A bare weights file becomes a checkpoint directory that loads with the stated config and recipe and the file's
     * values; a file that does not fit the config writes nothing.
     */
    @Test
    void importedWeightsLoadAsACheckpointAndAMismatchWritesNothing() throws IOException {
        WaveGradConfig cfg = WaveGradTest.tiny(1);
        MelRecipe recipe = new MelRecipe(16000, 512, 400, 6, 3, 20, 8000, 1, true, 1e-5, 20, 100);
        try (NDManager m = NDManager.newBaseManager()) {
            WaveGrad original = new WaveGrad(cfg);
            original.initialize(m, DataType.FLOAT32);
            java.util.Random r = new java.util.Random(4);
            for (ai.djl.nn.Parameter p : original.parameters().values()) {
                float[] v = new float[(int) p.getArray().size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) r.nextGaussian();
                }
                org.diffusion4j.core.memory.NativeArrays.copyInto(p.getArray(), v);
            }
            Path weights = dir.resolve("lmnt-converted.npz");
            WaveGradWeights.save(original, weights);

            Path imported = dir.resolve("imported");
            WaveGradCheckpoint.importWeights(weights, cfg, recipe, imported);
            assertEquals(new WaveGradCheckpoint(cfg, recipe), WaveGradCheckpoint.readMetadata(imported));
            WaveGrad back = WaveGradCheckpoint.load(imported, m, recipe);
            assertEquals(original.parameters().size(), back.parameters().size());
            for (var e : original.parameters().entrySet()) {
                assertArrayEquals(e.getValue().getArray().toFloatArray(),
                        back.parameters().get(e.getKey()).getArray().toFloatArray(), 0f, e.getKey());
            }

            WaveGradConfig wider = cfg.toBuilder().melEmbedChannels(cfg.melEmbedChannels() + 2).build();
            Path refused = dir.resolve("refused");
            IOException e = assertThrows(IOException.class,
                    () -> WaveGradCheckpoint.importWeights(weights, wider, recipe, refused));
            assertTrue(e.getMessage().contains("shape"), e.getMessage());
            assertTrue(java.nio.file.Files.notExists(refused), "nothing written");
            assertThrows(IllegalArgumentException.class,
                    () -> WaveGradCheckpoint.importWeights(weights, cfg, MelRecipe.wavegrad(22050), refused));
            assertTrue(java.nio.file.Files.notExists(refused), "nothing written");
        }
    }

    /** A PriorGrad prior is part of the config: saved, read back, and a config without it is another config. */
    @Test
    void thePriorTravelsWithTheConfig() {
        MelEnergyPrior prior = new MelEnergyPrior(0.113137084989848, 8.728640079498291, 0.1, 20, 100);
        WaveGradConfig cfg = WaveGradTest.tiny(5000).toBuilder().prior(prior).build();
        MelRecipe recipe = new MelRecipe(16000, 512, 400, 6, 3, 20, 8000, 1, true, 1e-5, 20, 100);
        WaveGradCheckpoint back = WaveGradCheckpoint.parse(new WaveGradCheckpoint(cfg, recipe).toProperties());
        assertEquals(cfg, back.config());
        assertEquals(prior, back.config().energyPrior().orElseThrow());
        assertNotEquals(WaveGradTest.tiny(5000), cfg);
        assertTrue(WaveGradTest.tiny(5000).energyPrior().isEmpty());
        assertTrue(WaveGradCheckpoint.parse(new WaveGradCheckpoint(WaveGradTest.tiny(5000), recipe).toProperties())
                .config().energyPrior().isEmpty());
        assertTrue(cfg.toString().contains("prior=MelEnergyPrior"), cfg.toString());
    }
}
