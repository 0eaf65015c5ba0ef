package org.diffusion4j.audio.mel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.diffusion4j.core.io.AtomicFiles;

/**
 * Mel spectrograms as NumPy files, the form an acoustic model (a TTS system) hands to a vocoder: a .npy holding one
 * array, or a .npz holding one array (or several, one of them named {@value #NPZ_KEY}). The array is
 * [nMels, frames] or [1, nMels, frames], float32 or float64, in the recipe's normalised scale
 * ({@link MelSpectrogram#compute}: clamp((20·log10(max(M, floor)) − refDb + dbRange)/dbRange, 0, 1)).
 *
 * <p>Reading checks what a vocoder cannot check later: the band count against the model's recipe, and that every value
 * is finite and in [0, 1]. A mel normalised another way (a natural-log mel, or dB values) fails with the offending
 * value instead of being vocoded into noise. Writing is atomic (a temporary file, then a rename).
 */
public final class MelFiles {

    /** The array a .npz written by {@link #write} holds, and the one {@link #read} takes from a .npz with several. */
    public static final String NPZ_KEY = "mel";

    private MelFiles() {
    }

    /**
     * The mel in {@code file} as [nMels][frames], checked against {@code recipe}.
     *
     * @throws IOException              the file is missing or is not a NumPy .npy/.npz file
     * @throws IllegalArgumentException the array has another shape, dtype, band count or value range than a mel of
     *                                  {@code recipe} (the message names the file, the expected and the actual value)
     */
    public static float[][] read(Path file, MelRecipe recipe) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(recipe, "recipe");
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "mel: no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": expected a NumPy .npy or .npz file, got a directory or another non-file");
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList arrays;
            try (InputStream in = Files.newInputStream(file)) {
                arrays = NDList.decode(manager, in);
            } catch (RuntimeException e) {
                throw new IOException(file + ": expected a NumPy .npy or .npz file, could not decode it (" + e.getMessage()
                        + ")", e);
            }
            return check(file, pick(file, arrays), recipe);
        }
    }

    /**
     * Writes {@code mel} [nMels][frames] to {@code file}, as a .npy (one float32 array of shape (nMels, frames)) or a
     * .npz (that array named {@value #NPZ_KEY}) by the file's extension, atomically. Pure Java: no native engine.
     */
    public static void write(Path file, float[][] mel) throws IOException {
        Objects.requireNonNull(file, "file");
        int[] shape = shapeOf(mel);
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) {
            AtomicFiles.write(file, out -> out.write(npy(mel, shape[0], shape[1])));
        } else if (name.endsWith(".npz")) {
            // an .npz is a zip of .npy files named after their keys (numpy.savez)
            AtomicFiles.write(file, out -> {
                ZipOutputStream zip = new ZipOutputStream(out);
                zip.putNextEntry(new ZipEntry(NPZ_KEY + ".npy"));
                zip.write(npy(mel, shape[0], shape[1]));
                zip.closeEntry();
                zip.finish(); // not close(): AtomicFiles owns the stream
            });
        } else {
            throw new IllegalArgumentException("file: expected a name ending in .npy or .npz, got " + file);
        }
    }

    /** [nMels, frames] of a rectangular, non-empty mel. */
    private static int[] shapeOf(float[][] mel) {
        Objects.requireNonNull(mel, "mel");
        if (mel.length == 0 || mel[0] == null || mel[0].length == 0) {
            throw new IllegalArgumentException("mel: expected [nMels >= 1][frames >= 1], got "
                    + (mel.length == 0 ? "no bands" : "an empty band 0"));
        }
        for (int m = 0; m < mel.length; m++) {
            if (mel[m] == null || mel[m].length != mel[0].length) {
                throw new IllegalArgumentException("mel: expected every band to have " + mel[0].length + " frames, band "
                        + m + " has " + (mel[m] == null ? "none" : mel[m].length));
            }
        }
        return new int[] {mel.length, mel[0].length};
    }

    /** NPY format version 1.0 (NumPy's NEP 1): magic, version, header length, a padded dict literal, then the data. */
    private static byte[] npy(float[][] mel, int bands, int frames) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + bands + ", " + frames + "), }";
        int unpadded = 6 + 2 + 2 + dict.length() + 1; // magic, version, length field, dict, '\n'
        int padding = (64 - unpadded % 64) % 64;      // the data starts on a 64-byte boundary
        String header = dict + " ".repeat(padding) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 4 * bands * frames).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        for (float[] band : mel) {
            for (float v : band) {
                b.putFloat(v);
            }
        }
        return b.array();
    }

    private static NDArray pick(Path file, NDList arrays) {
        if (arrays.size() == 1) {
            return arrays.head();
        }
        for (NDArray a : arrays) {
            if (NPZ_KEY.equals(a.getName())) {
                return a;
            }
        }
        throw new IllegalArgumentException(file + ": expected one array, or one named '" + NPZ_KEY + "', got "
                + arrays.size() + " arrays named " + arrays.stream().map(NDArray::getName).toList());
    }

    private static float[][] check(Path file, NDArray array, MelRecipe recipe) {
        Shape shape = array.getShape();
        boolean batchOfOne = shape.dimension() == 3 && shape.get(0) == 1;
        if (shape.dimension() != 2 && !batchOfOne) {
            throw new IllegalArgumentException(file + ": expected a mel of shape [nMels, frames] or [1, nMels, frames], got "
                    + shape);
        }
        DataType type = array.getDataType();
        if (type != DataType.FLOAT32 && type != DataType.FLOAT64) {
            throw new IllegalArgumentException(file + ": expected a float32 or float64 mel, got " + type);
        }
        int bands = (int) shape.get(shape.dimension() - 2);
        int frames = (int) shape.get(shape.dimension() - 1);
        if (bands != recipe.nMels()) {
            throw new IllegalArgumentException(file + ": expected " + recipe.nMels() + " mel bands (the model's recipe), got "
                    + bands + " (shape " + shape + ")");
        }
        if (frames < 1) {
            throw new IllegalArgumentException(file + ": expected at least 1 frame, got " + shape);
        }
        double[] values = array.toType(DataType.FLOAT64, false).toDoubleArray();
        float[][] mel = new float[bands][frames];
        for (int m = 0; m < bands; m++) {
            for (int f = 0; f < frames; f++) {
                double v = values[m * frames + f];
                if (!(v >= 0 && v <= 1)) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: expected values in [0, 1] (the "
                            + "recipe's normalised log-mel, clamp((20*log10(max(M, %s)) - %s + %s)/%s, 0, 1)), got %s at "
                            + "band %d, frame %d", file, recipe.amplitudeFloor(), recipe.refDb(), recipe.dbRange(),
                            recipe.dbRange(), v, m, f));
                }
                mel[m][f] = (float) v;
            }
        }
        return mel;
    }
}
