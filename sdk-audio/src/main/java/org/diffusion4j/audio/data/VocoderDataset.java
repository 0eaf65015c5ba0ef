package org.diffusion4j.audio.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.diffusion4j.audio.io.AudioClip;
import org.diffusion4j.audio.io.AudioResampler;
import org.diffusion4j.audio.io.WavReader;
import org.diffusion4j.audio.mel.MelSpectrogram;
import org.diffusion4j.core.memory.NativeArrays;
import org.diffusion4j.core.random.NoiseSource;

/**
 * Clips and their mels for vocoder training and evaluation, with lmnt-com/wavegrad's random crops: a crop
 * of C frames starts at a uniform frame s in [0, F − C] and pairs mel columns [s, s + C) with audio samples
 * [hop·s, hop·(s + C)) (lmnt dataset.py), so the audio of a crop is exactly hop·C samples long.
 */
public final class VocoderDataset {

    /** One clip: its samples and its compressed mel [nMels][frames]. */
    public record Item(String name, float[] audio, float[][] mel) {
    }

    /** A training crop: audio [hop·C] and mel [nMels][C]. */
    public record Crop(float[] audio, float[][] mel) {
    }

    private final MelSpectrogram mel;
    private final List<Item> items;

    private VocoderDataset(MelSpectrogram mel, List<Item> items) {
        this.mel = mel;
        this.items = Collections.unmodifiableList(items);
    }

    /**
     * Loads the WAV files named one per line in {@code listFile} (relative to its folder). A file at
     * another rate is resampled to the recipe's rate with a warning when {@code allowResample}, else
     * rejected ({@link AudioResampler#atRate}); a file shorter than one hop is rejected.
     *
     * @throws IllegalArgumentException a file at another rate when resampling is not allowed (bad input, like the
     *                                  vocoder commands' refusal; an {@link IOException} before 2026-11-27)
     * @throws IOException              a file that cannot be read as PCM WAV, or a list naming none
     */
    public static VocoderDataset load(Path listFile, MelSpectrogram mel, boolean allowResample) throws IOException {
        Objects.requireNonNull(mel, "mel");
        int rate = mel.recipe().sampleRate();
        List<Item> items = new ArrayList<>();
        Path dir = listFile.toAbsolutePath().getParent();
        for (String line : Files.readAllLines(listFile, StandardCharsets.UTF_8)) {
            String name = line.trim();
            if (name.isEmpty() || name.startsWith("#")) {
                continue;
            }
            Path file = dir.resolve(name);
            AudioClip clip = AudioResampler.atRate(WavReader.read(file, Math.max(mel.minSamples(), mel.recipe().hop())),
                    rate, allowResample, file.toString());
            float[] audio = clip.samples();
            items.add(new Item(name, audio, mel.compute(audio)));
        }
        if (items.isEmpty()) {
            throw new IOException(listFile + ": lists no WAV files");
        }
        return new VocoderDataset(mel, items);
    }

    public List<Item> items() {
        return items;
    }

    public int size() {
        return items.size();
    }

    public MelSpectrogram melSpectrogram() {
        return mel;
    }

    /** A random crop of {@code frames} mel frames from a random clip long enough to hold it. */
    public Crop randomCrop(NoiseSource rng, int frames) {
        int hop = mel.recipe().hop();
        List<Item> usable = new ArrayList<>();
        for (Item it : items) {
            if (it.mel()[0].length >= frames && it.audio().length >= hop * frames) {
                usable.add(it);
            }
        }
        if (usable.isEmpty()) {
            throw new IllegalArgumentException("frames: no clip holds " + frames + " frames");
        }
        Item it = usable.get(rng.nextInt(usable.size()));
        int maxStart = Math.min(it.mel()[0].length - frames, it.audio().length / hop - frames);
        int start = rng.nextInt(maxStart + 1);
        float[] audio = new float[hop * frames];
        System.arraycopy(it.audio(), start * hop, audio, 0, audio.length);
        float[][] m = new float[it.mel().length][frames];
        for (int b = 0; b < m.length; b++) {
            System.arraycopy(it.mel()[b], start, m[b], 0, frames);
        }
        return new Crop(audio, m);
    }

    /** A batch of random crops as NDList(audio [B, hop·C], mel [B, nMels, C]) in {@code manager}. */
    public NDList randomBatch(NDManager manager, NoiseSource rng, int batch, int frames) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch: expected >= 1, got " + batch);
        }
        int hop = mel.recipe().hop();
        int bands = mel.recipe().nMels();
        float[] audio = new float[batch * hop * frames];
        float[] mels = new float[batch * bands * frames];
        for (int i = 0; i < batch; i++) {
            Crop c = randomCrop(rng, frames);
            System.arraycopy(c.audio(), 0, audio, i * hop * frames, hop * frames);
            for (int b = 0; b < bands; b++) {
                System.arraycopy(c.mel()[b], 0, mels, (i * bands + b) * frames, frames);
            }
        }
        return new NDList(NativeArrays.copyOf(manager, audio, new Shape(batch, (long) hop * frames)),
                NativeArrays.copyOf(manager, mels, new Shape(batch, bands, frames)));
    }
}
