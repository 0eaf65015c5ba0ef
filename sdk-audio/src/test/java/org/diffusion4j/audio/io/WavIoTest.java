package org.diffusion4j.audio.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavIoTest {

    @TempDir
    Path dir;

    /** Writes raw interleaved sample values with javax.sound (the JDK encodes the header). */
    private static Path writeWithJdk(Path file, long[][] frames, int bits, int rate, boolean signed,
            boolean bigEndian) throws IOException {
        int channels = frames[0].length;
        int bps = bits / 8;
        byte[] bytes = new byte[frames.length * channels * bps];
        int pos = 0;
        for (long[] frame : frames) {
            for (long v : frame) {
                for (int b = 0; b < bps; b++) {
                    int shift = bigEndian ? 8 * (bps - 1 - b) : 8 * b;
                    bytes[pos++] = (byte) (v >> shift);
                }
            }
        }
        AudioFormat fmt = new AudioFormat(signed ? AudioFormat.Encoding.PCM_SIGNED : AudioFormat.Encoding.PCM_UNSIGNED,
                rate, bits, channels, channels * bps, rate, bigEndian);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(bytes), fmt, frames.length)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
        }
        return file;
    }

    @Test
    void decodes16BitStereoByAveragingChannels() throws IOException {
        long[][] frames = {{16384, -16384}, {-32768, -32768}, {32767, 1}};
        AudioClip clip = WavReader.read(writeWithJdk(dir.resolve("s.wav"), frames, 16, 16000, true, false));
        assertEquals(16000, clip.sampleRate());
        assertArrayEquals(new float[] {0f, -1f, (float) ((32767 + 1) / 2.0 / 32768)}, clip.samples(), 0f);
    }

    @Test
    void decodes24And32BitSignedAnd8BitUnsigned() throws IOException {
        long[][] f24 = {{(1 << 23) - 1}, {-(1 << 23)}, {1 << 22}};
        AudioClip c24 = WavReader.read(writeWithJdk(dir.resolve("a.wav"), f24, 24, 8000, true, false));
        assertArrayEquals(new float[] {(float) (((1 << 23) - 1) / 8388608.0), -1f, 0.5f}, c24.samples(), 0f);

        long[][] f32 = {{Integer.MIN_VALUE}, {1 << 30}, {-(1 << 29)}};
        AudioClip c32 = WavReader.read(writeWithJdk(dir.resolve("b.wav"), f32, 32, 8000, true, false));
        assertArrayEquals(new float[] {-1f, 0.5f, -0.25f}, c32.samples(), 0f);

        long[][] f8 = {{128, 192}, {0, 0}, {255, 255}};
        AudioClip c8 = WavReader.read(writeWithJdk(dir.resolve("c.wav"), f8, 8, 8000, false, false));
        assertArrayEquals(new float[] {0.25f, -1f, 127f / 128f}, c8.samples(), 0f);
    }

    @Property(tries = 30)
    void writeThenReadIsExactForInt16Values(@ForAll @IntRange(min = 1, max = 3000) int n,
            @ForAll @IntRange(min = 1000, max = 48000) int rate, @ForAll long seed) throws Exception {
        Random rnd = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (rnd.nextInt(65536) - 32768) / 32768f;
        }
        // jqwik properties do not get JUnit's @TempDir, so this one manages its own file
        Path file = Files.createTempFile("wavio-rt", ".wav");
        AudioClip back;
        AudioFormat f;
        try {
            WavWriter.write(file, new AudioClip(x, rate));
            back = WavReader.read(file);
            f = AudioSystem.getAudioFileFormat(file.toFile()).getFormat();
            assertEquals(44 + 2L * n, Files.size(file));
        } finally {
            Files.deleteIfExists(file);
        }
        assertEquals(rate, back.sampleRate());
        assertArrayEquals(x, back.samples(), 0f);
        // the JDK parser agrees on the format we wrote
        assertEquals(16, f.getSampleSizeInBits());
        assertEquals(1, f.getChannels());
        assertEquals(rate, (int) f.getSampleRate());
    }

    @Test
    void writeLeavesNoTemporaryFilesAndReplacesTarget() throws IOException {
        Path file = dir.resolve("out.wav");
        WavWriter.write(file, new AudioClip(new float[] {0.5f}, 8000));
        WavWriter.write(file, new AudioClip(new float[] {0.25f, -0.25f}, 8000));
        assertArrayEquals(new float[] {0.25f, -0.25f}, WavReader.read(file).samples(), 0f);
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void rejectsOutOfRangeSamplesWithoutWriting() {
        Path file = dir.resolve("bad.wav");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WavWriter.write(file, new AudioClip(new float[] {0f, 1.5f}, 8000)));
        assertTrue(e.getMessage().contains("sample 1"), e.getMessage());
        assertTrue(Files.notExists(file));
    }

    @Test
    void rejectsNonPcmEmptyAndTooShort() throws IOException {
        Path flt = dir.resolve("float.wav");
        AudioFormat fmt = new AudioFormat(AudioFormat.Encoding.PCM_FLOAT, 8000, 32, 1, 4, 8000, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(new byte[16]), fmt, 4)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, flt.toFile());
        }
        IOException e1 = assertThrows(IOException.class, () -> WavReader.read(flt));
        assertTrue(e1.getMessage().contains("PCM"), e1.getMessage());

        Path empty = dir.resolve("empty.wav");
        WavWriter.write(empty, new AudioClip(new float[0], 8000));
        IOException e2 = assertThrows(IOException.class, () -> WavReader.read(empty));
        assertTrue(e2.getMessage().contains("empty"), e2.getMessage());

        Path shortFile = dir.resolve("short.wav");
        WavWriter.write(shortFile, new AudioClip(new float[100], 8000));
        IOException e3 = assertThrows(IOException.class, () -> WavReader.read(shortFile, 300));
        assertTrue(e3.getMessage().contains("at least 300"), e3.getMessage());

        Path text = Files.writeString(dir.resolve("text.wav"), "not a wav at all");
        assertThrows(IOException.class, () -> WavReader.read(text));
    }

    @Test
    void resamplingKeepsAToneAndScalesTheLength() {
        int from = 16000;
        int to = 22050;
        double hz = 440;
        float[] x = new float[from];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.5 * Math.sin(2 * Math.PI * hz * i / from));
        }
        AudioClip out = AudioResampler.resample(new AudioClip(x, from), to);
        assertEquals(to, out.sampleRate());
        assertEquals(22050, out.length());
        float[] y = out.samples();
        double maxErr = 0;
        for (int i = 1000; i < y.length - 1000; i++) {
            maxErr = Math.max(maxErr, Math.abs(y[i] - 0.5 * Math.sin(2 * Math.PI * hz * i / to)));
        }
        assertTrue(maxErr < 5e-3, "max error " + maxErr);
        AudioClip same = new AudioClip(x, from);
        assertEquals(same, AudioResampler.resample(same, from));
    }

    /** A clip at the model's rate passes as it is; another rate is resampled only when allowed, else refused. */
    @Test
    void atRateKeepsResamplesOrRefusesNamingTheSourceAndBothRates() {
        float[] x = new float[1600];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.3 * Math.sin(0.05 * i));
        }
        AudioClip clip = new AudioClip(x, 16000);
        assertTrue(AudioResampler.atRate(clip, 16000, false, "a.wav") == clip, "the same clip, not a copy");
        AudioClip up = AudioResampler.atRate(clip, 22050, true, "a.wav");
        assertEquals(22050, up.sampleRate());
        assertEquals(Math.round(1600 * 22050 / 16000.0), up.length());
        assertArrayEquals(AudioResampler.resample(clip, 22050).samples(), up.samples(), 0f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AudioResampler.atRate(clip, 22050, false, "input a.wav"));
        assertTrue(e.getMessage().startsWith("input a.wav: expected 22050 Hz") && e.getMessage().contains("got 16000 Hz"),
                e.getMessage());
    }
}
