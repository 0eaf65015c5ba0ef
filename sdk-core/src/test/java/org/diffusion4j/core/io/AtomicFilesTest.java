package org.diffusion4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    private List<Path> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void writesAndReplacesContentCreatingParents() throws IOException {
        Path file = dir.resolve("a/b/out.bin");
        AtomicFiles.writeBytes(file, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));
        AtomicFiles.writeString(file, "héllo");
        assertEquals("héllo", Files.readString(file, StandardCharsets.UTF_8));
        try (Stream<Path> s = Files.list(file.getParent())) {
            assertEquals(List.of(file), s.toList(), "only the target is left in the directory");
        }
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("model.bin");
        AtomicFiles.writeString(file, "old complete content");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            out.write("half of the new".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertEquals("old complete content", Files.readString(file, StandardCharsets.UTF_8));
        assertEquals(List.of(file), listing());
    }

    @Test
    void aFailedFirstWriteCreatesNoFile() {
        Path file = dir.resolve("never.bin");
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(file, out -> {
            out.write(7);
            throw new IllegalStateException("encoder failed");
        }));
        assertTrue(Files.notExists(file));
    }

    @Test
    void writtenFilesAreReadableByOthers() throws IOException {
        Path file = dir.resolve("weights.params");
        AtomicFiles.writeBytes(file, new byte[] {0});
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            var perms = Files.getPosixFilePermissions(file);
            assertTrue(perms.contains(PosixFilePermission.OTHERS_READ) && perms.contains(PosixFilePermission.GROUP_READ),
                    "expected rw-r--r--, got " + perms);
        }
    }
}
