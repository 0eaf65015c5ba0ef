package org.diffusion4j.audio.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Reads integer-PCM WAV files (8, 16, 24 or 32 bit, any channel count, any rate) into a mono
 * {@link AudioClip}. javax.sound.sampled parses the container; the sample bytes are decoded here
 * explicitly so no JDK format conversion (whose resampling and dithering are implementation details) is
 * involved.
 *
 * <p>Scaling: a b-bit signed sample s maps to s / 2^(b-1), the convention of torchaudio's
 * {@code load} (int16 / 32768) that lmnt-com/wavegrad's preprocess.py uses; 8-bit WAV is unsigned and is
 * first offset by 128. Channels are averaged.
 */
public final class WavReader {

    private WavReader() {
    }

    /** Reads a clip that must hold at least one sample. */
    public static AudioClip read(Path path) throws IOException {
        return read(path, 1);
    }

    /**
     * Reads a clip that must hold at least {@code minSamples} samples (for a vocoder: one hop, else the
     * mel spectrogram has no full frame).
     */
    public static AudioClip read(Path path, int minSamples) throws IOException {
        if (minSamples < 1) {
            throw new IllegalArgumentException("minSamples: expected >= 1, got " + minSamples);
        }
        if (!Files.isRegularFile(path)) {
            throw new IOException(path + ": not a regular file");
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(path));
             AudioInputStream in = AudioSystem.getAudioInputStream(raw)) {
            AudioFormat format = in.getFormat();
            AudioFormat.Encoding enc = format.getEncoding();
            boolean signed = AudioFormat.Encoding.PCM_SIGNED.equals(enc);
            boolean unsigned = AudioFormat.Encoding.PCM_UNSIGNED.equals(enc);
            if (!signed && !unsigned) {
                throw new IOException(path + ": expected integer PCM WAV, got encoding " + enc);
            }
            int bits = format.getSampleSizeInBits();
            if (bits != 8 && bits != 16 && bits != 24 && bits != 32) {
                throw new IOException(path + ": expected 8, 16, 24 or 32 bits per sample, got " + bits);
            }
            int channels = format.getChannels();
            int bytesPerSample = bits / 8;
            int frameSize = format.getFrameSize();
            if (channels < 1 || frameSize != channels * bytesPerSample) {
                throw new IOException(path + ": inconsistent frame size " + frameSize + " for " + channels
                        + " channels of " + bits + " bits");
            }
            byte[] bytes = in.readAllBytes();
            int frames = bytes.length / frameSize;
            if (frames == 0) {
                throw new IOException(path + ": empty WAV (no audio frames)");
            }
            if (frames < minSamples) {
                throw new IOException(path + ": too short, expected at least " + minSamples + " samples, got " + frames);
            }
            float rate = format.getSampleRate();
            if (!(rate > 0) || rate != Math.rint(rate)) {
                throw new IOException(path + ": expected a positive integer sample rate, got " + rate);
            }
            float[] mono = decode(bytes, frames, channels, bytesPerSample, signed, format.isBigEndian());
            return new AudioClip(mono, (int) rate);
        } catch (UnsupportedAudioFileException e) {
            throw new IOException(path + ": not a readable WAV file (" + e.getMessage() + ")", e);
        }
    }

    static float[] decode(byte[] bytes, int frames, int channels, int bytesPerSample, boolean signed,
            boolean bigEndian) {
        double scale = 1.0 / (1L << (bytesPerSample * 8 - 1));
        float[] out = new float[frames];
        int pos = 0;
        for (int f = 0; f < frames; f++) {
            double sum = 0;
            for (int c = 0; c < channels; c++) {
                long v = 0;
                for (int b = 0; b < bytesPerSample; b++) {
                    int idx = bigEndian ? pos + b : pos + bytesPerSample - 1 - b;
                    v = (v << 8) | (bytes[idx] & 0xFF);
                }
                pos += bytesPerSample;
                int shift = 64 - 8 * bytesPerSample;
                if (signed) {
                    v = (v << shift) >> shift; // sign-extend the b-bit two's-complement value
                } else {
                    v -= 1L << (8 * bytesPerSample - 1);
                }
                sum += v * scale;
            }
            out[f] = (float) (sum / channels);
        }
        return out;
    }
}
