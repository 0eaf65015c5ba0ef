package org.diffusion4j.audio.mel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MelFilesTest {

    private static final MelRecipe WAVEGRAD = MelRecipe.wavegrad(22050);

    @TempDir
    Path dir;

    private static float[][] randomMel(int bands, int frames, long seed) {
        Random r = new Random(seed);
        float[][] mel = new float[bands][frames];
        for (float[] band : mel) {
            for (int f = 0; f < frames; f++) {
                band[f] = r.nextFloat(); // [0, 1)
            }
        }
        mel[0][0] = 1f;                  // both ends of the range are valid
        mel[bands - 1][frames - 1] = 0f;
        return mel;
    }

    /** An NPY v1.0 file written out here from the format's description, independently of {@link MelFiles}. */
    private static byte[] npy(String descr, String shape, byte[] data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        StringBuilder header = new StringBuilder(dict);
        while ((10 + header.length() + 1) % 16 != 0) {
            header.append(' ');
        }
        header.append('\n');
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.toString().getBytes(StandardCharsets.US_ASCII)).put(data);
        return b.array();
    }

    private static byte[] littleEndianDoubles(double... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double d : v) {
            b.putDouble(d);
        }
        return b.array();
    }

    @Property(tries = 25)
    void aWrittenMelReadsBackExactlyAsNpyAndNpz(@ForAll @IntRange(min = 1, max = 9) int bands,
            @ForAll @IntRange(min = 1, max = 40) int frames, @ForAll long seed) throws IOException {
        Path tmp = Files.createTempDirectory("mel-files");
        try {
            float[][] mel = randomMel(bands, frames, seed);
            MelRecipe recipe = WAVEGRAD.withNMels(bands);
            for (String name : new String[] {"m.npy", "m.npz", "M.NPY"}) {
                Path file = tmp.resolve(name);
                MelFiles.write(file, mel);
                float[][] back = MelFiles.read(file, recipe);
                assertEquals(bands, back.length, name);
                for (int m = 0; m < bands; m++) {
                    assertArrayEquals(mel[m], back[m], 0f, name + " band " + m);
                }
            }
        } finally {
            try (var files = Files.list(tmp)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(tmp);
        }
    }

    @Test
    void theNpyFileFollowsTheFormat() throws IOException {
        float[][] mel = {{0.25f, 0.5f, 0.75f}, {1f, 0f, 0.125f}};
        Path file = dir.resolve("mel.npy");
        MelFiles.write(file, mel);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals((byte) 0x93, b.get());
        byte[] magic = new byte[5];
        b.get(magic);
        assertEquals("NUMPY", new String(magic, StandardCharsets.US_ASCII));
        assertEquals(1, b.get());
        assertEquals(0, b.get());
        int headerLength = b.getShort() & 0xffff;
        byte[] header = new byte[headerLength];
        b.get(header);
        String text = new String(header, StandardCharsets.US_ASCII);
        assertEquals(0, (10 + headerLength) % 16, "the data is aligned (NEP 1 asks for 16, NumPy writes 64)");
        assertTrue(text.endsWith("\n"), text);
        assertTrue(text.replace(" ", "").startsWith("{'descr':'<f4','fortran_order':False,'shape':(2,3),}"), text);
        assertEquals(4 * 6, b.remaining());
        float[] expected = {0.25f, 0.5f, 0.75f, 1f, 0f, 0.125f}; // C order: band by band
        for (float v : expected) {
            assertEquals(v, b.getFloat(), 0f);
        }
    }

    @Test
    void aFloat64MelWithABatchAxisOfOneIsRead() throws IOException {
        Path file = dir.resolve("tts.npy");
        Files.write(file, npy("<f8", "(1, 2, 2)", littleEndianDoubles(0.1, 0.2, 0.3, 1.0)));
        float[][] mel = MelFiles.read(file, WAVEGRAD.withNMels(2));
        assertArrayEquals(new float[] {0.1f, 0.2f}, mel[0], 0f);
        assertArrayEquals(new float[] {0.3f, 1.0f}, mel[1], 0f);
    }

    @Test
    void anNpzWithSeveralArraysGivesTheOneNamedMel() throws IOException {
        Path file = dir.resolve("tts.npz");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("durations.npy"));
            zip.write(npy("<f8", "(2,)", littleEndianDoubles(3, 4)));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("mel.npy"));
            zip.write(npy("<f8", "(2, 1)", littleEndianDoubles(0.5, 0.25)));
            zip.closeEntry();
        }
        Files.write(file, bytes.toByteArray());
        float[][] mel = MelFiles.read(file, WAVEGRAD.withNMels(2));
        assertArrayEquals(new float[] {0.5f}, mel[0], 0f);
        assertArrayEquals(new float[] {0.25f}, mel[1], 0f);

        Path two = dir.resolve("two.npz");
        bytes.reset();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (String name : new String[] {"a.npy", "b.npy"}) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write(npy("<f8", "(2, 1)", littleEndianDoubles(0.5, 0.25)));
                zip.closeEntry();
            }
        }
        Files.write(two, bytes.toByteArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MelFiles.read(two, WAVEGRAD.withNMels(2)));
        assertTrue(e.getMessage().contains("'mel'") && e.getMessage().contains("2 arrays"), e.getMessage());
    }

    @Test
    void aMelTheModelCannotTakeIsRefusedWithWhatWasExpectedAndFound() throws IOException {
        Path file = dir.resolve("eighty.npy");
        MelFiles.write(file, randomMel(80, 5, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MelFiles.read(file, WAVEGRAD));
        assertTrue(e.getMessage().contains("expected 128 mel bands") && e.getMessage().contains("got 80"), e.getMessage());

        float[][] db = randomMel(3, 4, 2);
        db[2][1] = -11.5f; // a natural-log or dB mel from another toolkit
        MelFiles.write(file, db);
        e = assertThrows(IllegalArgumentException.class, () -> MelFiles.read(file, WAVEGRAD.withNMels(3)));
        assertTrue(e.getMessage().contains("[0, 1]") && e.getMessage().contains("-11.5")
                && e.getMessage().contains("band 2, frame 1"), e.getMessage());
        db[2][1] = Float.NaN;
        MelFiles.write(file, db);
        e = assertThrows(IllegalArgumentException.class, () -> MelFiles.read(file, WAVEGRAD.withNMels(3)));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());

        Files.write(file, npy("<f8", "(2, 2, 2)", littleEndianDoubles(0, 0, 0, 0, 0, 0, 0, 0)));
        e = assertThrows(IllegalArgumentException.class, () -> MelFiles.read(file, WAVEGRAD.withNMels(2)));
        assertTrue(e.getMessage().contains("[nMels, frames]") && e.getMessage().contains("(2, 2, 2)"), e.getMessage());

        ByteBuffer ints = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(1).putInt(0).putInt(1);
        Files.write(file, npy("<i4", "(2, 2)", ints.array()));
        e = assertThrows(IllegalArgumentException.class, () -> MelFiles.read(file, WAVEGRAD.withNMels(2)));
        assertTrue(e.getMessage().contains("float32 or float64") && e.getMessage().contains("int32"), e.getMessage());
    }

    @Test
    void filesThatAreNotNumPyAndBadArgumentsAreRefused() throws IOException {
        Path text = Files.writeString(dir.resolve("mel.npy"), "not numpy\n");
        IOException io = assertThrows(IOException.class, () -> MelFiles.read(text, WAVEGRAD));
        assertTrue(io.getMessage().contains("expected a NumPy .npy or .npz file"), io.getMessage());
        assertThrows(NoSuchFileException.class, () -> MelFiles.read(dir.resolve("missing.npy"), WAVEGRAD));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MelFiles.write(dir.resolve("mel.csv"), randomMel(2, 2, 0)));
        assertTrue(e.getMessage().contains(".npy or .npz") && e.getMessage().contains("mel.csv"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MelFiles.write(dir.resolve("ragged.npy"), new float[][] {{0f, 0f}, {0f}}));
        assertTrue(e.getMessage().contains("band 1 has 1"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("ragged.npy")), "nothing half-written");
        e = assertThrows(IllegalArgumentException.class, () -> MelFiles.write(dir.resolve("empty.npy"), new float[0][]));
        assertTrue(e.getMessage().startsWith("mel:"), e.getMessage());
    }
}
