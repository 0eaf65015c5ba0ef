package org.diffusion4j.audio.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.diffusion4j.audio.io.AudioClip;
import org.diffusion4j.audio.io.WavWriter;
import org.diffusion4j.audio.mel.MelSpectrogram;
import org.diffusion4j.core.random.NoiseSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocoderDatasetTest {

    static final Path DATA = Path.of("data/espeak-30");

    @TempDir
    Path dir;

    @Test
    void shippedSplitsLoadAndAreDisjoint() throws IOException {
        MelSpectrogram mel = MelSpectrogram.wavegrad(22050);
        VocoderDataset train = VocoderDataset.load(DATA.resolve("train.txt"), mel, false);
        VocoderDataset held = VocoderDataset.load(DATA.resolve("heldout.txt"), mel, false);
        VocoderDataset validation = VocoderDataset.load(DATA.resolve("validation.txt"), mel, false);
        assertEquals(24, train.size());
        assertEquals(6, held.size());
        assertEquals(6, validation.size());
        Set<String> names = new HashSet<>();
        train.items().forEach(i -> names.add(i.name()));
        held.items().forEach(i -> assertTrue(names.add(i.name()), i.name() + " is in two splits"));
        validation.items().forEach(i -> assertTrue(names.add(i.name()), i.name() + " is in two splits"));
        for (VocoderDataset.Item it : train.items()) {
            assertEquals(128, it.mel().length);
            assertEquals(1 + it.audio().length / 300, it.mel()[0].length);
        }
    }

    /** The data README's promises: no sentence in two splits, and the voice en+m3 never in the training split. */
    @Test
    void splitsShareNoSentenceAndTrainingNeverHearsTheHeldOutVoice() throws IOException {
        Map<String, String[]> meta = new HashMap<>();   // file -> {voice, text}
        List<String> lines = Files.readAllLines(DATA.resolve("metadata.csv"));
        assertEquals("file|voice|text", lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\\|", 3);
            meta.put(f[0], new String[] {f[1], f[2]});
        }
        Set<String> sentences = new HashSet<>();
        for (String split : new String[] {"train.txt", "heldout.txt", "validation.txt"}) {
            Set<String> own = new HashSet<>();
            for (String file : Files.readAllLines(DATA.resolve(split))) {
                String[] vt = meta.get(file);
                assertNotNull(vt, file + " of " + split + " has no metadata line");
                own.add(vt[1]);
                if (split.equals("train.txt")) {
                    assertNotEquals("en+m3", vt[0], file + ": the held-out voice en+m3 is in the training split");
                }
            }
            for (String text : own) {
                assertTrue(sentences.add(text), "\"" + text + "\" is in two splits");
            }
        }
        assertEquals(36, sentences.size());
    }

    @Test
    void cropsPairMelColumnsWithTheirAudioSamples() throws IOException {
        MelSpectrogram mel = MelSpectrogram.wavegrad(22050);
        VocoderDataset train = VocoderDataset.load(DATA.resolve("train.txt"), mel, false);
        NoiseSource rng = NoiseSource.seeded(5);
        for (int k = 0; k < 20; k++) {
            VocoderDataset.Crop c = train.randomCrop(rng, 24);
            assertEquals(7200, c.audio().length);
            // find the clip and offset the crop came from, then recompute: the mel columns must be the clip's
            boolean found = false;
            for (VocoderDataset.Item it : train.items()) {
                for (int s = 0; s + 24 <= it.mel()[0].length && (s + 24) * 300 <= it.audio().length && !found; s++) {
                    if (it.audio()[s * 300] == c.audio()[0] && java.util.Arrays.equals(
                            java.util.Arrays.copyOfRange(it.audio(), s * 300, (s + 24) * 300), c.audio())) {
                        for (int b = 0; b < 128; b++) {
                            assertArrayEquals(java.util.Arrays.copyOfRange(it.mel()[b], s, s + 24), c.mel()[b]);
                        }
                        found = true;
                    }
                }
            }
            assertTrue(found, "crop " + k + " not found in any clip");
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDList batch = train.randomBatch(m, rng, 3, 24);
            assertEquals(new Shape(3, 7200), batch.get(0).getShape());
            assertEquals(new Shape(3, 128, 24), batch.get(1).getShape());
        }
    }

    @Test
    void otherRatesAreRefusedOrResampled() throws IOException {
        WavWriter.write(dir.resolve("a.wav"), new AudioClip(new float[16000], 16000));
        Path list = Files.writeString(dir.resolve("list.txt"), "a.wav\n");
        MelSpectrogram mel = MelSpectrogram.wavegrad(22050);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VocoderDataset.load(list, mel, false));
        assertTrue(e.getMessage().contains("a.wav: expected 22050 Hz") && e.getMessage().contains("got 16000 Hz"),
                e.getMessage());
        VocoderDataset d = VocoderDataset.load(list, mel, true);
        assertEquals(22050, d.items().get(0).audio().length);
    }
}
