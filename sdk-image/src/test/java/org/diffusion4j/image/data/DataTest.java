package org.diffusion4j.image.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.diffusion4j.core.random.NoiseSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataTest {

    private static byte[] idx(int magic, int[] dims, int dataBytes) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(bo);
        d.writeInt(magic);
        for (int x : dims) {
            d.writeInt(x);
        }
        for (int i = 0; i < dataBytes; i++) {
            d.writeByte(i * 7);
        }
        return bo.toByteArray();
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (OutputStream g = new GZIPOutputStream(bo)) {
            g.write(b);
        }
        return bo.toByteArray();
    }

    @Test
    void idxPlainAndGzippedAgreeAndErrorsAreClear(@TempDir Path dir) throws IOException {
        byte[] plain = idx(0x803, new int[] {2, 3, 4}, 24);
        Path p = Files.write(dir.resolve("a.idx"), plain);
        Path g = Files.write(dir.resolve("a.idx.gz"), gzip(plain));
        Idx.Data a = Idx.read(p, 3);
        Idx.Data b = Idx.read(g, 3);
        assertArrayEquals(new int[] {2, 3, 4}, a.dims());
        assertArrayEquals(a.values(), b.values());
        assertEquals((byte) (5 * 7), a.values()[5]);

        IOException e = assertThrows(IOException.class,
                () -> Idx.read(Files.write(dir.resolve("m"), idx(0x801, new int[] {2, 3, 4}, 24)), 3));
        assertTrue(e.getMessage().contains("0x00000803") && e.getMessage().contains("0x00000801"), e.getMessage());
        e = assertThrows(IOException.class,
                () -> Idx.read(Files.write(dir.resolve("t.gz"), gzip(idx(0x803, new int[] {2, 3, 4}, 20))), 3));
        assertTrue(e.getMessage().contains("expected 24 bytes") && e.getMessage().contains("got 20"), e.getMessage());
        e = assertThrows(IOException.class,
                () -> Idx.read(Files.write(dir.resolve("x"), idx(0x803, new int[] {2, 3, 4}, 25)), 3));
        assertTrue(e.getMessage().contains("found more"), e.getMessage());
        assertThrows(IOException.class, () -> Idx.read(Files.write(dir.resolve("h"), new byte[] {0, 0, 8, 3, 0}), 3));
    }

    @Test
    void shippedMnistTestSetHasThePublishedStatistics() throws IOException {
        LabeledImages t = LabeledImages.mnistTest();
        assertEquals(10_000, t.count());
        assertEquals(28, t.height());
        int[] firstLabels = new int[10];
        for (int i = 0; i < 10; i++) {
            firstLabels[i] = t.label(i);
        }
        assertArrayEquals(new int[] {7, 2, 1, 0, 4, 1, 4, 9, 5, 9}, firstLabels);
        int[] counts = new int[10];
        for (int i = 0; i < t.count(); i++) {
            counts[t.label(i)]++;
        }
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, counts);
        LabeledImages train = LabeledImages.mnistTrain20k();
        assertEquals(20_000, train.count());
        assertEquals(5, train.label(0));
    }

    @Test
    void batchesNormaliseShuffleAndFlip() throws IOException {
        LabeledImages digits = LabeledImages.readIdx(Path.of("src/test/resources/uci-digits-8x8/images-idx3-ubyte.gz"),
                Path.of("src/test/resources/uci-digits-8x8/labels-idx1-ubyte.gz"));
        LabeledImages few = digits.head(10);
        try (NDManager m = NDManager.newBaseManager()) {
            List<ImageBatch> seq = new ArrayList<>();
            ImageBatches.sequential(few, m, 4).forEach(seq::add);
            assertEquals(3, seq.size());
            assertEquals(new Shape(2, 1, 8, 8), seq.get(2).x0().getShape());
            float[] x = seq.get(0).x0().toFloatArray();
            for (int i = 0; i < 4; i++) {
                for (int k = 0; k < 64; k++) {
                    assertEquals(few.pixel(i, 0, k / 8, k % 8) / 127.5f - 1f, x[i * 64 + k], 1e-6);
                }
                assertEquals(few.label(i), seq.get(0).labels().toLongArray()[i]);
            }
            // training: full batches only; every image appears once (as itself or mirrored) with its label
            List<ImageBatch> tr = new ArrayList<>();
            ImageBatches.training(few, m, 3, NoiseSource.seeded(5), true).forEach(tr::add);
            assertEquals(3, tr.size());
            boolean sawMirror = false;
            List<Integer> seen = new ArrayList<>();
            for (ImageBatch b : tr) {
                float[] v = b.x0().toFloatArray();
                long[] l = b.labels().toLongArray();
                for (int k = 0; k < l.length; k++) {
                    int match = -1;
                    for (int i = 0; i < few.count(); i++) {
                        boolean same = true;
                        boolean mirror = true;
                        for (int p = 0; p < 64; p++) {
                            float want = few.pixel(i, 0, p / 8, p % 8) / 127.5f - 1f;
                            float wantM = few.pixel(i, 0, p / 8, 7 - p % 8) / 127.5f - 1f;
                            same &= Math.abs(v[k * 64 + p] - want) < 1e-6;
                            mirror &= Math.abs(v[k * 64 + p] - wantM) < 1e-6;
                        }
                        if ((same || mirror) && !seen.contains(i)) {
                            match = i;
                            sawMirror |= mirror && !same;
                            break;
                        }
                    }
                    assertTrue(match >= 0, "batch image is not an image of the set");
                    assertEquals(few.label(match), l[k]);
                    seen.add(match);
                }
            }
            assertEquals(9, seen.size());
            assertTrue(sawMirror, "with p = 0.5 over 9 images at least one flip is expected for this seed");
        }
        try (NDManager m = NDManager.newBaseManager()) {
            assertThrows(IllegalArgumentException.class, () -> ImageBatches.training(few, m, 3, null, true));
            assertThrows(IllegalArgumentException.class, () -> ImageBatches.sequential(few, m, 0));
        }
    }

    @Test
    void pngRoundTripGridAndMask(@TempDir Path dir) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] v = new float[2 * 3 * 4];
            for (int i = 0; i < v.length; i++) {
                v[i] = (i % 17) / 8f - 1f; // values in [-1, 1]
            }
            NDArray x = m.create(v, new Shape(2, 1, 3, 4));
            Path grid = dir.resolve("grid.png");
            ImageTensors.writeGrid(x, 2, 1, grid);
            BufferedImage img = ImageIO.read(grid.toFile());
            assertEquals(4 + 1 + 4, img.getWidth());
            assertEquals(3, img.getHeight());
            assertEquals(0, img.getRaster().getSample(4, 0, 0)); // padding is black
            Path one = dir.resolve("one.png");
            ImageTensors.writePng(x.get(1), one);
            float[] back = ImageTensors.readImage(one, 1, 3, 4, m).toFloatArray();
            for (int i = 0; i < 12; i++) {
                int q = Math.round((v[12 + i] + 1f) * 127.5f);
                assertEquals(q / 127.5f - 1f, back[i], 1e-6, "pixel " + i);
            }
            try (var files = Files.list(dir)) {
                assertFalse(files.anyMatch(p -> p.toString().endsWith(".tmp")));
            }
            NDArray mask = ImageTensors.readMask(one, 3, 4, m);
            for (int i = 0; i < 12; i++) {
                assertEquals(Math.round((v[12 + i] + 1f) * 127.5f) >= 128 ? 1f : 0f, mask.toFloatArray()[i]);
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageTensors.readMask(one, 4, 4, m));
            assertTrue(e.getMessage().contains("expected 4×4 pixels, got 4×3"), e.getMessage());
            Path bad = Files.write(dir.resolve("bad.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
            assertThrows(IOException.class, () -> ImageTensors.readMask(bad, 3, 4, m));
            assertThrows(IllegalArgumentException.class, () -> ImageTensors.writeGrid(m.zeros(new Shape(1, 2, 3, 3)), 1, 0, dir.resolve("c.png")));
        }
    }

    @Test
    void imageFolderResizesCropsAndLabelsBySubfolder(@TempDir Path dir) throws IOException {
        for (String cls : List.of("cats", "dogs")) {
            Files.createDirectories(dir.resolve(cls));
            // 8×4 image: left half red, right half blue; shorter side 4 → scale 2 → 16×8, centre crop 8×8
            BufferedImage img = new BufferedImage(8, 4, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 8; x++) {
                    img.setRGB(x, y, x < 4 ? 0xff0000 : 0x0000ff);
                }
            }
            ImageIO.write(img, "png", dir.resolve(cls).resolve("a.png").toFile());
        }
        Files.writeString(dir.resolve("cats").resolve("notes.txt"), "ignored");
        LabeledImages set = ImageFolder.read(dir, 8, true);
        assertEquals(2, set.count());
        assertEquals(0, set.label(0));
        assertEquals(1, set.label(1));
        assertEquals(3, set.channels());
        // the crop keeps columns 4..11 of 16: left edge mostly red, right edge mostly blue
        assertEquals(255, set.pixel(0, 0, 4, 0));
        assertEquals(0, set.pixel(0, 2, 4, 0));
        assertEquals(255, set.pixel(0, 2, 4, 7));
        LabeledImages gray = ImageFolder.read(dir, 8, false);
        assertEquals(Math.round(299 * 255 / 1000.0), gray.pixel(0, 0, 4, 0));
        Path empty = Files.createDirectories(dir.resolve("x").resolve("y"));
        assertThrows(IOException.class, () -> ImageFolder.read(empty, 8, true));
    }
}
