package org.diffusion4j.audio.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.diffusion4j.core.io.AtomicFiles;

/**
 * Writes mono 16-bit PCM WAV files (canonical 44-byte RIFF header) atomically: the bytes go to a temporary
 * file in the target directory which is then moved over the target, so a reader never sees a half-written
 * file.
 *
 * <p>Quantisation is round(x * 32768) clamped to the int16 range, the inverse of {@link WavReader}'s
 * s / 32768, so a clip whose samples are multiples of 1/32768 in [-1, 32767/32768] round-trips exactly.
 */
public final class WavWriter {

    private static final int HEADER_BYTES = 44;

    private WavWriter() {
    }

    /**
     * @throws IllegalArgumentException if a sample lies outside [-1, 1] (normalise or clamp first: this
     *     writer does not clip silently)
     */
    public static void write(Path path, AudioClip clip) throws IOException {
        float[] x = clip.samples();
        for (int i = 0; i < x.length; i++) {
            if (x[i] < -1f || x[i] > 1f) {
                throw new IllegalArgumentException("clip sample " + i + ": expected a value in [-1, 1], got " + x[i]);
            }
        }
        long dataBytes = 2L * x.length;
        if (dataBytes + HEADER_BYTES - 8 > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("clip: too long for a WAV file (" + x.length + " samples)");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) (HEADER_BYTES + dataBytes)).order(ByteOrder.LITTLE_ENDIAN);
        int rate = clip.sampleRate();
        buf.put(new byte[] {'R', 'I', 'F', 'F'}).putInt((int) (36 + dataBytes)).put(new byte[] {'W', 'A', 'V', 'E'});
        buf.put(new byte[] {'f', 'm', 't', ' '}).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(rate).putInt(rate * 2).putShort((short) 2).putShort((short) 16);
        buf.put(new byte[] {'d', 'a', 't', 'a'}).putInt((int) dataBytes);
        for (float v : x) {
            long q = Math.round(v * 32768.0);
            buf.putShort((short) Math.max(-32768, Math.min(32767, q)));
        }
        AtomicFiles.writeBytes(path, buf.array());
    }
}
