package org.diffusion4j.image.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reader of IDX files of unsigned bytes (the MNIST format, LeCun et al.): big-endian int32 magic
 * {@code 0x000008DD} (type 0x08 = ubyte, DD = number of dimensions), DD int32 sizes, then the data
 * row-major. Gzip compression is detected from the gzip magic, whatever the file name.
 */
public final class Idx {

    /** Decoded contents: {@code dims} and the {@code product(dims)} bytes. */
    public record Data(int[] dims, byte[] values) {
        public Data {
            dims = dims.clone();
        }

        @Override
        public int[] dims() {
            return dims.clone();
        }
    }

    private Idx() {}

    /** Reads {@code file}, requiring {@code expectedDims} dimensions (3 for images, 1 for labels). */
    public static Data read(Path file, int expectedDims) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            return read(raw, file.toString(), expectedDims);
        }
    }

    /** Reads from a stream (gzipped or not); {@code source} names it in error messages. */
    public static Data read(InputStream raw, String source, int expectedDims) throws IOException {
        InputStream in = raw.markSupported() ? raw : new BufferedInputStream(raw);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            in = new BufferedInputStream(new GZIPInputStream(in));
        }
        DataInputStream d = new DataInputStream(in);
        int magic;
        try {
            magic = d.readInt();
        } catch (EOFException e) {
            throw new IOException(source + ": truncated IDX file: no 4-byte magic number", e);
        }
        int expectedMagic = 0x0800 | expectedDims;
        if (magic != expectedMagic) {
            throw new IOException(String.format("%s: expected IDX magic 0x%08X (ubyte, %d dims), got 0x%08X",
                    source, expectedMagic, expectedDims, magic));
        }
        int[] dims = new int[expectedDims];
        long total = 1;
        for (int i = 0; i < expectedDims; i++) {
            try {
                dims[i] = d.readInt();
            } catch (EOFException e) {
                throw new IOException(source + ": truncated IDX header: expected " + expectedDims + " sizes, got " + i, e);
            }
            if (dims[i] < 0) {
                throw new IOException(source + ": IDX size " + i + " expected >= 0, got " + dims[i]);
            }
            total *= dims[i];
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IOException(source + ": IDX data of " + total + " bytes is too large for one array");
        }
        byte[] values = new byte[(int) total];
        int off = 0;
        while (off < values.length) {
            int n = d.read(values, off, values.length - off);
            if (n < 0) {
                throw new IOException(source + ": truncated IDX data: expected " + total + " bytes for dims "
                        + Arrays.toString(dims) + ", got " + off);
            }
            off += n;
        }
        if (d.read() >= 0) {
            throw new IOException(source + ": expected end of IDX data after " + total + " bytes, found more");
        }
        return new Data(dims, values);
    }
}
