package org.diffusion4j.audio.vocode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.diffusion4j.audio.schedule.InferenceSchedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocoderSourceTest {

    @Test
    void commandLineNamesPickAShippedModelAndAnythingElseADirectory() {
        assertEquals(VocoderSource.shipped(VocoderSource.SMALL), VocoderSource.parse("small"));
        assertEquals(VocoderSource.shipped(VocoderSource.SMALL), VocoderSource.parse("wavegrad-small"));
        assertEquals(VocoderSource.shipped(VocoderSource.WIDE), VocoderSource.parse("wide"));
        assertEquals(VocoderSource.directory(Path.of("./small")), VocoderSource.parse("./small"));
        assertEquals(VocoderSource.directory(Path.of("models/wavegrad-small")), VocoderSource.parse("models/wavegrad-small"));
        assertTrue(VocoderSource.shipped().isShipped());
        assertFalse(VocoderSource.parse("runs/x").isShipped());
        assertEquals("classpath:/org/diffusion4j/audio/models/wavegrad-wide/", VocoderSource.parse("wide").toString());
    }

    /** The metadata alone, from the jar or a folder, is what loading the whole model reads. */
    @Test
    void metadataWithoutWeightsMatchesTheLoadedModel() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (VocoderSource source : new VocoderSource[] {VocoderSource.shipped(),
                    VocoderSource.directory(Path.of("models", "wavegrad-wide"))}) {
                VocoderModel full = VocoderModel.load(source, manager);
                var meta = VocoderModel.readMetadata(source);
                assertEquals(full.recipe(), meta.recipe(), source.toString());
                assertEquals(full.model().config(), meta.config(), source.toString());
            }
        }
    }

    @Test
    void refusesAnUnknownShippedNameAndNeitherOrBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VocoderSource.shipped("tiny"));
        assertEquals("shippedName: expected one of [wavegrad-small, wavegrad-wide], got 'tiny'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new VocoderSource(null, null));
        assertTrue(e.getMessage().contains("neither"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new VocoderSource(Path.of("d"), VocoderSource.SMALL));
        assertTrue(e.getMessage().contains("both"), e.getMessage());
    }

    /** A directory's searched schedules of any step count are read with it; other counts name what there is. */
    @Test
    void aDirectoryCarriesItsSearchedSchedules(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("m");
        Files.createDirectories(model);
        for (String f : new String[] {"wavegrad.properties", "wavegrad.safetensors"}) {
            Files.copy(Path.of("models", "wavegrad-small", f), model.resolve(f));
        }
        InferenceSchedule eight = new InferenceSchedule("mine-8", new double[] {1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.05, 0.1, 0.3});
        eight.save(VocoderModel.scheduleFile(model, 8));
        try (NDManager manager = NDManager.newBaseManager()) {
            VocoderModel vm = VocoderModel.load(VocoderSource.directory(model), manager);
            assertEquals(eight, vm.schedule(8));
            assertEquals(InferenceSchedule.ivanvovk6(), vm.schedule(6), "no searched 6-step file: the generic one");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> vm.schedule(7));
            assertTrue(e.getMessage().startsWith("steps:") && e.getMessage().contains("[8]") && e.getMessage().contains("7"),
                    e.getMessage());
            // a schedule file whose length differs from its name is refused at load, naming the file
            eight.save(VocoderModel.scheduleFile(model, 9));
            IOException io = assertThrows(IOException.class, () -> VocoderModel.load(model, manager));
            assertTrue(io.getMessage().contains("schedule-9.txt") && io.getMessage().contains("expected 9 steps, got 8"),
                    io.getMessage());
            IOException missing = assertThrows(IOException.class, () -> VocoderModel.load(dir.resolve("none"), manager));
            assertTrue(missing.getMessage().contains("found nothing there"), missing.getMessage());
        }
    }
}
