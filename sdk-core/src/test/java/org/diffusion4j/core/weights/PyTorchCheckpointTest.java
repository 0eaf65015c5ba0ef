package org.diffusion4j.core.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads {@code torch-save-fixture.pt}, written by {@code make_torch_save_fixture.py} (beside it in the test
 * resources) with the layout and pickle stream {@code torch.save} produces. The expected values below are restated
 * from that script: storage 0 holds 0.5·k for k = 0..11 (float32), storage 1 float16 [1, −2, 0.25, 1024], storage 2
 * int64 [7, −3, 2⁴⁰].
 */
class PyTorchCheckpointTest {

    private static Path fixture(Path dir) throws IOException {
        Path file = dir.resolve("fixture.pt");
        try (InputStream in = PyTorchCheckpointTest.class.getResourceAsStream("torch-save-fixture.pt")) {
            Files.copy(in, file);
        }
        return file;
    }

    @Test
    void readsANestedStateDictWithViewsParametersAndDtypes(@TempDir Path dir) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> t = PyTorchCheckpoint.read(fixture(dir), m);
            assertEquals(List.of("model.conv.weight", "model.proj.weight", "model.proj.bias", "model.half",
                    "model.counts"), List.copyOf(t.keySet()), "tensors in file order; 'step' and 'params' skipped");

            NDArray conv = t.get("model.conv.weight");
            assertEquals(new Shape(2, 3, 2), conv.getShape());
            float[] expected = new float[12];
            for (int k = 0; k < 12; k++) {
                expected[k] = 0.5f * k;
            }
            assertArrayEquals(expected, conv.toFloatArray());
            assertEquals("model.conv.weight", conv.getName());

            // size (3, 2), stride (1, 3), offset 1: element [i][j] = storage[1 + i + 3j] = 0.5·(1 + i + 3j)
            NDArray proj = t.get("model.proj.weight");
            assertEquals(new Shape(3, 2), proj.getShape());
            assertArrayEquals(new float[] {0.5f, 2.0f, 1.0f, 2.5f, 1.5f, 3.0f}, proj.toFloatArray());

            assertArrayEquals(new float[] {5.0f, 5.5f}, t.get("model.proj.bias").toFloatArray());

            NDArray half = t.get("model.half");
            assertEquals(DataType.FLOAT16, half.getDataType());
            assertArrayEquals(new float[] {1f, -2f, 0.25f, 1024f}, half.toType(DataType.FLOAT32, false).toFloatArray());

            NDArray counts = t.get("model.counts");
            assertEquals(DataType.INT64, counts.getDataType());
            assertArrayEquals(new long[] {7, -3, 1L << 40}, counts.toLongArray());
        }
    }

    @Test
    void tensorFilesRecognisesTheFormatByContentAndSelectsASubtree(@TempDir Path dir) throws IOException {
        Path renamed = Files.copy(fixture(dir), dir.resolve("weights.bin"));
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> model = TensorFiles.under(TensorFiles.read(renamed, m), "model.");
            assertEquals(List.of("conv.weight", "proj.weight", "proj.bias", "half", "counts"),
                    List.copyOf(model.keySet()));
            assertArrayEquals(new float[] {5.0f, 5.5f}, model.get("proj.bias").toFloatArray());
        }
    }

    @Test
    void aFileThatIsNotAZipArchiveIsRefusedAsLegacyOrForeign(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("legacy.pt");
        Files.write(file, new byte[] {(byte) 0x80, 0x02, (byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc});
        assertReadFails(file, "not a zip archive");
    }

    @Test
    void aTruncatedStorageIsReportedWithTheTensorName(@TempDir Path dir) throws IOException {
        Path file = rewrite(fixture(dir), dir.resolve("truncated.pt"), "torch-save-fixture/data/0", 20);
        assertReadFails(file, "tensor model.conv.weight", "truncated");
    }

    @Test
    void aZipWithoutAPickleIsNotATorchFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("other.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            z.putNextEntry(new ZipEntry("readme.txt"));
            z.write("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            z.closeEntry();
        }
        assertReadFails(file, "without a data.pkl entry");
    }

    @Test
    void aCutPickleIsReportedAsTruncated(@TempDir Path dir) throws IOException {
        Path file = rewrite(fixture(dir), dir.resolve("cut.pt"), "torch-save-fixture/data.pkl", 300);
        assertReadFails(file, "pickle: truncated");
    }

    /** Reading {@code file} fails with an IOException whose message contains every fragment. */
    private static void assertReadFails(Path file, String... fragments) {
        try (NDManager m = NDManager.newBaseManager()) {
            IOException e = assertThrows(IOException.class, () -> PyTorchCheckpoint.read(file, m));
            for (String f : fragments) {
                assertTrue(e.getMessage().contains(f), e.getMessage());
            }
        }
    }

    /** A copy of {@code source} whose entry {@code name} keeps only its first {@code keep} bytes. */
    private static Path rewrite(Path source, Path target, String name, int keep) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(source));
                OutputStream os = Files.newOutputStream(target);
                ZipOutputStream out = new ZipOutputStream(os)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                byte[] data = in.readAllBytes();
                if (e.getName().equals(name)) {
                    data = java.util.Arrays.copyOf(data, keep);
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(data);
                out.closeEntry();
            }
        }
        return target;
    }
}
